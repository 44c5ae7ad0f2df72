import { isOpsctlError, OpsctlError } from '../errors.js';
import type { ChatMessage, LlmClient } from '../ports.js';
import type { Hit } from '../runbooks/search.js';
import { checkGrounding, type GroundingReport } from './grounding.js';
import { buildGroundedPrompt, estimateTokens, fitSections, type PromptSection } from './prompt.js';
import type { RedactionKind } from '../safety/redact.js';
import { historyMessages, type ConversationTurn } from './session.js';

/** Estimated prompt tokens (system + history + sections + question): fits a 4k context with room for the answer. */
export const PROMPT_BUDGET_TOKENS = 3000;
/** Longest answer asked for: a summary and a handful of steps. */
export const ANSWER_MAX_TOKENS = 700;

/** One numbered section the answer may cite, with where it comes from. */
export interface AnswerSource {
  n: number;
  file: string;
  startLine: number;
  endLine: number;
  headingPath: string[];
  /** `runbooks/alb-5xx.md:42-77 › Remediation › Roll back` (what the model and the user see). */
  citation: string;
  /** The answer cites it with a valid [n]. */
  cited: boolean;
}

/** The events of a generated answer, after `retrieved`. */
export type AnswerEvent =
  /** The exact messages sent (after redaction), for --verbose. */
  | { type: 'prompt'; messages: ChatMessage[]; sources: AnswerSource[]; tokens: number; redactions: Partial<Record<RedactionKind, number>> | null }
  | { type: 'delta'; text: string }
  /** The first time the streamed text cites a valid [n]. */
  | { type: 'citation'; source: AnswerSource }
  | {
      type: 'done';
      /** The generated answer (usedLlm) or undefined (no LLM, skipped, or failed). */
      answer?: string;
      grounding?: GroundingReport;
      sources: AnswerSource[];
      usedLlm: boolean;
      /** The LLM asked for, e.g. "ollama:llama3.1". */
      llm?: string;
      /** Why the LLM answer is missing though one was asked for: print the offline answer instead. */
      fallbackReason?: string;
      /** Text already streamed before the backend failed (the presenter must say it is incomplete); `grounding` checks it. */
      partial?: string;
      /** The LLM was deliberately not called. */
      skipped?: 'no-match';
    };

export interface AnswerOptions {
  /** What the person asked (the follow-up itself in a session). */
  question: string;
  /** Retrieved sections, best first; [n] is the n-th. */
  hits: Hit[];
  /** The relevance floor was not reached: the LLM is not called. */
  noMatch: boolean;
  llm: LlmClient;
  /** Prefix of runbook paths in citations (the runbooks dir as the user sees it). */
  displayRoot: string;
  /** Earlier turns of an interactive session. */
  history?: ConversationTurn[];
  budgetTokens?: number;
  signal?: AbortSignal;
}

/** `runbooks/alb-5xx.md:42-77 › Remediation › Roll back`: the same form as the no-LLM output. */
export function citeSource(src: { file: string; startLine: number; endLine: number; headingPath: string[] }, root: string): string {
  const head = src.headingPath.length ? ` › ${src.headingPath.join(' › ')}` : '';
  return `${root ? `${root}/` : ''}${src.file}:${src.startLine}-${src.endLine}${head}`;
}

/** Numbers the hits [1..k] as the prompt and the source list show them. */
export function answerSources(hits: Hit[], root: string): AnswerSource[] {
  return hits.map((h, i) => {
    const s = h.section.sources[0];
    return { n: i + 1, file: `${root ? `${root}/` : ''}${s.file}`, startLine: s.startLine, endLine: s.endLine, headingPath: s.headingPath, citation: citeSource(s, root), cited: false };
  });
}

/**
 * The grounded-answer use-case: numbered sections → prompt (fitted to a token budget, redacted when asked)
 * → streamed deltas → grounding check. Never calls the LLM when retrieval found nothing relevant. When the
 * backend fails (down, timeout, model missing: an OpsctlError 'llm'), it ends with `usedLlm: false` and a
 * `fallbackReason` so the caller prints the offline answer; Ctrl-C (the signal) is rethrown as 'interrupted'.
 */
export async function* answerQuestion(opts: AnswerOptions): AsyncGenerator<AnswerEvent> {
  if (opts.noMatch || opts.hits.length === 0) {
    yield { type: 'done', sources: [], usedLlm: false, llm: opts.llm.id, skipped: 'no-match' };
    return;
  }
  const history = historyMessages(opts.history ?? []);
  const historyTokens = history.reduce((t, m) => t + estimateTokens(m.content), 0);
  const all = answerSources(opts.hits, opts.displayRoot);
  const sections: PromptSection[] = opts.hits.map((h, i) => ({ n: i + 1, citation: all[i].citation, text: h.section.text }));
  const fitted = fitSections(opts.question, sections, (opts.budgetTokens ?? PROMPT_BUDGET_TOKENS) - historyTokens);
  const sources = all.slice(0, fitted.length);
  const [system, user] = buildGroundedPrompt(opts.question, fitted);
  let messages: ChatMessage[] = [system, ...history, user];
  let redactions: Partial<Record<RedactionKind, number>> | null = null;
  let checked: PromptSection[] = fitted;
  const redaction = opts.llm.redaction;
  if (redaction) {
    // Show the prompt as sent; the client masks again on the way out (masks are idempotent), so nothing bypasses it.
    const r = await redaction.apply(messages);
    messages = r.messages;
    redactions = r.counts as Partial<Record<RedactionKind, number>>;
    // Check the answer against what the model saw, masks included.
    const seen = await redaction.apply(fitted.map((s) => ({ role: 'user' as const, content: s.text })));
    checked = fitted.map((s, i) => ({ ...s, text: seen.messages[i].content }));
  }
  yield { type: 'prompt', messages, sources, tokens: messages.reduce((t, m) => t + estimateTokens(m.content), 0), redactions };

  let answer = '';
  const announced = new Set<number>();
  try {
    for await (const text of opts.llm.stream({ messages, temperature: 0, maxTokens: ANSWER_MAX_TOKENS, signal: opts.signal })) {
      answer += text;
      yield { type: 'delta', text };
      for (const n of citedNumbers(answer)) {
        const src = sources[n - 1];
        if (src && !announced.has(n)) {
          announced.add(n);
          yield { type: 'citation', source: { ...src, cited: true } };
        }
      }
    }
  } catch (err) {
    if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'interrupted', undefined, { cause: err });
    if (!isOpsctlError(err) || err.code !== 'llm') throw err;
    // What already streamed reached the screen: a cut-off answer is checked like a whole one.
    yield { type: 'done', sources, usedLlm: false, llm: opts.llm.id, fallbackReason: err.message, ...(answer ? { partial: answer, grounding: checkGrounding(answer, checked) } : {}) };
    return;
  }
  const grounding = checkGrounding(answer, checked);
  const cited = new Set(grounding.units.flatMap((u) => u.citations));
  yield { type: 'done', answer, grounding, sources: sources.map((s) => ({ ...s, cited: cited.has(s.n) })), usedLlm: true, llm: opts.llm.id };
}

/** Every number cited as [n] or [n, m] so far. */
export function citedNumbers(text: string): number[] {
  return [...text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)].flatMap((m) => m[1].split(',').map((x) => Number(x.trim())));
}
