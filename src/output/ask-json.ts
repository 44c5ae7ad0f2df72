import type { AnswerEvent, AnswerSource } from '../core/answer/answer.js';
import type { RedactionKind } from '../core/safety/redact.js';
import type { Hit, SearchResult } from '../core/runbooks/search.js';
import { destructiveFlags, groundingFlags, injectionFlags } from './ask-answer-text.js';
import { citation } from './sections.js';

/** The documented, versioned JSON shape of `opsctl ask --json` (README: "JSON output"). */
export interface AskJsonV1 {
  schema: 'opsctl.ask/v1';
  query: string;
  answered: boolean;
  /** Relevance of the best section in [0, 1]; below the floor, `answered` is false and `hits` is empty. */
  bestRelevance: number;
  minScore: number;
  hits: Array<{
    rank: number;
    file: string;
    startLine: number;
    endLine: number;
    headingPath: string[];
    title: string;
    citation: string;
    score: number;
    relevance: number;
    why: { matchedTerms: string[]; lexical: number; dense: number };
    text: string;
    /** Identical sections elsewhere. */
    alsoIn: Array<{ file: string; startLine: number; endLine: number; headingPath: string[] }>;
    /** Added: true for a section the text output folds into "more in this file" (past the per-file limit). */
    collapsed: boolean;
  }>;
  index: { files: number; sections: number; embedder: string; updated: boolean };
  /** Added (still v1): the LLM's grounded answer, null without one (no LLM, no match, or the LLM failed). */
  answer: string | null;
  /** The numbered sections the LLM was given ([n] in `answer`); `cited` when the answer cites it. Empty without an LLM. */
  sources: AnswerSource[];
  /** Added: the grounding check of `answer`; null without one. `ok` is false when anything is flagged. */
  grounding: {
    ok: boolean;
    /** Added: "ungrounded" when an instruction is flagged; the exit code is then 13 (also for a cut-off answer). */
    verdict: 'grounded' | 'ungrounded';
    /** Share of the answer's claims whose citation shares enough content with them, in [0, 1]. */
    supportedShare: number;
    /** Cited numbers that are not sources. */
    invalidCitations: number[];
    /** Sentences or steps whose citations do not support them. */
    unsupported: string[];
    /** Instructions or commands with no valid citation. */
    uncitedInstructions: string[];
    /** Added: commands that no cited section contains (whitespace-normalised). */
    commandsNotInCited: string[];
    /** Added: destructive commands or steps not found verbatim in a cited section. */
    destructive: string[];
    /** Added: instructions with any problem (these make the verdict "ungrounded"). */
    ungroundedInstructions: string[];
    /** Added: cited sections with lines addressed to the model (possible prompt injection). */
    injections: Array<{ n: number; lines: string[] }>;
    /** One line per flagged part, as the text output shows them (destructive lines first). */
    flags: string[];
    /** The model said the runbooks do not cover the question. */
    notCovered: boolean;
  } | null;
  /** Added: whether an LLM answered. `error` when it was asked for but failed (exit 7); `skipped` when not called. */
  llm: {
    used: boolean;
    id?: string;
    error?: string;
    skipped?: 'no-match';
    /** Added: what streamed before the backend failed; `grounding` checks it. */
    partial?: string;
    /** Estimated prompt tokens sent. */
    promptTokens?: number;
    /** What was masked before a cloud backend (kind → count); absent for a local backend. */
    redacted?: Partial<Record<RedactionKind, number>>;
  };
}

/** What the LLM part of the stream produced, for `askJson`. */
export interface AskJsonLlm {
  done: Extract<AnswerEvent, { type: 'done' }>;
  prompt?: Extract<AnswerEvent, { type: 'prompt' }>;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function llmPart(a: AskJsonLlm | undefined): Pick<AskJsonV1, 'answer' | 'sources' | 'grounding' | 'llm'> {
  const done = a?.done;
  if (!done || (!done.usedLlm && !done.llm)) return { answer: null, sources: [], grounding: null, llm: { used: false } };
  const g = done.grounding;
  return {
    answer: done.usedLlm ? (done.answer ?? '') : null,
    sources: done.sources,
    grounding: g
      ? {
        ok: g.ok, verdict: g.verdict, supportedShare: r3(g.supportedShare), invalidCitations: g.invalidCitations, unsupported: g.unsupportedUnits,
        uncitedInstructions: g.uncitedInstructions, commandsNotInCited: g.commandsNotInCited, destructive: g.destructive, ungroundedInstructions: g.ungroundedInstructions,
        injections: g.injections, flags: [...destructiveFlags(g), ...groundingFlags(g), ...injectionFlags(g)], notCovered: g.notCovered,
      }
      : null,
    llm: {
      used: done.usedLlm,
      id: done.llm,
      ...(done.fallbackReason ? { error: done.fallbackReason } : {}),
      ...(done.skipped ? { skipped: done.skipped } : {}),
      ...(done.partial ? { partial: done.partial } : {}),
      ...(a?.prompt ? { promptTokens: a.prompt.tokens } : {}),
      ...(a?.prompt?.redactions ? { redacted: a.prompt.redactions } : {}),
    },
  };
}

/** Every hit, shown and collapsed, in ranking order; each says whether the text output collapsed it. */
function withCollapsed(result: SearchResult): Array<Hit & { collapsed: boolean }> {
  const all = [...result.hits.map((h) => ({ ...h, collapsed: false })), ...(result.collapsed ?? []).map((h) => ({ ...h, collapsed: true }))];
  return all.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
}

export function askJson(result: SearchResult, root: string, minScore: number, index: AskJsonV1['index'], llm?: AskJsonLlm): AskJsonV1 {
  return {
    schema: 'opsctl.ask/v1',
    query: result.query,
    answered: !result.noMatch,
    bestRelevance: r3(result.best),
    minScore,
    hits: withCollapsed(result).map((h, i) => {
      const [first, ...rest] = h.section.sources;
      return {
        rank: i + 1,
        file: `${root ? `${root}/` : ''}${first.file}`,
        startLine: first.startLine,
        endLine: first.endLine,
        headingPath: first.headingPath,
        title: h.section.title,
        citation: citation(first, root),
        score: r3(h.score),
        relevance: r3(h.relevance),
        why: { matchedTerms: h.matched, lexical: r3(h.lexical), dense: r3(h.dense) },
        text: h.section.text,
        alsoIn: rest.map((s) => ({ file: `${root ? `${root}/` : ''}${s.file}`, startLine: s.startLine, endLine: s.endLine, headingPath: s.headingPath })),
        collapsed: h.collapsed,
      };
    }),
    index,
    ...llmPart(llm),
  };
}
