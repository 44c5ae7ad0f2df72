import type { Embedder } from '../ports.js';
import { dense, gaussian, mulberry32, normalize, orthonormalize, symmetricEigen } from './linalg.js';
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

  const atTimes = (z: ReturnType<typeof dense>) => {
    const y = dense(m, l);
    rows.forEach((r, i) => {
      for (let k = 0; k < r.idx.length; k++) {
        const t = r.idx[k];
        const w = r.val[k];
        for (let c = 0; c < l; c++) y.data[c * m + t] += w * z.data[c * n + i];
      }
    });
    return y;
  };
  const aTimes = (y: ReturnType<typeof dense>) => {
    const z = dense(n, l);
    rows.forEach((r, i) => {
      for (let c = 0; c < l; c++) {
        let s = 0;
        const off = c * m;
        for (let k = 0; k < r.idx.length; k++) s += r.val[k] * y.data[off + r.idx[k]];
        z.data[c * n + i] = s;
      }
    });
    return z;
  };

  let q = atTimes(omega);
  orthonormalize(q);
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    const z = aTimes(q);
    orthonormalize(z);
    q = atTimes(z);
    orthonormalize(q);
  }
  const b = aTimes(q);
  // Small Gram matrix BᵀB (l × l): its eigenvectors rotate Q onto the right singular vectors.
  const gram = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += b.data[i * n + r] * b.data[j * n + r];
      gram[i * l + j] = s;
      gram[j * l + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((x, y) => values[y] - values[x]).slice(0, dim);
  const projection = new Float32Array(m * dim);
  for (let t = 0; t < m; t++) {
    for (let c = 0; c < dim; c++) {
      const e = order[c];
      let s = 0;
      for (let k = 0; k < l; k++) s += q.data[k * m + t] * vectors[k * l + e];
      projection[t * dim + c] = s;
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

  async embedQuery(text: string): Promise<Float32Array> {
    return lsaEmbed(this.model, tokenize(text), this.index);
  }
}
