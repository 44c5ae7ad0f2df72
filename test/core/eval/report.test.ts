import { describe, expect, it } from 'vitest';
import { EXIT, OpsctlError } from '../../../src/core/errors.js';
import { compareReports, evaluateGates, parseThresholds } from '../../../src/core/eval/report.js';
import type { CaseResult } from '../../../src/core/eval/run.js';
import { summarise } from '../../../src/core/eval/summary.js';

const ok = { citation: 'a.md:1-2', valid: true };
const bad = { citation: 'a.md:9-99', valid: false, reason: 'line range outside the file (20 lines)' };

function result(over: Partial<CaseResult>): CaseResult {
  return {
    id: 'x',
    source: 'f.yaml',
    query: 'q',
    mustRefuse: false,
    refused: false,
    bestRelevance: 0.5,
    fileRank: 1,
    sectionRank: 1,
    topFiles: [],
    citations: [],
    terms: { found: [], missing: [], share: null },
    latencyMs: 1,
    ...over,
  };
}

// Four answerable cases and two that must be refused, worked by hand:
//   file ranks 1, 3, 0, 1      → R@1 2/4, R@5 3/4, MRR@10 (1 + 1/3 + 0 + 1)/4 = 7/12
//   section ranks 2, 6, 0, 1   → R@1 1/4, R@5 2/4, MRR@10 (1/2 + 1/6 + 0 + 1)/4 = 5/12
//   refused: c (answerable), r1 (must) → precision 1/2; must refuse r1, r2 → recall 1/2
//   citations 3 valid of 4 → 0.75; term shares 1, 0.5 (c, d list none) → 0.75
//   latencies 4, 1, 3, 2, 6, 5 → p50 = 3rd of [1..6] = 3; p95 = ceil(5.7) = 6th = 6
const cases: CaseResult[] = [
  result({ id: 'a', fileRank: 1, sectionRank: 2, citations: [ok, ok], terms: { found: ['t'], missing: [], share: 1 }, latencyMs: 4 }),
  result({ id: 'b', fileRank: 3, sectionRank: 6, citations: [ok, bad], terms: { found: ['t'], missing: ['u'], share: 0.5 }, latencyMs: 1 }),
  result({ id: 'c', fileRank: 0, sectionRank: 0, refused: true, latencyMs: 3 }),
  result({ id: 'd', fileRank: 1, sectionRank: 1, latencyMs: 2 }),
  result({ id: 'r1', mustRefuse: true, refused: true, fileRank: null, sectionRank: null, latencyMs: 6 }),
  result({ id: 'r2', mustRefuse: true, refused: false, fileRank: null, sectionRank: null, latencyMs: 5 }),
];

describe('summarise', () => {
  const s = summarise(cases);
  it('counts cases', () => expect([s.cases, s.answerable, s.mustRefuse]).toEqual([6, 4, 2]));
  it('ranks files and sections over answerable cases', () => {
    expect(s.files.recallAt1).toBeCloseTo(0.5, 12);
    expect(s.files.recallAt5).toBeCloseTo(0.75, 12);
    expect(s.files.mrrAt10).toBeCloseTo(7 / 12, 12);
    expect(s.sections.recallAt1).toBeCloseTo(0.25, 12);
    expect(s.sections.recallAt5).toBeCloseTo(0.5, 12);
    expect(s.sections.mrrAt10).toBeCloseTo(5 / 12, 12);
  });
  it('scores refusals, citations, terms and latency', () => {
    expect(s.refusal).toEqual({ refused: 2, mustRefuse: 2, correct: 1, precision: 0.5, recall: 0.5 });
    expect(s.citations).toEqual({ total: 4, valid: 3, validity: 0.75 });
    expect(s.requiredTermCoverage).toBeCloseTo(0.75, 12);
    expect([s.requiredTermCases, s.requiredTermMisses]).toEqual([2, 1]);
    expect(s.latencyMs).toEqual({ p50: 3, p95: 6, max: 6 });
    expect(s.llm).toBeUndefined();
  });

  it('summarises LLM judgements: faithfulness over non-refusals, terms over answerable cases', () => {
    const terms = (share: number | null) => ({ found: [], missing: [], share });
    const judged = [
      result({ id: 'a', llm: { answer: 'x', refused: false, faithfulness: 1, citations: [ok], terms: terms(1) } }),
      result({ id: 'b', llm: { answer: 'y', refused: false, faithfulness: 0.5, citations: [ok, bad], terms: terms(0) } }),
      result({ id: 'r', mustRefuse: true, refused: false, fileRank: null, sectionRank: null, llm: { answer: 'no', refused: true, faithfulness: null, citations: [], terms: terms(null) } }),
    ];
    // faithfulness (1 + 0.5)/2; terms (1 + 0)/2; citations 2/3; the LLM refused r although retrieval did not
    expect(summarise(judged).llm).toEqual({
      faithfulness: 0.75,
      requiredTermCoverage: 0.5,
      citations: { total: 3, valid: 2, validity: 2 / 3 },
      refusal: { refused: 1, mustRefuse: 1, correct: 1, precision: 1, recall: 1 },
    });
  });
});

describe('evaluateGates', () => {
  const s = summarise(cases);
  it.each([
    { t: { minRecallAt5: 0.75 }, want: [['--min-recall-at-5', 0.75, true]] },
    { t: { minRecallAt5: 0.76 }, want: [['--min-recall-at-5', 0.75, false]] },
    { t: { minRecallAt1: 0.5, minMrr: 0.6 }, want: [['--min-recall-at-1', 0.5, true], ['--min-mrr', 7 / 12, false]] },
    { t: { minRefusalRecall: 0.5, minRefusalPrecision: 0.6 }, want: [['--min-refusal-recall', 0.5, true], ['--min-refusal-precision', 0.5, false]] },
    { t: { minSectionRecallAt5: 0.5 }, want: [['--min-section-recall-at-5', 0.5, true]] },
    { t: { maxP95Ms: 6 }, want: [['--max-p95-ms', 6, true]] },
    { t: { maxP95Ms: 5.9 }, want: [['--max-p95-ms', 6, false]] },
    { t: { minCitationValidity: 0.7 }, want: [['--min-citation-validity', 0.75, true]] },
    // Required terms gate too (issue 17: the gate passed while cases missed their terms).
    { t: { minRequiredTerms: 0.75 }, want: [['--min-required-terms', 0.75, true]] },
    { t: { minRequiredTerms: 0.8 }, want: [['--min-required-terms', 0.75, false]] },
    // Not measured (no --llm): a gate on it fails rather than passing silently.
    { t: { minFaithfulness: 0 }, want: [['--min-faithfulness', null, false]] },
    { t: {}, want: [] },
  ])('$t', ({ t, want }) => {
    const round = (x: number | null) => (x === null ? null : Number(x.toFixed(12)));
    expect(evaluateGates(s, t).map((g) => [g.gate, round(g.actual), g.pass])).toEqual(want.map(([g, a, p]) => [g, round(a as number | null), p]));
  });
});

describe('parseThresholds', () => {
  it('parses the flags that were given', () => {
    expect(parseThresholds({ minRecallAt5: '0.9', maxP95Ms: '250', minMrr: undefined })).toEqual({ minRecallAt5: 0.9, maxP95Ms: 250 });
  });
  it.each([
    { raw: { minRecallAt5: '90' }, msg: '--min-recall-at-5 must be a number between 0 and 1 (got "90")' },
    { raw: { minMrr: 'high' }, msg: '--min-mrr must be a number between 0 and 1 (got "high")' },
    { raw: { maxP95Ms: '-1' }, msg: '--max-p95-ms must be a number of milliseconds ≥ 0 (got "-1")' },
    { raw: { minRefusalRecall: '' }, msg: '--min-refusal-recall must be a number between 0 and 1 (got "")' },
  ])('rejects $raw as a usage error', ({ raw, msg }) => {
    let err: unknown;
    try {
      parseThresholds(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).exitCode).toBe(EXIT.USAGE);
    expect((err as OpsctlError).message).toBe(msg);
  });
});

describe('compareReports', () => {
  const previous = { summary: summarise(cases), cases: cases.map((c) => ({ id: c.id, fileRank: c.fileRank })) };
  // Now: b drops out of the top 5 (3 → 7), c is found at 2, p95 latency grows.
  const nowCases = cases.map((c) => (c.id === 'b' ? { ...c, fileRank: 7 } : c.id === 'c' ? { ...c, fileRank: 2, refused: false } : c.id === 'r2' ? { ...c, latencyMs: 9 } : c));
  const current = { summary: summarise(nowCases), cases: nowCases.map((c) => ({ id: c.id, fileRank: c.fileRank })) };
  const cmp = compareReports(previous, current);
  const delta = (m: string) => cmp.deltas.find((d) => d.metric === m);

  it('gives deltas with the direction of each metric', () => {
    // MRR before 7/12; after (1 + 1/7 + 1/2 + 1)/4 = 37/56 → +(37/56 − 7/12) = +0.0774…
    expect(delta('files.mrrAt10')!.previous).toBeCloseTo(7 / 12, 12);
    expect(delta('files.mrrAt10')!.current).toBeCloseTo(37 / 56, 12);
    expect(delta('files.mrrAt10')!.change).toBe('better');
    expect(delta('files.mrrAt10')!.delta).toBeCloseTo(37 / 56 - 7 / 12, 12);
    expect(delta('files.recallAt5')).toMatchObject({ previous: 0.75, current: 0.75, delta: 0, change: 'same' });
    // Refusal precision: before 1/2 (c wrongly refused), after 1/1.
    expect(delta('refusal.precision')).toMatchObject({ previous: 0.5, current: 1, delta: 0.5, change: 'better' });
    // Latency p95 6 → 9 is worse although the number went up.
    expect(delta('latencyMs.p95')).toMatchObject({ previous: 6, current: 9, delta: 3, change: 'worse' });
  });

  it('leaves out metrics neither report measured', () => {
    expect(delta('llm.faithfulness')).toBeUndefined();
  });

  it('names cases that moved in or out of the top 5', () => {
    expect(cmp.newlyMissed).toEqual(['b']);
    expect(cmp.newlyFound).toEqual(['c']);
  });
});
