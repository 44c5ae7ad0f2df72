import type { CitationCheck } from '../core/eval/citations.js';
import type { Comparison, GateResult } from '../core/eval/report.js';
import type { EvalRun } from '../core/eval/run.js';
import type { EvalSummary } from '../core/eval/summary.js';

/** The documented, versioned JSON shape of `opsctl eval --json` and `--save` (README: "opsctl eval"). */
export interface EvalJsonV1 {
  schema: 'opsctl.eval/v1';
  createdAt: string;
  /** The runbooks directory as given (relative to where opsctl ran when inside it). */
  runbooks: string;
  caseFiles: string[];
  settings: { topK: number; minScore: number; rankDepth: number; embedder: string; llm: string | null };
  index: { files: number; sections: number; embedder: string };
  /** Unrounded, so a dataset run can be compared digit for digit with bench/retrieval.mjs. */
  summary: EvalSummary;
  gates: GateResult[];
  /** Present with --compare. */
  comparison?: Comparison & { against: string };
  cases: Array<{
    id: string;
    source: string;
    /** Dataset runs: the query line's source (per-source metrics are in summary.bySource). */
    group?: string;
    query: string;
    mustRefuse: boolean;
    refused: boolean;
    bestRelevance: number;
    fileRank: number | null;
    sectionRank: number | null;
    topFiles: string[];
    requiredTerms: { found: string[]; missing: string[] };
    citations: { total: number; valid: number; invalid: CitationCheck[] };
    latencyMs: number;
    llm?: { answer: string; refused: boolean; faithfulness: number | null; requiredTerms: { found: string[]; missing: string[] }; citations: { total: number; valid: number; invalid: CitationCheck[] } };
  }>;
}

export interface EvalJsonInput {
  run: EvalRun;
  runbooks: string;
  caseFiles: string[];
  settings: EvalJsonV1['settings'];
  gates: GateResult[];
  comparison?: EvalJsonV1['comparison'];
  createdAt: Date;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const cites = (cs: CitationCheck[]) => ({ total: cs.length, valid: cs.filter((c) => c.valid).length, invalid: cs.filter((c) => !c.valid) });

export function evalJson(i: EvalJsonInput): EvalJsonV1 {
  return {
    schema: 'opsctl.eval/v1',
    createdAt: i.createdAt.toISOString(),
    runbooks: i.runbooks,
    caseFiles: i.caseFiles,
    settings: i.settings,
    index: i.run.index,
    summary: i.run.summary,
    gates: i.gates,
    ...(i.comparison ? { comparison: i.comparison } : {}),
    cases: i.run.cases.map((c) => ({
      id: c.id,
      source: c.source,
      ...(c.group !== undefined ? { group: c.group } : {}),
      query: c.query,
      mustRefuse: c.mustRefuse,
      refused: c.refused,
      bestRelevance: r3(c.bestRelevance),
      fileRank: c.fileRank,
      sectionRank: c.sectionRank,
      topFiles: c.topFiles,
      requiredTerms: { found: c.terms.found, missing: c.terms.missing },
      citations: cites(c.citations),
      latencyMs: r3(c.latencyMs),
      ...(c.llm
        ? { llm: { answer: c.llm.answer, refused: c.llm.refused, faithfulness: c.llm.faithfulness, requiredTerms: { found: c.llm.terms.found, missing: c.llm.terms.missing }, citations: cites(c.llm.citations) } }
        : {}),
    })),
  };
}
