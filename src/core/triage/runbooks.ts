import type { IndexResult } from '../runbooks/indexer.js';
import { askRunbooks, type AskOptions } from '../runbooks/ask.js';
import type { RunbookMatches } from './types.js';

export type RunbookSearchOptions = Omit<AskOptions, 'question' | 'alarm' | 'answer' | 'history'>;

/**
 * Runs the `ask` retrieval (no LLM) for a query built from the alarm (see triageQuery). Brings the index up
 * to date first, as `ask` does; `onIndexed` hears when it did.
 */
export async function searchRunbooks(opts: RunbookSearchOptions, query: string, onIndexed?: (r: IndexResult) => void): Promise<RunbookMatches> {
  for await (const ev of askRunbooks({ ...opts, question: query })) {
    if (ev.type === 'indexed') onIndexed?.(ev.result);
    if (ev.type === 'retrieved') return { query: ev.result.query, hits: ev.result.hits, noMatch: ev.result.noMatch };
  }
  throw new Error('retrieval produced no result');
}
