/**
 * A FIFO of items stamped with a sequence number, for LRU eviction without a Map walk: an item is queued
 * again with a new stamp when used, and `shift` skips entries whose stamp is no longer the item's own.
 * Space stays within a small multiple of the live items: stale entries are dropped when the queue is full.
 */
export class LruQueue<T extends { seq: number }> {
  private items: (T | undefined)[] = new Array<T | undefined>(1024);
  private seqs = new Float64Array(1024);
  private head = 0;
  private tail = 0;

  push(item: T, seq: number): void {
    if (this.tail === this.items.length) this.compact();
    this.items[this.tail] = item;
    this.seqs[this.tail++] = seq;
  }

  /** The oldest item still current, removed; undefined when none is left. */
  shift(): T | undefined {
    while (this.head < this.tail) {
      const item = this.items[this.head];
      const seq = this.seqs[this.head];
      this.items[this.head++] = undefined;
      if (item && item.seq === seq) return item;
    }
    return undefined;
  }

  /** Drops stale entries and moves the rest to the front; grows when more than half is still current. */
  private compact(): void {
    let k = 0;
    for (let i = this.head; i < this.tail; i++) {
      const item = this.items[i];
      if (item && item.seq === this.seqs[i]) {
        this.items[k] = item;
        this.seqs[k++] = this.seqs[i];
      }
    }
    for (let i = k; i < this.tail; i++) this.items[i] = undefined;
    this.head = 0;
    this.tail = k;
    if (k * 2 > this.items.length) {
      const seqs = new Float64Array(this.items.length * 2);
      seqs.set(this.seqs.subarray(0, k));
      this.seqs = seqs;
      this.items.length = this.items.length * 2;
    }
  }
}
