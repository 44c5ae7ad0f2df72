import { OpsctlError } from '../errors.js';
import type { Embedder, VectorStore, VectorStoreFactory } from '../ports.js';
import { LsaEmbedder } from './lsa.js';
import { openLexical, type OpenIndex } from './search.js';
import { checkVectorFile, readIndex } from './store.js';

/**
 * Up to this many live sections, dense search is exact: n × dim multiply-adds (in WebAssembly, see dot.ts) over the
 * section vectors `readIndex` loads anyway cost less than loading the native HNSW addon and its file. Measured cold
 * at 192 dimensions: exact 3 ms for 1,600 sections, 17 ms for 10,000, 33 ms for 20,000; HNSW import + load + search
 * 20, 30 and 55 ms for 1,600, 5,000 and 20,000. Both grow with n × dim, and exact recall is perfect.
 */
export const EXACT_SEARCH_MAX = 20_000;

export interface OpenOptions {
  /** Live sections up to which dense search is exact (default EXACT_SEARCH_MAX); tests and benchmarks force either path. */
  exactSearchMax?: number;
}

/**
 * Opens the live index for searching. The query embedder must be the one that built it: an LSA index carries its
 * own projection; a model-built index needs the same model (`modelEmbedder`), else it is refused.
 */
export async function openIndex(indexDir: string, vectors: VectorStoreFactory, modelEmbedder?: Embedder, opts: OpenOptions = {}): Promise<OpenIndex> {
  const data = readIndex(indexDir);
  if (!data) throw new OpsctlError('index', `no index in ${indexDir}`, 'build it: opsctl index <runbooks dir>');
  let embedder: Embedder;
  if (data.lsa) embedder = new LsaEmbedder(data.lsa);
  else if (modelEmbedder && modelEmbedder.id === data.manifest.embedder) embedder = modelEmbedder;
  else {
    throw new OpsctlError('index-incompatible', `the index in ${indexDir} was built with embedder ${data.manifest.embedder}`, 'use the same embedder (--embedder / OPSCTL_EMBEDDER), or rebuild: opsctl index --rebuild');
  }
  const exact = data.manifest.counts.sections <= (opts.exactSearchMax ?? EXACT_SEARCH_MAX);
  let store: VectorStore | undefined;
  try {
    // Searched exactly, the vector file is only checked: a damaged one would still break the next update.
    if (exact) await vectors.verify(data.vectorPath, data.manifest.dimension);
    else {
      checkVectorFile(indexDir, data);
      store = await vectors.load(data.vectorPath, data.manifest.dimension);
    }
  } catch (e) {
    if (e instanceof OpsctlError) throw e;
    throw new OpsctlError('index', `the index in ${indexDir} is damaged (vectors.hnsw: ${(e as Error).message})`, 'rebuild it: opsctl index --rebuild', { cause: e });
  }
  return { data, lexical: openLexical(data), vectors: store, embedder };
}
