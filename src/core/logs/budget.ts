import { estimateTokens } from './tokens.js';
import { REASONS, type ReduceFormat } from './types.js';

/** What a source asks of the budget. */
export interface SourceNeed {
  /** Tokens to show it whole (an upper bound). */
  all: number;
  /** Tokens for its best evidence lines (served before anything is shared out). */
  evidence: number;
  /** Input tokens, to share the rest in proportion to size… */
  tokens: number;
  /** …and to how anomalous its best lines are, in [0, 1]. */
  score: number;
}

/**
 * Splits a budget across sources by size and evidence: each source first gets what its best lines need
 * (scaled down together if even that does not fit), then the rest goes in proportion to tokens × score,
 * water-filled so that a source never gets more than it needs to be shown whole. The allotments sum to at
 * most `total`.
 */
export function shareBudget(needs: readonly SourceNeed[], total: number): number[] {
  const left0 = Math.max(0, Math.floor(total));
  const first = needs.map((n) => Math.min(n.all, n.evidence));
  const sumFirst = first.reduce((a, b) => a + b, 0);
  const scale = sumFirst > left0 ? left0 / sumFirst : 1;
  const out = first.map((f) => Math.floor(f * scale));
  let left = left0 - out.reduce((a, b) => a + b, 0);
  // A floor on the score, so a routine log still gets some share of a budget nobody else can use.
  const weight = needs.map((n) => n.tokens * Math.max(0.05, n.score) ** 2);
  let open = needs.map((n, i) => i).filter((i) => out[i] < needs[i].all);
  while (left > 0 && open.length > 0) {
    const w = open.reduce((a, i) => a + weight[i], 0);
    let given = 0;
    const still: number[] = [];
    for (const i of open) {
      const share = Math.floor(w > 0 ? (left * weight[i]) / w : left / open.length);
      const take = Math.min(share, needs[i].all - out[i]);
      out[i] += take;
      given += take;
      if (out[i] < needs[i].all) still.push(i);
    }
    left -= given;
    if (given === 0 || still.length === open.length) break; // nobody capped: the proportional split is final
    open = still;
  }
  return out;
}

/** Upper bound on one block's markup for a source: widest line numbers, highest score, longest reason. */
export function blockMarkupBound(format: ReduceFormat, source: string, maxLine: number): number {
  let worst = 0;
  for (const a of REASONS) {
    for (const b of REASONS) {
      const reason = a === b ? a : `${a}, ${b}`;
      const t = estimateTokens(format.blockMarkup({ source, label: source, start: maxLine, end: maxLine, score: 0.99, reason }));
      if (t > worst) worst = t;
    }
  }
  return worst;
}
