import { answerQuestion, type AnswerEvent } from '../answer/answer.js';
import { followUpQuery, type ConversationTurn } from '../answer/session.js';
import type { AlarmInfo, Embedder, LlmClient } from '../ports.js';
import type { IndexAccess, IndexResult } from './indexer.js';
import { updateOrLastGood } from './last-good.js';
import { openIndex } from './open.js';
import { searchIndex, type SearchResult } from './search.js';
import { alarmQuery } from './alarm-query.js';
import { inRankOrder, MAX_PER_FILE } from './collapse.js';

export interface AskOptions extends IndexAccess {
  question: string;
  topK: number;
  minScore: number;
  alarm?: AlarmInfo;
  /** Sections shown per file before the next file (default MAX_PER_FILE; 0: no limit); the rest are collapsed. */
  maxPerFile?: number;
  /** Generate a grounded answer with this LLM after retrieval; without it the answer is the sections. */
  answer?: AskLlmOptions;
  /** Earlier turns of an interactive session: retrieval adds the previous question, the prompt carries the turns. */
  history?: ConversationTurn[];
}

export interface AskLlmOptions {
  llm: LlmClient;
  /** Prefix of runbook paths in citations, as the user sees them. */
  displayRoot: string;
  /** Mask secrets before a cloud backend; undefined for a local one. */
  budgetTokens?: number;
}

/** The events of one answer; Ink, plain text and JSON presenters all consume the same stream. */
export type AskEvent =
  | { type: 'indexed'; result: IndexResult }
  | { type: 'retrieved'; result: SearchResult; index: { files: number; sections: number; embedder: string } }
  | AnswerEvent;

/**
 * Brings the index up to date (the first run builds it), retrieves the sections that answer, and with
 * `answer` streams a grounded LLM answer (prompt → delta* → citation* → done). Without it, `done` follows
 * `retrieved` at once with `usedLlm: false`.
 */
export async function* askRunbooks(opts: AskOptions): AsyncGenerator<AskEvent> {
  // An index that cannot be updated (disk full, lock held, read-only) still answers, with one warning: during an
  // incident a slightly stale answer beats none.
  const indexed = await updateOrLastGood({ root: opts.root, rootGiven: opts.rootGiven, indexDir: opts.indexDir, embedder: opts.embedder, vectors: opts.vectors, lock: opts.lock, now: opts.now, signal: opts.signal, onStale: opts.onStale });
  if (!indexed.upToDate) yield { type: 'indexed', result: indexed };
  const model: Embedder | undefined = opts.embedder.kind === 'model' ? opts.embedder.embedder : undefined;
  const index = await openIndex(opts.indexDir, opts.vectors, model);
  const asked = followUpQuery(opts.question, opts.history ?? []);
  const query = opts.alarm ? `${alarmQuery(opts.alarm)} ${asked}`.trim() : asked;
  // A follow-up to an answered question ("and if that fails?") shares few words with any section, so the floor
  // would turn it away; it stays in the earlier question's context, and the model may still say not covered.
  const inContext = (opts.history?.at(-1)?.sources.length ?? 0) > 0;
  const result = await searchIndex(index, query, { topK: opts.topK, minScore: inContext ? 0 : opts.minScore, maxPerFile: opts.maxPerFile ?? MAX_PER_FILE });
  yield { type: 'retrieved', result, index: { files: indexed.files, sections: indexed.sections, embedder: index.embedder.id } };
  if (!opts.answer) {
    yield { type: 'done', sources: [], usedLlm: false };
    return;
  }
  const question = opts.alarm ? `${opts.question} (CloudWatch alarm ${opts.alarm.name}: ${alarmQuery(opts.alarm)})`.trim() : opts.question;
  yield* answerQuestion({ ...opts.answer, history: opts.history, question, hits: inRankOrder(result).slice(0, opts.topK), noMatch: result.noMatch, signal: opts.signal });
}
