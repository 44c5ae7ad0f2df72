/**
 * Exact map from ASCII keys (given as code units in a buffer) to ids, with open addressing over typed
 * arrays: looking a key up needs no string, so the common case of pass 1 (a line whose template key was
 * seen before) allocates nothing. Keys are stored once, as bytes, in one growing arena.
 */
export class KeyTable {
  size = 0;
  private slots = new Int32Array(1 << 12); // entry index + 1; 0 is empty
  private hashes = new Int32Array(1 << 11);
  private offsets = new Int32Array(1 << 11);
  private lengths = new Int32Array(1 << 11);
  private values = new Int32Array(1 << 11);
  private arena = new Uint8Array(1 << 16);
  private used = 0;

  /** FNV-1a over key[0, len). */
  static hash(key: Uint16Array, len: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ key[i], 0x01000193);
    return h | 0;
  }

  /** The id stored for key[0, len) (all units < 128), or -1. */
  get(key: Uint16Array, len: number, hash: number): number {
    // Int32Array stores hashes as int32: an un-mixed hash (the empty key's FNV offset basis) is above 2^31
    // and would never compare equal, so every blank line missed the table (quadratic on blank-line runs).
    hash |= 0;
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s] - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === hash && this.lengths[e] === len && this.same(e, key, len)) return this.values[e];
    }
  }

  /** Stores key[0, len) (all units < 128, not yet present) with its id. */
  set(key: Uint16Array, len: number, hash: number, id: number): void {
    hash |= 0;
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    if (this.size === this.values.length) this.growEntries();
    if (this.used + len > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    const e = this.size++;
    this.hashes[e] = hash;
    this.offsets[e] = this.used;
    this.lengths[e] = len;
    this.values[e] = id;
    this.arena.set(key.subarray(0, len), this.used);
    this.used += len;
    this.place(e);
  }

  /** Forgets every key (the arena's memory is kept for reuse). */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.used = 0;
  }

  private same(e: number, key: Uint16Array, len: number): boolean {
    const arena = this.arena;
    const off = this.offsets[e];
    for (let i = 0; i < len; i++) if (arena[off + i] !== key[i]) return false;
    return true;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[e] & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let e = 0; e < this.size; e++) this.place(e);
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.values = grow(this.values);
  }
}
