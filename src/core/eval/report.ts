import { readFileSync } from 'node:fs';
import { OpsctlError } from '../errors.js';
import type { EvalSummary } from './summary.js';

/** Headline metrics by a stable dotted name; the order is the order reports print them in. */
export const METRICS: ReadonlyArray<{ key: string; get: (s: EvalSummary) => number | null | undefined; higherIsBetter: boolean }> = [
  { key: 'files.recallAt1', get: (s) => s.files.recallAt1, higherIsBetter: true },
  { key: 'files.recallAt5', get: (s) => s.files.recallAt5, higherIsBetter: true },
  { key: 'files.mrrAt10', get: (s) => s.files.mrrAt10, higherIsBetter: true },
  { key: 'sections.recallAt1', get: (s) => s.sections.recallAt1, higherIsBetter: true },
  { key: 'sections.recallAt5', get: (s) => s.sections.recallAt5, higherIsBetter: true },
  { key: 'sections.mrrAt10', get: (s) => s.sections.mrrAt10, higherIsBetter: true },
  { key: 'refusal.precision', get: (s) => s.refusal.precision, higherIsBetter: true },
  { key: 'refusal.recall', get: (s) => s.refusal.recall, higherIsBetter: true },
  { key: 'citations.validity', get: (s) => s.citations.validity, higherIsBetter: true },
  { key: 'requiredTermCoverage', get: (s) => s.requiredTermCoverage, higherIsBetter: true },
  { key: 'latencyMs.p50', get: (s) => s.latencyMs.p50, higherIsBetter: false },
  { key: 'latencyMs.p95', get: (s) => s.latencyMs.p95, higherIsBetter: false },
  { key: 'llm.faithfulness', get: (s) => s.llm?.faithfulness, higherIsBetter: true },
  { key: 'llm.requiredTermCoverage', get: (s) => s.llm?.requiredTermCoverage, higherIsBetter: true },
  { key: 'llm.citations.validity', get: (s) => s.llm?.citations.validity, higherIsBetter: true },
  { key: 'llm.refusal.recall', get: (s) => s.llm?.refusal.recall, higherIsBetter: true },
];

export interface Thresholds {
  minRecallAt1?: number;
  minRecallAt5?: number;
  minMrr?: number;
  minSectionRecallAt5?: number;
  minRefusalRecall?: number;
  minRefusalPrecision?: number;
  minCitationValidity?: number;
  minRequiredTerms?: number;
  minFaithfulness?: number;
  maxP95Ms?: number;
}

export interface GateResult {
  /** The flag that set it, e.g. "--min-recall-at-5". */
  gate: string;
  metric: string;
  threshold: number;
  /** null when the run could not measure it (e.g. no must_refuse cases): such a gate fails. */
  actual: number | null;
  pass: boolean;
}

const GATES: ReadonlyArray<{ key: keyof Thresholds; gate: string; metric: string; max?: true }> = [
  { key: 'minRecallAt1', gate: '--min-recall-at-1', metric: 'files.recallAt1' },
  { key: 'minRecallAt5', gate: '--min-recall-at-5', metric: 'files.recallAt5' },
  { key: 'minMrr', gate: '--min-mrr', metric: 'files.mrrAt10' },
  { key: 'minSectionRecallAt5', gate: '--min-section-recall-at-5', metric: 'sections.recallAt5' },
  { key: 'minRefusalRecall', gate: '--min-refusal-recall', metric: 'refusal.recall' },
  { key: 'minRefusalPrecision', gate: '--min-refusal-precision', metric: 'refusal.precision' },
  { key: 'minCitationValidity', gate: '--min-citation-validity', metric: 'citations.validity' },
  { key: 'minRequiredTerms', gate: '--min-required-terms', metric: 'requiredTermCoverage' },
  { key: 'minFaithfulness', gate: '--min-faithfulness', metric: 'llm.faithfulness' },
  { key: 'maxP95Ms', gate: '--max-p95-ms', metric: 'latencyMs.p95', max: true },
];

/** Looks a metric up by its dotted name. */
export function metricValue(summary: EvalSummary, key: string): number | null {
  return METRICS.find((m) => m.key === key)?.get(summary) ?? null;
}

/** Checks every threshold that was given; a minimum passes at or above it, a maximum at or below it. */
export function evaluateGates(summary: EvalSummary, t: Thresholds): GateResult[] {
  return GATES.filter((g) => t[g.key] !== undefined).map((g) => {
    const threshold = t[g.key] as number;
    const actual = metricValue(summary, g.metric);
    const pass = actual !== null && (g.max ? actual <= threshold : actual >= threshold);
    return { gate: g.gate, metric: g.metric, threshold, actual, pass };
  });
}

export interface MetricDelta {
  metric: string;
  previous: number | null;
  current: number | null;
  /** current − previous; null when either side is missing. */
  delta: number | null;
  /** better / worse / same, by the metric's direction; unknown when either side is missing. */
  change: 'better' | 'worse' | 'same' | 'unknown';
}

export interface CaseRanks {
  id: string;
  fileRank: number | null;
}

export interface Comparison {
  deltas: MetricDelta[];
  /** Cases whose expected file was in the top 5 before and is not now. */
  newlyMissed: string[];
  /** Cases whose expected file was not in the top 5 before and is now. */
  newlyFound: string[];
}

const inTop5 = (r: number | null | undefined) => typeof r === 'number' && r >= 1 && r <= 5;

/** Deltas of every headline metric, and which cases moved in or out of the top 5, against a previous report. */
export function compareReports(previous: { summary: EvalSummary; cases: CaseRanks[] }, current: { summary: EvalSummary; cases: CaseRanks[] }): Comparison {
  const deltas = METRICS.map((m): MetricDelta => {
    const prev = m.get(previous.summary) ?? null;
    const cur = m.get(current.summary) ?? null;
    if (prev === null || cur === null) return { metric: m.key, previous: prev, current: cur, delta: null, change: 'unknown' };
    const delta = cur - prev;
    const change = Math.abs(delta) < 1e-9 ? 'same' : (delta > 0) === m.higherIsBetter ? 'better' : 'worse';
    return { metric: m.key, previous: prev, current: cur, delta, change };
  }).filter((d) => d.previous !== null || d.current !== null);
  const before = new Map(previous.cases.map((c) => [c.id, c.fileRank]));
  const newlyMissed: string[] = [];
  const newlyFound: string[] = [];
  for (const c of current.cases) {
    if (!before.has(c.id) || c.fileRank === null) continue;
    const was = inTop5(before.get(c.id));
    if (was && !inTop5(c.fileRank)) newlyMissed.push(c.id);
    if (!was && inTop5(c.fileRank)) newlyFound.push(c.id);
  }
  return { deltas, newlyMissed, newlyFound };
}

/** Reads a report saved with `--save` or `--json`; anything else is an input error naming the file. */
export function readPreviousReport(path: string, display: string): { summary: EvalSummary; cases: CaseRanks[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new OpsctlError('input', `cannot read the previous report ${display}: ${why}`, 'pass a report written by opsctl eval --save FILE (or --json)');
  }
  const r = raw as { schema?: unknown; summary?: EvalSummary; cases?: CaseRanks[] };
  if (r?.schema !== 'opsctl.eval/v1' || typeof r.summary !== 'object' || !r.summary?.files || !Array.isArray(r.cases)) {
    throw new OpsctlError('input', `${display} is not an opsctl eval report (schema opsctl.eval/v1)`, 'pass a report written by opsctl eval --save FILE (or --json)');
  }
  return { summary: r.summary, cases: r.cases };
}

const THRESHOLD_FLAGS: ReadonlyArray<[keyof Thresholds, string]> = GATES.map((g) => [g.key, g.gate]);

/** Parses gate flags (strings from the command line): minimums are shares in [0, 1], --max-p95-ms is ≥ 0. */
export function parseThresholds(raw: Partial<Record<keyof Thresholds, string | undefined>>): Thresholds {
  const out: Thresholds = {};
  for (const [key, flag] of THRESHOLD_FLAGS) {
    const v = raw[key];
    if (v === undefined) continue;
    const n = Number(v);
    const ok = v.trim() !== '' && Number.isFinite(n) && n >= 0 && (key === 'maxP95Ms' || n <= 1);
    if (!ok) throw new OpsctlError('usage', `${flag} must be ${key === 'maxP95Ms' ? 'a number of milliseconds ≥ 0' : 'a number between 0 and 1'} (got ${JSON.stringify(v)})`);
    out[key] = n;
  }
  return out;
}
