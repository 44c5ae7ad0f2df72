import { answerQuestion, type AnswerEvent } from '../answer/answer.js';
import { NOT_COVERED } from '../answer/prompt.js';
import { OpsctlError } from '../errors.js';
import type { LlmClient } from '../ports.js';
import type { Hit } from '../runbooks/search.js';
import { checkCitation, type CitationCheck, type LineReader } from './citations.js';
import { termCoverage, type TermCoverage } from './metrics.js';

/** How one generated answer fared. */
export interface LlmJudgement {
  answer: string;
  /** The answer is the refusal sentence (or retrieval refused, so no LLM was asked, as in `ask`). */
  refused: boolean;
  /** Share of the answer's claims supported by a cited section (checkGrounding); null for a refusal. */
  faithfulness: number | null;
  /** One entry per distinct [n] in the answer. */
  citations: CitationCheck[];
  terms: TermCoverage;
}

/**
 * Gets an answer through ask's own grounded-answer use-case (same prompt, budget, redaction and grounding check),
 * then judges it locally: faithfulness is checkGrounding's supported share, each [n] must name a section the model
 * was given whose lines hold its text, and required terms must appear in the answer. When retrieval refused, the
 * use-case does not call the LLM, exactly as in `ask`. A backend failure stops the eval (exit 6): a run with some
 * answers missing would not measure what was asked for.
 */
export async function judgeWithLlm(opts: {
  llm: LlmClient;
  question: string;
  hits: Hit[];
  noMatch: boolean;
  requiredTerms: readonly string[];
  read: LineReader;
  signal?: AbortSignal;
}): Promise<LlmJudgement> {
  let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
  for await (const ev of answerQuestion({ question: opts.question, hits: opts.hits, noMatch: opts.noMatch, llm: opts.llm, displayRoot: '', signal: opts.signal })) {
    if (ev.type === 'done') done = ev;
  }
  if (!done || done.skipped === 'no-match') return { answer: NOT_COVERED, refused: true, faithfulness: null, citations: [], terms: termCoverage('', opts.requiredTerms) };
  if (!done.usedLlm || done.answer === undefined || !done.grounding) {
    throw new OpsctlError('llm', `the LLM failed during eval: ${done.fallbackReason ?? 'no answer'}`, 'check the backend (opsctl ask --llm … on one question), then run eval again');
  }
  const { answer, grounding } = done;
  const refused = grounding.notCovered && grounding.units.every((u) => !u.claim);
  const cited = [...new Set(grounding.units.flatMap((u) => u.citations))].sort((a, b) => a - b);
  const citations = cited.map((n): CitationCheck => {
    const src = done.sources[n - 1];
    if (!src) return { citation: `[${n}]`, valid: false, reason: `no section [${n}] was given` };
    const check = checkCitation({ file: src.file, startLine: src.startLine, endLine: src.endLine, text: opts.hits[n - 1].section.text }, opts.read);
    return { ...check, citation: `[${n}] ${check.citation}` };
  });
  return { answer, refused, faithfulness: refused ? null : grounding.supportedShare, citations, terms: termCoverage(answer, opts.requiredTerms) };
}
