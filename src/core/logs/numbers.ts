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
/** Lines per template the range is learnt from (then pass 1 stops scanning that template's numbers). */
const LEARN_CAP = 2000;
/** Floor on the spread in log space, so a template whose number never changed needs a real jump (~x3.5). */
const MIN_SPREAD = 0.3;
/** Spreads above the mean where a value starts to count as an outlier. */
export const OUTLIER_Z = 4;

/** Bytes at the end of a line searched for numbers (the payload; prefixes hold timestamps and addresses). */
const TAIL = 160;
// Byte classes (one table lookup per byte on the hot path): digits, letters and _, the decimal point.
const D = 1;
const A = 2;
const DOT = 4;
const CLS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) CLS[c] = D;
for (let c = 65; c <= 90; c++) CLS[c] = A;
for (let c = 97; c <= 122; c++) CLS[c] = A;
CLS[95] = A;
CLS[46] = DOT;

/**
 * Scans the standalone numbers of the last TAIL bytes of src[a, b) into `ring` (number i at ring[i % SLOTS]) and returns how many
 * there were; slot k (k-th from the end) is ring[(total - 1 - k) % SLOTS]. A number starts after a
 * non-alphanumeric character (so ids like blk_123 or dn228 are not numbers), may hold one decimal point, and
 * may end in a short unit (`41ms`, `2.5s`, `10KB`); dotted quads and hex words are skipped.
 */
export function scanNumbers(src: Uint8Array | Uint16Array, a: number, b: number, ring: Float64Array): number {
  let total = 0;
  let prev = 0; // class of the previous byte
  let i = a;
  if (b - a > TAIL) {
    // Slots count from the end, so only the tail matters: start there, after the token it cuts into.
    i = b - TAIL;
    while (i < b && CLS[src[i]] !== 0) i++;
  }
  while (i < b) {
    const k = CLS[src[i]];
    if (k !== D || prev !== 0) {
      prev = k;
      i++;
      continue;
    }
    let v = 0;
    let j = i;
    while (j < b && CLS[src[j]] === D) v = v * 10 + (src[j++] - 48);
    let ok = true;
    if (j + 1 < b && src[j] === 46 && CLS[src[j + 1]] === D) {
      let scale = 0.1;
      j++;
      while (j < b && CLS[src[j]] === D) { v += (src[j++] - 48) * scale; scale /= 10; }
      if (j < b && src[j] === 46) ok = false; // 10.0.0.1: an address, not a quantity
    }
    let u = j;
    while (u < b && CLS[src[u]] === A) u++;
    if (u - j > 3 || (u < b && CLS[src[u]] === D)) ok = false; // 3fa9c…: a hex id
    while (u < b && CLS[src[u]] !== 0) u++;
    if (ok) ring[total++ % SLOTS] = v;
    prev = u > a ? CLS[src[u - 1]] : 0;
    i = u;
  }
  return total;
}

/** The last SLOTS numbers of src[a, b) (see scanNumbers), the last one first; returns how many. */
export function numbersOf(src: Uint8Array | Uint16Array, a: number, b: number, out: Float64Array): number {
  const ring = new Float64Array(SLOTS);
  const total = scanNumbers(src, a, b, ring);
  const k = Math.min(total, SLOTS);
  for (let j = 0; j < k; j++) out[j] = ring[(total - 1 - j) % SLOTS];
  return k;
}

/** Running mean and spread of log(1 + value) per template and slot (Welford), grown as templates appear. */
export class NumericModel {
  private stats = new Float64Array(64 * SLOTS * 3);

  /** Learns from a line's numbers (a scanNumbers ring and its total); each template learns from its first LEARN_CAP lines. */
  observe(template: number, ring: Float64Array, total: number): void {
    const base = template * SLOTS * 3;
    if (base + SLOTS * 3 > this.stats.length) {
      const s = new Float64Array(Math.max(this.stats.length * 2, base + SLOTS * 3));
      s.set(this.stats);
      this.stats = s;
    }
    const st = this.stats;
    const count = Math.min(total, SLOTS);
    for (let k = 0; k < count; k++) {
      const x = Math.log1p(ring[(total - 1 - k) % SLOTS]);
      const o = base + k * 3;
      const n = ++st[o];
      const d = x - st[o + 1];
      st[o + 1] += d / n;
      st[o + 2] += d * (x - st[o + 1]);
    }
  }

  /** Largest z (spreads above the template's mean) among the line's values; 0 when no slot is trusted. */
  /** False once the template has learnt from LEARN_CAP lines (its range is known; skip scanning in pass 1). */
  learning(template: number): boolean {
    const o = template * SLOTS * 3;
    return o >= this.stats.length || this.stats[o] < LEARN_CAP;
  }

  z(template: number, ring: Float64Array, total: number): number {
    const base = template * SLOTS * 3;
    if (base + SLOTS * 3 > this.stats.length) return 0;
    const st = this.stats;
    let best = 0;
    const count = Math.min(total, SLOTS);
    for (let k = 0; k < count; k++) {
      const o = base + k * 3;
      const n = st[o];
      if (n < MIN_SEEN) continue;
      const x = Math.log1p(ring[(total - 1 - k) % SLOTS]);
      if (x <= st[o + 1]) continue; // at or below the mean: never an outlier (only the high side counts)
      // Leave the value itself out, so one huge value cannot widen the range it is judged against. Once
      // learning stopped the value is not in the stats: then the stats are used as they are.
      const out = n < LEARN_CAP;
      const mean = out ? (n * st[o + 1] - x) / (n - 1) : st[o + 1];
      const m2 = out ? Math.max(0, st[o + 2] - (x - mean) * (x - st[o + 1])) : st[o + 2];
      const spread = Math.max(MIN_SPREAD, Math.sqrt(m2 / (out ? n - 2 : n - 1)));
      const z = (x - mean) / spread;
      if (z > best) best = z;
    }
    return best;
  }
}
