/** Window size (lines) and vector size for the neighbourhood-density signal. */
export const WINDOW = 8;
const DIM = 32;
const REFS = 48;
const K = 5;

/** Hashed term-frequency vector of the template ids in one window, L2-normalised (into `v` when given). */
export function windowVector(ids: ArrayLike<number>, length: number, v = new Float32Array(DIM)): Float32Array {
  v.fill(0);
  for (let i = 0; i < length; i++) v[Math.imul(ids[i] + 1, 0x9e3779b1) >>> 27] += 1;
  let norm = 0;
  for (let d = 0; d < DIM; d++) norm += v[d] * v[d];
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < DIM; d++) v[d] /= norm;
  return v;
}

/**
 * A fixed-size reservoir sample of window vectors from pass 1. In pass 2 a window's novelty is one minus
 * the mean cosine similarity to its k nearest references: windows unlike most of the log score high.
 * Cost per window is REFS x DIM multiply-adds, independent of the log's size (unlike exact kNN).
 */
export class DensityModel {
  private readonly refs: Float32Array[] = [];
  private seen = 0;
  private seed = 0x2545f491;
  private readonly top = new Float64Array(K + 1);
  private readonly scratch = new Float32Array(DIM);
  private readonly nonZero = new Int32Array(DIM);

  /**
   * Reservoir sampling (algorithm R) with a fixed seed, so runs are reproducible. Takes the window's
   * template ids: its vector is built only when the reservoir keeps it.
   */
  observe(ids: ArrayLike<number>, length: number): void {
    this.seen++;
    if (this.refs.length < REFS) {
      this.refs.push(windowVector(ids, length));
      return;
    }
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    const j = this.seed % this.seen;
    if (j < REFS) this.refs[j] = windowVector(ids, length);
  }

  /** Novelty in [0, 1] of the window holding these template ids; 0 when there are too few references to judge. */
  novelty(ids: ArrayLike<number>, length: number): number {
    if (this.refs.length < K * 2) return 0;
    const v = windowVector(ids, length, this.scratch);
    // A window has at most WINDOW non-zero dimensions: multiply only those, in dimension order, which sums
    // exactly what the full dot product sums (the skipped terms are zeros).
    const nz = this.nonZero;
    let m = 0;
    for (let d = 0; d < DIM; d++) if (v[d] !== 0) nz[m++] = d;
    const top = this.top.fill(-2);
    for (const r of this.refs) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += r[nz[i]] * v[nz[i]];
      if (dot <= top[K]) continue;
      let j = K;
      while (j > 0 && top[j - 1] < dot) {
        top[j] = top[j - 1];
        j--;
      }
      top[j] = dot;
    }
    // Skip the best match: the window itself may be in the reservoir.
    let sum = 0;
    for (let i = 1; i <= K; i++) sum += top[i];
    return Math.min(1, Math.max(0, 1 - sum / K));
  }
}
