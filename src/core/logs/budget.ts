import { estimateTokens } from './tokens.js';
import { REASONS, type ReduceFormat } from './types.js';

/**
 * Greedy fair share: sources are served smallest need first; one that fits in an equal share of what is
 * left gets all it needs, and the rest split the remainder equally. Returns one allotment per need.
 */
export function fairShare(needs: readonly number[], total: number): number[] {
  const out = new Array<number>(needs.length).fill(0);
  const order = needs.map((_, i) => i).sort((a, b) => needs[a] - needs[b] || a - b);
  let left = Math.max(0, Math.floor(total));
  let k = needs.length;
  for (const i of order) {
    const share = Math.floor(left / k);
    out[i] = Math.min(needs[i], share);
    left -= out[i];
    k--;
  }
  return out;
}

/** Upper bound on one block's markup for a source: widest line numbers, highest score, longest reason. */
export function blockMarkupBound(format: ReduceFormat, source: string, maxLine: number): number {
  let worst = 0;
  for (const a of REASONS) {
    for (const b of REASONS) {
      const reason = a === b ? a : `${a}, ${b}`;
      const t = estimateTokens(format.blockMarkup({ source, start: maxLine, end: maxLine, score: 0.99, reason }));
      if (t > worst) worst = t;
    }
  }
  return worst;
}
