import { checkGrounding } from '../answer/grounding.js';
import { buildGroundedPrompt, NOT_COVERED, type PromptSection } from '../answer/prompt.js';
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

/** The numbered sections the model sees, in retrieval order. */
export function promptSections(hits: readonly Hit[]): PromptSection[] {
  return hits.map((h, i) => {
    const src = h.section.sources[0];
    const head = src.headingPath.length ? ` › ${src.headingPath.join(' › ')}` : '';
    return { n: i + 1, citation: `${src.file}:${src.startLine}-${src.endLine}${head}`, text: h.section.text };
  });
}

/**
 * Asks the LLM for a grounded answer over the hits ask would show, then judges it locally: faithfulness via
 * checkGrounding, citation validity (each [n] names a shown section whose lines hold its text), required terms.
 * When retrieval refused, no LLM is asked, exactly like `ask`.
 */
export async function judgeWithLlm(
  llm: LlmClient,
  question: string,
  hits: readonly Hit[],
  requiredTerms: readonly string[],
  read: LineReader,
  signal?: AbortSignal,
): Promise<LlmJudgement> {
  if (!hits.length) return { answer: NOT_COVERED, refused: true, faithfulness: null, citations: [], terms: termCoverage('', requiredTerms) };
  const sections = promptSections(hits);
  const answer = await llm.complete({ messages: buildGroundedPrompt(question, sections), temperature: 0, signal });
  const report = checkGrounding(answer, sections);
  const refused = report.notCovered && report.units.every((u) => !u.claim);
  const cited = [...new Set(report.units.flatMap((u) => u.citations))].sort((a, b) => a - b);
  const citations = cited.map((n): CitationCheck => {
    const hit = hits[n - 1];
    if (!hit) return { citation: `[${n}]`, valid: false, reason: `no section [${n}] was given` };
    const src = hit.section.sources[0];
    const check = checkCitation({ file: src.file, startLine: src.startLine, endLine: src.endLine, text: hit.section.text }, read);
    return { ...check, citation: `[${n}] ${check.citation}` };
  });
  return { answer, refused, faithfulness: refused ? null : report.supportedShare, citations, terms: termCoverage(answer, requiredTerms) };
}
