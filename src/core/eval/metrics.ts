/**
 * Pure metric functions. Ranks are 1-based; 0 means "not found in the ranking". Undefined ratios (nothing to
 * divide by) are null, never 0 or 1, so a report never claims a perfect score it did not measure.
 */

/** 1-based rank of the first item `relevant` accepts, or 0 when none does. */
export function firstRelevantRank<T>(items: readonly T[], relevant: (item: T) => boolean): number {
  const i = items.findIndex(relevant);
  return i < 0 ? 0 : i + 1;
}

/** 1 when the rank is within the first k, else 0. */
export function hitAt(rank: number, k: number): number {
  return rank >= 1 && rank <= k ? 1 : 0;
}

/** 1/rank when the rank is within the first k, else 0 (the per-query term of MRR@k). */
export function reciprocalRank(rank: number, k: number): number {
  return rank >= 1 && rank <= k ? 1 / rank : 0;
}

export interface RankingSummary {
  /** Queries measured. */
  n: number;
  recallAt1: number | null;
  recallAt5: number | null;
  mrrAt10: number | null;
}

/** Recall@1, Recall@5 and MRR@10 over the first-relevant ranks of a set of queries. */
export function rankingSummary(ranks: readonly number[]): RankingSummary {
  return {
    n: ranks.length,
    recallAt1: mean(ranks.map((r) => hitAt(r, 1))),
    recallAt5: mean(ranks.map((r) => hitAt(r, 5))),
    mrrAt10: mean(ranks.map((r) => reciprocalRank(r, 10))),
  };
}

export interface RefusalSummary {
  /** Cases that were refused. */
  refused: number;
  /** Cases that must be refused. */
  mustRefuse: number;
  /** Refused and must be refused. */
  correct: number;
  /** correct / refused: how often a refusal was right (null when nothing was refused). */
  precision: number | null;
  /** correct / mustRefuse: how many unanswerable questions were refused (null when there are none). */
  recall: number | null;
}

export function refusalSummary(outcomes: ReadonlyArray<{ mustRefuse: boolean; refused: boolean }>): RefusalSummary {
  const refused = outcomes.filter((o) => o.refused).length;
  const mustRefuse = outcomes.filter((o) => o.mustRefuse).length;
  const correct = outcomes.filter((o) => o.refused && o.mustRefuse).length;
  return { refused, mustRefuse, correct, precision: ratio(correct, refused), recall: ratio(correct, mustRefuse) };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export interface TermCoverage {
  found: string[];
  missing: string[];
  /** found / required; null when no terms are required. */
  share: number | null;
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

/** Which required terms occur in the text, case-insensitively and with runs of whitespace treated as one space. */
export function termCoverage(text: string, terms: readonly string[]): TermCoverage {
  const hay = squash(text);
  const found = terms.filter((t) => hay.includes(squash(t.trim())));
  return { found, missing: terms.filter((t) => !found.includes(t)), share: ratio(found.length, terms.length) };
}

/** Arithmetic mean, null for an empty list. */
export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** a / b, null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** A heading as plain words: inline Markdown (code ticks, emphasis, links, images, html tags) removed, case and spacing folded. */
export function plainHeading(h: string): string {
  const text = h
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*~]/g, '')
    .replace(/(^|\W)_+|_+(?=\W|$)/g, '$1');
  return squash(text.trim());
}

/**
 * Does a section's heading path contain one of the expected headings? Compared case- and whitespace-insensitively
 * after removing inline Markdown (the dev-set protocol), so a subsection of the expected section counts too.
 */
export function headingMatches(headingPath: readonly string[], headings: readonly string[]): boolean {
  if (!headings.length) return true;
  const want = new Set(headings.map(plainHeading));
  return headingPath.some((h) => want.has(plainHeading(h)));
}
