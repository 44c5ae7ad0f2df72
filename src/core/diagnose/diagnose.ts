import { isOpsctlError } from '../errors.js';
import type { ReduceOutput } from '../logs/reduce.js';
import type { LlmClient } from '../ports.js';
import type { ReducedLog } from '../logs/types.js';
import { ADVICE, causeLine, componentsOf, shortQuote } from './advice.js';
import { categorize, type Category } from './category.js';
import { collectEvidence, keptRefs, type RejectedEvidence } from './evidence.js';
import { checkDiagnosis, type DiagnosisGrounding } from './grounding.js';
import { bareLine } from './prefix.js';
import { findStructure } from './structure.js';
import { askDiagnosis, diagnosisPrompt, type LlmDiagnosis } from './llm.js';
import type { RunbookRef } from './runbooks.js';

export interface DiagnoseOptions {
  /** Produces the reduced log (files, stdin or CloudWatch Logs; see reduceSources). */
  reduce: () => Promise<ReduceOutput>;
  /** Runbook retrieval for a query; undefined skips it. Its OpsctlErrors (no runbooks dir...) become a note. */
  runbooks?: (query: string) => Promise<RunbookRef[]>;
  /** Ask this model for a structured diagnosis; a backend failure falls back to the offline one. */
  llm?: LlmClient;
  signal?: AbortSignal;
  /** Warnings for stderr (runbooks skipped, LLM fell back). */
  onNote?: (message: string) => void;
}

/** The model's fields (or the heuristic's in their place), plus what opsctl adds around them. */
export interface Diagnosis extends LlmDiagnosis {
  category: Category | 'unknown';
  runbooks: RunbookRef[];
  llm: { used: boolean; requested: boolean; id?: string; error?: string; rejectedEvidence?: RejectedEvidence[] };
  reduced: { kept: number; inputLines: number; budget: number; used: number };
  /** The model's fix, next steps and patch checked against the log lines and the matched runbooks (LLM only). */
  grounding?: DiagnosisGrounding;
}

/** An empty input is "no failure found" (exit 3) with the usual JSON, not an error without output. */
async function reduceOrEmpty(reduce: DiagnoseOptions['reduce']): Promise<ReducedLog> {
  try {
    return (await reduce()).doc;
  } catch (e) {
    if (!isOpsctlError(e) || e.code !== 'no-match') throw e;
    return { blocks: [], sources: [], keptLines: 0, inputLines: 0, inputTokens: 0, budget: 0, used: 0 };
  }
}

/** Longest runbook query: the category words and the first lines of the top evidence. */
const QUERY_CHARS = 400;

/**
 * The `diagnose` use case: reduce → heuristic category → evidence from kept lines → matching runbooks →
 * optionally an LLM diagnosis whose evidence is checked against the kept lines (invalid items are dropped and
 * reported). No evidence means nothing looked like a failure: the result has an empty evidence list and the
 * LLM is not asked.
 */
export async function diagnose(opts: DiagnoseOptions): Promise<Diagnosis> {
  const doc = await reduceOrEmpty(opts.reduce);
  const refs = keptRefs(doc);
  const structure = findStructure(refs.map((r) => r.text));
  const verdict = categorize(refs, structure.factor);
  // A log that says it succeeded, with no step marked failed, has no failure to explain (exit 3).
  const evidence = structure.succeeded ? [] : collectEvidence(refs, verdict.category, structure);
  const advice = ADVICE[verdict.category];
  const reduced = { kept: doc.keptLines, inputLines: doc.inputLines, budget: doc.budget, used: doc.used };
  const llm: Diagnosis['llm'] = { used: false, requested: opts.llm !== undefined, ...(opts.llm ? { id: opts.llm.id } : {}) };
  // The first error inside the failing step states the cause best, when it speaks for the chosen category.
  const firstIdx = structure.firstError !== undefined && structure.firstMatch?.category === verdict.category ? structure.firstError : structure.firstStated;
  const first = firstIdx !== undefined && evidence.length ? refs[firstIdx] : undefined;
  const quote = first ? shortQuote(bareLine(first.text)) : causeLine(evidence, verdict.category);
  const base: Diagnosis = {
    category: verdict.category,
    root_cause: evidence.length === 0 ? 'No failure found in the log' : `${advice.cause}${quote ? `: ${quote}` : ''}`,
    fix: evidence.length === 0 ? '' : advice.fix,
    severity: evidence.length === 0 ? 'low' : advice.severity,
    components: componentsOf(evidence),
    evidence,
    next_steps: evidence.length === 0 ? [] : advice.steps.slice(),
    runbooks: [],
    llm,
    reduced,
  };
  if (evidence.length === 0) return base;

  if (opts.runbooks) {
    const lines = evidence.slice(0, 2).map((e) => e.text.split('\n')[0]).join(' ');
    const query = `${verdict.category === 'unknown' ? '' : `${verdict.category.replace('-', ' ')} `}${advice.words} ${lines}`.slice(0, QUERY_CHARS);
    try {
      base.runbooks = await opts.runbooks(query);
    } catch (e) {
      if (!isOpsctlError(e) || e.code === 'interrupted') throw e;
      opts.onNote?.(`runbooks skipped: ${e.message}`);
    }
  }
  if (base.runbooks.length) base.next_steps.push(`Follow the runbook ${base.runbooks[0].citation}`);
  if (!opts.llm) return base;

  try {
    const { diagnosis, rejected } = await askDiagnosis(opts.llm, diagnosisPrompt(refs, verdict.category, base.runbooks), refs, opts.signal);
    if (rejected.length) opts.onNote?.(`${rejected.length} evidence item(s) from the model did not match the kept lines and were dropped`);
    return {
      ...base,
      ...diagnosis,
      // A model that cited nothing real still gets the heuristic evidence, so the output always points at lines.
      evidence: diagnosis.evidence.length ? diagnosis.evidence : evidence,
      components: diagnosis.components.length ? diagnosis.components : base.components,
      next_steps: diagnosis.next_steps.length ? diagnosis.next_steps : base.next_steps,
      llm: { ...llm, used: true, ...(rejected.length ? { rejectedEvidence: rejected } : {}) },
      grounding: checkDiagnosis(diagnosis, refs, base.runbooks),
    };
  } catch (e) {
    if (!isOpsctlError(e) || e.code !== 'llm') throw e;
    opts.onNote?.(`diagnosed without the LLM: ${e.message}`);
    return { ...base, llm: { ...llm, error: e.message } };
  }
}
