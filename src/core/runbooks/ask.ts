import type { AlarmInfo, Embedder, VectorStoreFactory } from '../ports.js';
import { updateIndex, type EmbedderChoice, type IndexResult } from './indexer.js';
import type { LockOwner } from './lock.js';
import { openIndex } from './open.js';
import { searchIndex, type SearchResult } from './search.js';
import { alarmQuery } from './alarm-query.js';

export interface AskOptions {
  question: string;
  root: string;
  indexDir: string;
  embedder: EmbedderChoice;
  vectors: VectorStoreFactory;
  lock: LockOwner;
  now: () => Date;
  topK: number;
  minScore: number;
  signal?: AbortSignal;
  alarm?: AlarmInfo;
}

/** The events of one answer; Ink, plain text and JSON presenters all consume the same stream. */
export type AskEvent =
  | { type: 'indexed'; result: IndexResult }
  | { type: 'retrieved'; result: SearchResult; index: { files: number; sections: number; embedder: string } };

/** Brings the index up to date (the first run builds it), then retrieves the sections that answer. */
export async function* askRunbooks(opts: AskOptions): AsyncGenerator<AskEvent> {
  const indexed = await updateIndex({ root: opts.root, indexDir: opts.indexDir, embedder: opts.embedder, vectors: opts.vectors, lock: opts.lock, now: opts.now, signal: opts.signal });
  if (!indexed.upToDate) yield { type: 'indexed', result: indexed };
  const model: Embedder | undefined = opts.embedder.kind === 'model' ? opts.embedder.embedder : undefined;
  const index = await openIndex(opts.indexDir, opts.vectors, model);
  const query = opts.alarm ? `${alarmQuery(opts.alarm)} ${opts.question}`.trim() : opts.question;
  const result = await searchIndex(index, query, { topK: opts.topK, minScore: opts.minScore });
  yield { type: 'retrieved', result, index: { files: indexed.files, sections: indexed.sections, embedder: index.embedder.id } };
}
