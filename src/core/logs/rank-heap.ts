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
    const keys = this.keys;
    const ns = this.ns;
    const values = this.values;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(key > keys[p] || (key === keys[p] && n < ns[p]))) break;
      keys[i] = keys[p];
      ns[i] = ns[p];
      values[i] = values[p];
      i = p;
    }
    keys[i] = key;
    ns[i] = n;
    values[i] = value;
  }

  /** Removes and returns the top value; call only when size > 0. */
  pop(): T {
    const keys = this.keys;
    const ns = this.ns;
    const values = this.values;
    const top = values[0];
    const last = --this.count;
    const key = keys[last];
    const n = ns[last];
    const value = values[last];
    values[last] = undefined as T;
    if (last > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const m = r < last && (keys[r] > keys[l] || (keys[r] === keys[l] && ns[r] < ns[l])) ? r : l;
        if (!(keys[m] > key || (keys[m] === key && ns[m] < n))) break;
        keys[i] = keys[m];
        ns[i] = ns[m];
        values[i] = values[m];
        i = m;
      }
      keys[i] = key;
      ns[i] = n;
      values[i] = value;
    }
    return top;
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
