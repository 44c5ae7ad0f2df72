import { RankHeap } from './rank-heap.js';
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
export const REPEAT_DECAY = 0.75;
/** Milder decay for representatives of unusual sessions: each stands for a different session. */
export const SESSION_REPEAT_DECAY = 0.92;
/** A context line at distance d is worth its anchor's score times CONTEXT_DECAY^d. */
export const CONTEXT_DECAY = 0.45;
/** Give up after this many items in a row did not fit: the budget is as good as spent. */
const MAX_MISSES = 500;

interface Item {
  n: number;
  /** Priority: the effective score when last computed. */
  key: number;
  /** Score before repeat decay. */
  base: number;
  template: number;
  /** Anchor (with its scored line) or context line. */
  line?: ScoredLine;
}

function decayOf(line: ScoredLine | undefined): number {
  return line?.session === undefined ? REPEAT_DECAY : SESSION_REPEAT_DECAY;
}

/**
 * Greedy selection under a token budget: the best item by effective score goes in when its cost (line,
 * first ×N marker of its template, and block markup: +1 block when isolated, -1 when it joins two) fits;
 * otherwise it is skipped and smaller items still get their chance. Anchors wait in one queue per template
 * (best first) with only the head in the main heap, so a template's repeat decay costs one re-queue per
 * keep rather than one per waiting line. Keeping a line queues its context lines at decayed scores.
 */
export function selectLines(anchors: readonly ScoredLine[], opts: SelectOptions): Map<number, Chosen> {
  const kept = new Map<number, Chosen>();
  const keptPerTemplate = new Map<number, number>();
  const queues = new Map<number, ScoredLine[]>();
  for (const a of anchors) {
    let q = queues.get(a.template);
    if (!q) queues.set(a.template, (q = []));
    q.push(a);
  }
  const heap = new RankHeap<Item>();
  const pushHead = (t: number) => {
    const q = queues.get(t);
    const next = q?.pop();
    if (!next) return;
    const eff = next.score * decayOf(next) ** (keptPerTemplate.get(t) ?? 0);
    heap.push(eff, next.n, { n: next.n, key: eff, base: next.score, template: t, line: next });
  };
  for (const q of queues.values()) q.sort((a, b) => a.score - b.score || b.n - a.n); // best at the end, for pop()
  for (const t of queues.keys()) pushHead(t);
  let used = 0;
  let misses = 0;
  while (heap.size > 0 && misses < MAX_MISSES) {
    const item = heap.pop();
    if (kept.has(item.n)) {
      if (item.line) pushHead(item.template);
      continue;
    }
    const already = keptPerTemplate.get(item.template) ?? 0;
    const eff = item.base * decayOf(item.line) ** already;
    if (eff < item.key - 1e-12) {
      item.key = eff; // items are owned by the heap: requeue the same object
      heap.push(eff, item.n, item);
      continue;
    }
    if (item.line) pushHead(item.template);
    const near = item.line ?? opts.nearby.get(item.n);
    if (!near) continue;
    const before = kept.has(item.n - 1);
    const after = kept.has(item.n + 1);
    const blockDelta = before && after ? -opts.blockCost : before || after ? 0 : opts.blockCost;
    const cost = opts.lineCost({ n: item.n, text: near.text, dropped: near.dropped }) + (already === 0 ? opts.markerCost(item.template) : 0) + blockDelta;
    if (used + cost > opts.budget) {
      misses++;
      continue;
    }
    misses = 0;
    used += cost;
    keptPerTemplate.set(item.template, already + 1);
    kept.set(item.n, { n: item.n, text: near.text, dropped: near.dropped, template: item.template, score: Math.min(1, eff), reasons: item.line ? item.line.reasons : ['context'] });
    for (let d = 1; d <= opts.context; d++) {
      const s = eff * CONTEXT_DECAY ** d;
      for (let m = item.n - d; m <= item.n + d; m += 2 * d) {
        const ctx = kept.has(m) ? undefined : opts.nearby.get(m);
        if (ctx) heap.push(s, m, { n: m, key: s, base: s, template: ctx.template, line: undefined });
      }
    }
  }
  return kept;
}
