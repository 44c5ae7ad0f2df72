import { describe, expect, it } from 'vitest';
import { firstRelevantRank, headingMatches, hitAt, mean, percentile, rankingSummary, reciprocalRank, refusalSummary, termCoverage } from '../../../src/core/eval/metrics.js';

describe('firstRelevantRank', () => {
  it.each([
    [['a', 'b', 'c'], ['b'], 2],
    [['a', 'b', 'c'], ['a', 'c'], 1],
    [['a', 'b', 'c'], ['z'], 0],
    [[], ['a'], 0],
  ])('%j with relevant %j → %i', (items, relevant, rank) => {
    expect(firstRelevantRank(items, (x) => relevant.includes(x))).toBe(rank);
  });
});

describe('hitAt and reciprocalRank', () => {
  it.each([
    // rank, k, hit, 1/rank within k
    [1, 1, 1, 1],
    [2, 1, 0, 0],
    [5, 5, 1, 0.2],
    [6, 5, 0, 0],
    [4, 10, 1, 0.25],
    [0, 10, 0, 0],
  ])('rank %i at k=%i → hit %i, rr %f', (rank, k, hit, rr) => {
    expect(hitAt(rank, k)).toBe(hit);
    expect(reciprocalRank(rank, k)).toBeCloseTo(rr, 12);
  });
});

describe('rankingSummary', () => {
  it.each([
    // ranks → R@1, R@5, MRR@10 (worked by hand)
    // [1,2,0,6]: R@1 1/4; R@5 2/4; MRR (1 + 1/2 + 0 + 1/6)/4 = (5/3)/4 = 5/12
    { ranks: [1, 2, 0, 6], r1: 0.25, r5: 0.5, mrr: 5 / 12 },
    // [1,1,1]: perfect
    { ranks: [1, 1, 1], r1: 1, r5: 1, mrr: 1 },
    // [3,11]: R@1 0; R@5 1/2; MRR (1/3 + 0)/2 = 1/6 (rank 11 is outside @10)
    { ranks: [3, 11], r1: 0, r5: 0.5, mrr: 1 / 6 },
    // [5,10]: R@5 1/2; MRR (0.2 + 0.1)/2 = 0.15
    { ranks: [5, 10], r1: 0, r5: 0.5, mrr: 0.15 },
  ])('$ranks', ({ ranks, r1, r5, mrr }) => {
    const s = rankingSummary(ranks);
    expect(s.n).toBe(ranks.length);
    expect(s.recallAt1).toBeCloseTo(r1, 12);
    expect(s.recallAt5).toBeCloseTo(r5, 12);
    expect(s.mrrAt10).toBeCloseTo(mrr, 12);
  });

  it('is null, not perfect, with no queries', () => {
    expect(rankingSummary([])).toEqual({ n: 0, recallAt1: null, recallAt5: null, mrrAt10: null });
  });
});

describe('refusalSummary', () => {
  const o = (mustRefuse: boolean, refused: boolean) => ({ mustRefuse, refused });
  it.each([
    // 2 must refuse, both refused, plus one wrongly refused: precision 2/3, recall 2/2
    { name: 'one false refusal', outcomes: [o(true, true), o(true, true), o(false, true), o(false, false)], precision: 2 / 3, recall: 1 },
    // 4 must refuse, 1 refused: precision 1/1, recall 1/4
    { name: 'under-refusing', outcomes: [o(true, true), o(true, false), o(true, false), o(true, false)], precision: 1, recall: 0.25 },
    // nothing refused: precision undefined; 1 must refuse → recall 0
    { name: 'never refuses', outcomes: [o(true, false), o(false, false)], precision: null, recall: 0 },
    // no must_refuse cases, one refusal: precision 0, recall undefined
    { name: 'no unanswerable cases', outcomes: [o(false, true), o(false, false)], precision: 0, recall: null },
  ])('$name', ({ outcomes, precision, recall }) => {
    const s = refusalSummary(outcomes);
    expect(s.precision === null ? null : Number(s.precision.toFixed(12))).toBe(precision === null ? null : Number(precision.toFixed(12)));
    expect(s.recall).toBe(recall);
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    // sorted [1..10]: p50 → ceil(5) = 5th = 5; p95 → ceil(9.5) = 10th = 10; p10 → 1st
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p: 50, want: 5 },
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p: 95, want: 10 },
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p: 10, want: 1 },
    // 20 values 1..20: p95 → ceil(19) = 19th = 19
    { values: Array.from({ length: 20 }, (_, i) => 20 - i), p: 95, want: 19 },
    // [3, 1, 2]: p50 → ceil(1.5) = 2nd = 2
    { values: [3, 1, 2], p: 50, want: 2 },
    { values: [7], p: 95, want: 7 },
    { values: [4, 8], p: 0, want: 4 },
  ])('p$p of $values → $want', ({ values, p, want }) => {
    expect(percentile(values, p)).toBe(want);
  });

  it('is null for no values', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe('termCoverage', () => {
  it.each([
    { text: 'Check the Target Group health', terms: ['target group', 'UnHealthyHostCount'], found: ['target group'], share: 0.5 },
    { text: 'run   redis-cli\n info memory', terms: ['redis-cli info memory'], found: ['redis-cli info memory'], share: 1 },
    { text: 'exit code 137 means OOM', terms: ['137', 'OOMKilled', 'exit code'], found: ['137', 'exit code'], share: 2 / 3 },
    { text: '', terms: ['anything'], found: [], share: 0 },
  ])('$terms in "$text"', ({ text, terms, found, share }) => {
    const c = termCoverage(text, terms);
    expect(c.found).toEqual(found);
    expect(c.missing).toEqual(terms.filter((t) => !found.includes(t)));
    expect(c.share).toBeCloseTo(share, 12);
  });

  it('is null when no terms are required', () => {
    expect(termCoverage('text', []).share).toBeNull();
  });
});

describe('headingMatches', () => {
  it.each([
    { path: ['Investigation', 'Check targets'], headings: ['investigation'], want: true },
    { path: ['Remediation', 'Roll back'], headings: ['Roll  back'], want: true },
    { path: ['Remediation'], headings: ['Investigation', 'Detection'], want: false },
    { path: [], headings: ['Investigation'], want: false },
    { path: ['Anything'], headings: [], want: true },
  ])('$path vs $headings → $want', ({ path, headings, want }) => {
    expect(headingMatches(path, headings)).toBe(want);
  });
});

describe('mean', () => {
  it.each([
    { xs: [1, 0, 0.5], want: 0.5 },
    { xs: [0.25], want: 0.25 },
  ])('$xs → $want', ({ xs, want }) => expect(mean(xs)).toBe(want));
  it('is null for an empty list', () => expect(mean([])).toBeNull());
});
