/** Small dense linear algebra for the LSA embedder: enough for a randomized truncated SVD, nothing more. */

/** Deterministic PRNG so the same corpus always yields the same projection. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Column-major dense matrix: `cols` columns of length `rows`. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function toRowMajor(d: Dense): Float64Array {
  const out = new Float64Array(d.rows * d.cols);
  for (let c = 0; c < d.cols; c++) for (let r = 0; r < d.rows; r++) out[r * d.cols + c] = d.data[c * d.rows + r];
  return out;
}

export function fromRowMajor(a: Float64Array, rows: number, cols: number): Dense {
  const d = dense(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) d.data[c * rows + r] = a[r * cols + c];
  return d;
}

/** Columns per block in `orthonormalize` and `gram`: 16 columns of a few thousand doubles stay in L2 cache. */
const BLOCK = 16;

/** Subtracts from column `cj` its component along the (final, unit) column `ci`: one step of Gram-Schmidt. */
function project(data: Float64Array, rows: number, ci: number, cj: number): void {
  let dot = 0;
  for (let r = 0; r < rows; r++) dot += data[ci + r] * data[cj + r];
  for (let r = 0; r < rows; r++) data[cj + r] -= dot * data[ci + r];
}

/**
 * `project` for the four columns starting at `cj`, each against the same `ci`. Four independent sums instead of one
 * chain of dependent additions (each waits for the last): the same sums, in the same order, about twice as fast.
 */
function project4(data: Float64Array, rows: number, ci: number, cj: number): void {
  const c1 = cj + rows;
  const c2 = c1 + rows;
  const c3 = c2 + rows;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let r = 0; r < rows; r++) {
    const x = data[ci + r];
    d0 += x * data[cj + r];
    d1 += x * data[c1 + r];
    d2 += x * data[c2 + r];
    d3 += x * data[c3 + r];
  }
  for (let r = 0; r < rows; r++) {
    const x = data[ci + r];
    data[cj + r] -= d0 * x;
    data[c1 + r] -= d1 * x;
    data[c2 + r] -= d2 * x;
    data[c3 + r] -= d3 * x;
  }
}

/**
 * Orthonormalises the columns in place (modified Gram-Schmidt; `passes` 2 for full stability); drops nothing.
 * Blocked: each finished column is read once per block of later columns instead of once per column (a third of
 * the time at 3,500 × 202). Every column still sees the same subtractions in the same order: identical results.
 */
export function orthonormalize(m: Dense, passes = 1): void {
  const { rows, cols, data } = m;
  for (let pass = 0; pass < passes; pass++) {
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(cols, j0 + BLOCK);
      for (let i = 0; i < j0; i++) {
        let j = j0;
        for (; j + 4 <= j1; j += 4) project4(data, rows, i * rows, j * rows);
        for (; j < j1; j++) project(data, rows, i * rows, j * rows);
      }
      for (let j = j0; j < j1; j++) {
        const cj = j * rows;
        for (let i = j0; i < j; i++) project(data, rows, i * rows, cj);
        let norm = 0;
        for (let r = 0; r < rows; r++) norm += data[cj + r] * data[cj + r];
        norm = Math.sqrt(norm) || 1;
        for (let r = 0; r < rows; r++) data[cj + r] /= norm;
      }
    }
  }
}

/** BᵀB (cols × cols, symmetric), each entry summed in row order; blocked like `orthonormalize`. */
export function gram(b: Dense): Float64Array {
  const { rows: n, cols: l, data } = b;
  const out = new Float64Array(l * l);
  for (let i0 = 0; i0 < l; i0 += BLOCK) {
    const i1 = Math.min(l, i0 + BLOCK);
    for (let j = i0; j < l; j++) {
      const cj = j * n;
      const last = Math.min(i1, j + 1);
      let i = i0;
      // Four entries at once (four independent sums, each in row order, as in project4).
      for (; i + 4 <= last; i += 4) {
        const ci = i * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < n; r++) {
          const y = data[cj + r];
          s0 += data[ci + r] * y;
          s1 += data[ci + n + r] * y;
          s2 += data[ci + 2 * n + r] * y;
          s3 += data[ci + 3 * n + r] * y;
        }
        out[i * l + j] = out[j * l + i] = s0;
        out[(i + 1) * l + j] = out[j * l + i + 1] = s1;
        out[(i + 2) * l + j] = out[j * l + i + 2] = s2;
        out[(i + 3) * l + j] = out[j * l + i + 3] = s3;
      }
      for (; i < last; i++) {
        const ci = i * n;
        let s = 0;
        for (let r = 0; r < n; r++) s += data[ci + r] * data[cj + r];
        out[i * l + j] = s;
        out[j * l + i] = s;
      }
    }
  }
  return out;
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
export function symmetricEigen(sym: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(sym);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    // Relative tolerance: far below what changes a ranking, and it stops the sweeps early.
    if (off <= 1e-14 * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}
