import type { Embedder } from '../ports.js';
import { dense, fromRowMajor, gaussian, gram, mulberry32, normalize, orthonormalize, symmetricEigen, toRowMajor, type Dense } from './linalg.js';
import { tokenize } from './tokenize.js';

/**
 * The offline default embedder: latent semantic analysis fitted on the indexed corpus itself.
 * TF-IDF vectors are projected onto the top singular directions (randomized truncated SVD), so sections that share
 * vocabulary in context end up close even when a query uses a different word from the section.
 * No download, deterministic, and fast enough to refit on every full index.
 */
export interface LsaModel {
  vocab: string[];
  idf: Float32Array;
  dim: number;
  /** vocab.length × dim, row-major: the row of a term is its direction in the latent space. */
  projection: Float32Array;
}

export interface LsaOptions {
  dim?: number;
  minDf?: number;
  maxVocab?: number;
  seed?: number;
  powerIterations?: number;
}

type Sparse = Array<{ idx: Int32Array; val: Float64Array }>;

function weigh(tokens: string[], index: Map<string, number>, idf: Float32Array): { idx: Int32Array; val: Float64Array } {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = new Float64Array(idx.length);
  let norm = 0;
  idx.forEach((i, k) => {
    val[k] = (1 + Math.log(tf.get(i)!)) * idf[i];
    norm += val[k] * val[k];
  });
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] /= norm;
  return { idx, val };
}

/** Fits the projection on tokenised documents. */
export function fitLsa(docs: string[][], opts: LsaOptions = {}): LsaModel {
  const minDf = opts.minDf ?? 2;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  let vocab = [...df.entries()].filter(([, c]) => c >= minDf && c < docs.length).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  vocab = vocab.slice(0, opts.maxVocab ?? 30_000);
  const terms = vocab.map(([t]) => t);
  const index = new Map(terms.map((t, i) => [t, i]));
  const n = docs.length;
  const m = terms.length;
  const idf = Float32Array.from(vocab, ([, c]) => Math.log((1 + n) / (1 + c)) + 1);
  const dim = Math.max(1, Math.min(opts.dim ?? 128, n - 1, m - 1));
  if (m < 2 || n < 2) return { vocab: terms, idf, dim: 1, projection: new Float32Array(m) };

  const rows: Sparse = docs.map((d) => weigh(d, index, idf));
  const l = Math.min(dim + 10, n, m);
  const rand = mulberry32(opts.seed ?? 42);
  const omega = dense(n, l);
  for (let i = 0; i < omega.data.length; i++) omega.data[i] = gaussian(rand);

  // Products with the sparse matrix run on row-major copies so the inner loops read memory in order.
  const atTimes = (z: Dense): Dense => {
    const zr = toRowMajor(z);
    const yr = new Float64Array(m * l);
    rows.forEach((r, i) => {
      const zo = i * l;
      for (let k = 0; k < r.idx.length; k++) {
        const yo = r.idx[k] * l;
        const w = r.val[k];
        for (let c = 0; c < l; c++) yr[yo + c] += w * zr[zo + c];
      }
    });
    return fromRowMajor(yr, m, l);
  };
  const aTimes = (y: Dense): Dense => {
    const yr = toRowMajor(y);
    const zr = new Float64Array(n * l);
    rows.forEach((r, i) => {
      const zo = i * l;
      for (let k = 0; k < r.idx.length; k++) {
        const yo = r.idx[k] * l;
        const w = r.val[k];
        for (let c = 0; c < l; c++) zr[zo + c] += w * yr[yo + c];
      }
    });
    return fromRowMajor(zr, n, l);
  };

  // Randomized range finder with one power iteration: Q spans the top right singular directions of A.
  let q = atTimes(omega);
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    const z = aTimes(q);
    orthonormalize(z);
    q = atTimes(z);
  }
  orthonormalize(q);
  const b = aTimes(q);
  // Small Gram matrix BᵀB (l × l): its eigenvectors rotate Q onto the right singular vectors.
  const { values, vectors } = symmetricEigen(gram(b), l);
  const order = [...values.keys()].sort((x, y) => values[y] - values[x]).slice(0, dim);
  // V = Q·W, stored row-major: a term's row is its latent direction. Built for a block of terms at a time (that
  // block of Q stays in cache across all dim columns), a column at a time within it; each entry is summed over k in
  // order, as before blocking.
  const projection = new Float32Array(m * dim);
  const TERMS = 512;
  // Four output columns at a time: each value of Q is read once for four sums.
  const cols = [0, 1, 2, 3].map(() => new Float64Array(TERMS));
  const [s0, s1, s2, s3] = cols;
  const q0 = q.data;
  for (let t0 = 0; t0 < m; t0 += TERMS) {
    const width = Math.min(TERMS, m - t0);
    for (let c = 0; c < dim; c += 4) {
      const n = Math.min(4, dim - c);
      for (const col of cols) col.fill(0);
      const e = [0, 1, 2, 3].map((i) => order[Math.min(c + i, dim - 1)]);
      for (let k = 0; k < l; k++) {
        const w0 = vectors[k * l + e[0]];
        const w1 = vectors[k * l + e[1]];
        const w2 = vectors[k * l + e[2]];
        const w3 = vectors[k * l + e[3]];
        const qo = k * m + t0;
        for (let t = 0; t < width; t++) {
          const x = q0[qo + t];
          s0[t] += w0 * x;
          s1[t] += w1 * x;
          s2[t] += w2 * x;
          s3[t] += w3 * x;
        }
      }
      for (let i = 0; i < n; i++) for (let t = 0; t < width; t++) projection[(t0 + t) * dim + c + i] = cols[i][t];
    }
  }
  return { vocab: terms, idf, dim, projection };
}

/** Projects tokens into the latent space; unit length (zero vector when no token is known). */
export function lsaEmbed(model: LsaModel, tokens: string[], index: Map<string, number>): Float32Array {
  const { idx, val } = weigh(tokens, index, model.idf);
  const out = new Float32Array(model.dim);
  for (let k = 0; k < idx.length; k++) {
    const row = idx[k] * model.dim;
    for (let c = 0; c < model.dim; c++) out[c] += val[k] * model.projection[row + c];
  }
  return normalize(out);
}

export class LsaEmbedder implements Embedder {
  readonly id: string;
  private readonly index: Map<string, number>;

  constructor(readonly model: LsaModel) {
    this.id = `lsa-${model.dim}`;
    this.index = new Map(model.vocab.map((t, i) => [t, i]));
  }

  async dimension(): Promise<number> {
    return this.model.dim;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => lsaEmbed(this.model, tokenize(t), this.index));
  }

  /** Documents already tokenised (the fit just tokenised them: tokenising twice cost a full index ~150 ms at 800 files). */
  embedTokens(docs: string[][]): Float32Array[] {
    return docs.map((tokens) => lsaEmbed(this.model, tokens, this.index));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return lsaEmbed(this.model, tokenize(text), this.index);
  }
}
