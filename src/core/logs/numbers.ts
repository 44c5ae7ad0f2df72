/**
 * Per-template numeric outliers: a parameter far above its template's usual range (`took 56648 ms` where the
 * template's lines say 8-41 ms). Pass 1 learns, per template and per numeric slot (the k-th number of the
 * line), the mean and spread of log(1 + value); pass 2 scores each line by how many spreads its largest
 * slot is above the mean. Only the high side counts: latencies, sizes and retries go up when things break,
 * and counters' small first values must not look anomalous.
 */

/** Numbers per line considered: the last ones (timestamps and addresses come first; the payload last). */
export const SLOTS = 8;
/** Minimum lines of a template before its range is trusted. */
const MIN_SEEN = 12;
/** Floor on the spread in log space, so a template whose number never changed needs a real jump (~x3.5). */
const MIN_SPREAD = 0.3;
/** Spreads above the mean where a value starts to count as an outlier. */
export const OUTLIER_Z = 4;

const scratch = new Float64Array(SLOTS);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Writes the last SLOTS standalone numbers of src[a, b) to out, the last one first, and returns how many
 * (slot k is the k-th number from the end, which stays put when a prefix varies). A number starts
 * after a non-alphanumeric character (so ids like blk_123 or dn228 are not numbers), may hold one decimal
 * point, and may end in a short unit (`41ms`, `2.5s`, `10KB`); dotted quads and hex words are skipped.
 */
export function numbersOf(src: Uint8Array | Uint16Array, a: number, b: number, out: Float64Array): number {
  let k = 0;
  let total = 0;
  let i = a;
  while (i < b) {
    const c = src[i];
    if (!isDigit(c) || (i > a && (isAlpha(src[i - 1]) || isDigit(src[i - 1]) || src[i - 1] === 46))) {
      i++;
      continue;
    }
    let j = i;
    let v = 0;
    while (j < b && isDigit(src[j])) v = v * 10 + (src[j++] - 48);
    let ok = true;
    if (j + 1 < b && src[j] === 46 && isDigit(src[j + 1])) {
      let scale = 0.1;
      j++;
      while (j < b && isDigit(src[j])) { v += (src[j++] - 48) * scale; scale /= 10; }
      if (j < b && src[j] === 46) ok = false; // 10.0.0.1: an address, not a quantity
    }
    let u = j;
    while (u < b && isAlpha(src[u])) u++;
    if (u - j > 3 || (u < b && isDigit(src[u]))) ok = false; // 3fa9c…: a hex id
    while (u < b && (isAlpha(src[u]) || isDigit(src[u]) || src[u] === 46)) u++;
    if (ok) {
      out[total % SLOTS] = v;
      total++;
    }
    i = u;
  }
  k = Math.min(total, SLOTS);
  // Reorder the ring so out[0] is the last number, out[1] the one before, …
  for (let j = 0; j < k; j++) scratch[j] = out[(total - 1 - j) % SLOTS];
  for (let j = 0; j < k; j++) out[j] = scratch[j];
  return k;
}

/** Running mean and spread of log(1 + value) per template and slot (Welford), grown as templates appear. */
export class NumericModel {
  private stats = new Float64Array(64 * SLOTS * 3);

  observe(template: number, values: Float64Array, count: number): void {
    const base = template * SLOTS * 3;
    if (base + SLOTS * 3 > this.stats.length) {
      const s = new Float64Array(Math.max(this.stats.length * 2, base + SLOTS * 3));
      s.set(this.stats);
      this.stats = s;
    }
    const st = this.stats;
    for (let k = 0; k < count; k++) {
      const x = Math.log1p(values[k]);
      const o = base + k * 3;
      const n = ++st[o];
      const d = x - st[o + 1];
      st[o + 1] += d / n;
      st[o + 2] += d * (x - st[o + 1]);
    }
  }

  /** Largest z (spreads above the template's mean) among the line's values; 0 when no slot is trusted. */
  z(template: number, values: Float64Array, count: number): number {
    const base = template * SLOTS * 3;
    if (base + SLOTS * 3 > this.stats.length) return 0;
    const st = this.stats;
    let best = 0;
    for (let k = 0; k < count; k++) {
      const o = base + k * 3;
      const n = st[o];
      if (n < MIN_SEEN) continue;
      // Leave the value itself out, so one huge value cannot widen the range it is judged against.
      const x = Math.log1p(values[k]);
      const mean = (n * st[o + 1] - x) / (n - 1);
      const m2 = Math.max(0, st[o + 2] - (x - mean) * (x - st[o + 1]));
      const spread = Math.max(MIN_SPREAD, Math.sqrt(m2 / (n - 2)));
      const z = (x - mean) / spread;
      if (z > best) best = z;
    }
    return best;
  }
}
