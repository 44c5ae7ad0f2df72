/** The selection's order: higher key first, then lower line number. */
function ranksAbove(k1: number, n1: number, k2: number, n2: number): boolean {
  return k1 > k2 || (k1 === k2 && n1 < n2);
}

/**
 * Max-heap of values ranked by (key descending, n ascending), the order of the selection. Keys and line
 * numbers live in typed arrays, so sifting compares numbers without calling a comparator or loading
 * properties; it pops in the same order as Heap with that comparator.
 */
export class RankHeap<T> {
  private keys = new Float64Array(1024);
  private ns = new Float64Array(1024);
  private readonly values: T[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(key: number, n: number, value: T): void {
    if (this.count === this.keys.length) this.grow();
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!ranksAbove(key, n, this.keys[p], this.ns[p])) break;
      this.move(i, p);
      i = p;
    }
    this.put(i, key, n, value);
  }

  /** Removes and returns the top value; call only when size > 0. */
  pop(): T {
    const top = this.values[0];
    const last = --this.count;
    const key = this.keys[last];
    const n = this.ns[last];
    const value = this.values[last];
    this.values[last] = undefined as T;
    if (last === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && ranksAbove(this.keys[r], this.ns[r], this.keys[l], this.ns[l]) ? r : l;
      if (!ranksAbove(this.keys[m], this.ns[m], key, n)) break;
      this.move(i, m);
      i = m;
    }
    this.put(i, key, n, value);
    return top;
  }

  private move(to: number, from: number): void {
    this.keys[to] = this.keys[from];
    this.ns[to] = this.ns[from];
    this.values[to] = this.values[from];
  }

  private put(i: number, key: number, n: number, value: T): void {
    this.keys[i] = key;
    this.ns[i] = n;
    this.values[i] = value;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const ns = new Float64Array(this.ns.length * 2);
    ns.set(this.ns);
    this.ns = ns;
  }
}
