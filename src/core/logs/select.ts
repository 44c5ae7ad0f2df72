import { Heap } from './heap.js';
import type { ScoredLine } from './score.js';
import type { Reason } from './types.js';

/** A line chosen for output. */
export interface Chosen {
  n: number;
  text: string;
  dropped: number;
  template: number;
  score: number;
  reasons: Reason[];
}

export interface SelectOptions {
  budget: number;
  /** Upper bound on one block's markup. */
  blockCost: number;
  /** Tokens one line costs, without a repeat marker. */
  lineCost: (l: { n: number; text: string; dropped: number }) => number;
  /** Tokens a template's ×N marker adds (0 for a template seen once). Charged on its first kept line. */
  markerCost: (template: number) => number;
  /** Lines kept before and after each anchor when the budget allows. */
  context: number;
  /** Text of lines near the anchors (and of the anchors). */
  nearby: Map<number, { text: string; dropped: number; template: number }>;
}

/** Each further kept line of a template is worth this much less than the previous one (repeats add little). */
export const REPEAT_DECAY = 0.6;
/** A context line at distance d is worth its anchor's score times CONTEXT_DECAY^d. */
export const CONTEXT_DECAY = 0.45;

interface Item {
  n: number;
  /** Priority: the effective score when last computed. */
  key: number;
  /** Score before repeat decay. */
  base: number;
  line: ScoredLine | undefined;
}

/**
 * Greedy selection under a token budget: the best item by effective score goes in when its cost (line,
 * first ×N marker of its template, and block markup: +1 block when isolated, -1 when it joins two) fits;
 * otherwise it is skipped and smaller items still get their chance. Scores of a template's further lines
 * decay lazily (re-queued when stale). Keeping an anchor queues its context lines at decayed scores.
 */
export function selectLines(anchors: readonly ScoredLine[], opts: SelectOptions): Map<number, Chosen> {
  const kept = new Map<number, Chosen>();
  const keptPerTemplate = new Map<number, number>();
  const heap = new Heap<Item>((a, b) => a.key > b.key || (a.key === b.key && a.n < b.n));
  for (const a of anchors) heap.push({ n: a.n, key: a.score, base: a.score, line: a });
  let used = 0;
  while (heap.size > 0) {
    const item = heap.pop() as Item;
    if (kept.has(item.n)) continue;
    const near = item.line ?? opts.nearby.get(item.n);
    if (!near) continue;
    const template = item.line ? item.line.template : (near as { template: number }).template;
    const already = keptPerTemplate.get(template) ?? 0;
    const eff = item.base * REPEAT_DECAY ** already;
    if (eff < item.key - 1e-12) {
      heap.push({ ...item, key: eff });
      continue;
    }
    const before = kept.has(item.n - 1);
    const after = kept.has(item.n + 1);
    const blockDelta = before && after ? -opts.blockCost : before || after ? 0 : opts.blockCost;
    const cost = opts.lineCost({ n: item.n, text: near.text, dropped: near.dropped }) + (already === 0 ? opts.markerCost(template) : 0) + blockDelta;
    if (used + cost > opts.budget) continue;
    used += cost;
    keptPerTemplate.set(template, already + 1);
    const reasons: Reason[] = item.line ? item.line.reasons : ['context'];
    kept.set(item.n, { n: item.n, text: near.text, dropped: near.dropped, template, score: Math.min(1, eff), reasons });
    for (let d = 1; d <= opts.context; d++) {
      const s = eff * CONTEXT_DECAY ** d;
      for (const m of [item.n - d, item.n + d]) {
        if (!kept.has(m) && opts.nearby.has(m)) heap.push({ n: m, key: s, base: s, line: undefined });
      }
    }
  }
  return kept;
}
