import { OpsctlError } from '../errors.js';
import type { Embedder, VectorStoreFactory } from '../ports.js';
import { LsaEmbedder } from './lsa.js';
import { openLexical, type OpenIndex } from './search.js';
import { readIndex } from './store.js';

/**
 * Opens the live index for searching. The query embedder must be the one that built it: an LSA index carries its
 * own projection; a model-built index needs the same model (`modelEmbedder`), else it is refused.
 */
export async function openIndex(indexDir: string, vectors: VectorStoreFactory, modelEmbedder?: Embedder): Promise<OpenIndex> {
  const data = readIndex(indexDir);
  if (!data) throw new OpsctlError('index', `no index in ${indexDir}`, 'build it: opsctl index <runbooks dir>');
  let embedder: Embedder;
  if (data.lsa) embedder = new LsaEmbedder(data.lsa);
  else if (modelEmbedder && modelEmbedder.id === data.manifest.embedder) embedder = modelEmbedder;
  else {
    throw new OpsctlError('index-incompatible', `the index in ${indexDir} was built with embedder ${data.manifest.embedder}`, 'use the same embedder (--embedder / OPSCTL_EMBEDDER), or rebuild: opsctl index --rebuild');
  }
  let store;
  try {
    store = await vectors.load(data.vectorPath, data.manifest.dimension);
  } catch (e) {
    throw new OpsctlError('index', `the index in ${indexDir} is damaged (vectors.hnsw: ${(e as Error).message})`, 'rebuild it: opsctl index --rebuild', { cause: e });
  }
  return { data, lexical: openLexical(data), vectors: store, embedder };
}
