import { mean, percentile, rankingSummary, ratio, refusalSummary, type RankingSummary, type RefusalSummary } from './metrics.js';
import type { CaseResult } from './run.js';

export interface CitationSummary {
  total: number;
  valid: number;
  /** valid / total; null when nothing was cited. */
  validity: number | null;
}

export interface EvalSummary {
  cases: number;
  answerable: number;
  mustRefuse: number;
  /** Over answerable cases: the first expected file among distinct files. */
  files: RankingSummary;
  /** Over answerable cases: the first section of an expected file (and heading, when given). */
  sections: RankingSummary;
  refusal: RefusalSummary;
  /** Dataset runs: file and section ranking per source (the `source` of each query line), sorted by name. */
  bySource?: Record<string, { files: RankingSummary; sections: RankingSummary }>;
  citations: CitationSummary;
  /** Mean per-case share of required terms found in the retrieved sections' text (cases that list terms). */
  requiredTermCoverage: number | null;
  /** Answerable cases that list required terms, and how many of them miss at least one. */
  requiredTermCases: number;
  requiredTermMisses: number;
  latencyMs: { p50: number | null; p95: number | null; max: number | null };
  llm?: {
    /** Mean share of supported answer sentences over answers that are not refusals. */
    faithfulness: number | null;
    requiredTermCoverage: number | null;
    citations: CitationSummary;
    refusal: RefusalSummary;
  };
}

function citationSummary(checks: ReadonlyArray<{ valid: boolean }>): CitationSummary {
  const valid = checks.filter((c) => c.valid).length;
  return { total: checks.length, valid, validity: ratio(valid, checks.length) };
}

function bySource(answerable: readonly CaseResult[]): NonNullable<EvalSummary['bySource']> {
  const groups = new Map<string, CaseResult[]>();
  for (const r of answerable) groups.set(r.group ?? '(none)', [...(groups.get(r.group ?? '(none)') ?? []), r]);
  const out: NonNullable<EvalSummary['bySource']> = {};
  for (const name of [...groups.keys()].sort()) {
    const rs = groups.get(name)!;
    out[name] = { files: rankingSummary(rs.map((r) => r.fileRank ?? 0)), sections: rankingSummary(rs.map((r) => r.sectionRank ?? 0)) };
  }
  return out;
}

/** Aggregates per-case results into the report summary. */
export function summarise(results: readonly CaseResult[]): EvalSummary {
  const answerable = results.filter((r) => !r.mustRefuse);
  const withTerms = answerable.filter((r) => r.terms.share !== null);
  const latency = results.map((r) => r.latencyMs);
  const summary: EvalSummary = {
    cases: results.length,
    answerable: answerable.length,
    mustRefuse: results.length - answerable.length,
    files: rankingSummary(answerable.map((r) => r.fileRank ?? 0)),
    sections: rankingSummary(answerable.map((r) => r.sectionRank ?? 0)),
    refusal: refusalSummary(results),
    ...(answerable.some((r) => r.group !== undefined) ? { bySource: bySource(answerable) } : {}),
    citations: citationSummary(results.flatMap((r) => r.citations)),
    requiredTermCoverage: mean(withTerms.map((r) => r.terms.share as number)),
    requiredTermCases: withTerms.length,
    requiredTermMisses: withTerms.filter((r) => r.terms.missing.length > 0).length,
    latencyMs: { p50: percentile(latency, 50), p95: percentile(latency, 95), max: percentile(latency, 100) },
  };
  const judged = results.filter((r) => r.llm);
  if (judged.length) {
    const llm = judged.map((r) => ({ r, j: r.llm! }));
    summary.llm = {
      faithfulness: mean(llm.filter(({ j }) => j.faithfulness !== null).map(({ j }) => j.faithfulness as number)),
      requiredTermCoverage: mean(llm.filter(({ r, j }) => !r.mustRefuse && j.terms.share !== null).map(({ j }) => j.terms.share as number)),
      citations: citationSummary(llm.flatMap(({ j }) => j.citations)),
      refusal: refusalSummary(llm.map(({ r, j }) => ({ mustRefuse: r.mustRefuse, refused: j.refused }))),
    };
  }
  return summary;
}
