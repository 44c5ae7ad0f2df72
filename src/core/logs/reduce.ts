import { OpsctlError } from '../errors.js';
import { blockMarkupBound, fairShare } from './budget.js';
import { collectCandidates, readNearby } from './collect.js';
import { buildDoc, type SourcePick } from './document.js';
import { scanSource, type SourceStats } from './scan.js';
import { selectLines, type Chosen } from './select.js';
import { estimateTokens } from './tokens.js';
import type { LogInput, ReducedLog, ReduceFormat } from './types.js';

export interface ReduceOptions {
  /** Token budget for the whole output, markup included. */
  budget?: number;
  /** Or a share of the input's tokens, in (0, 1]. */
  ratio?: number;
  /** Context lines around each kept line (default 2). */
  context?: number;
  format: ReduceFormat;
  signal?: AbortSignal;
  /** Anchor candidates held per source in pass 2 (bounds memory). */
  maxCandidates?: number;
}

export interface ReduceOutput {
  doc: ReducedLog;
  /** The rendered document; estimateTokens(text) <= doc.budget always holds. */
  text: string;
}

/**
 * Reduces logs to their most anomalous parts within a token budget. Pass 1 mines templates per source;
 * the budget is split by greedy fair share; pass 2 scores lines and keeps the best candidates; pass 3 reads
 * context; a greedy selection fills each source's share. The rendered output is checked against the budget
 * and trimmed (lowest scores first) if the estimate says it is over, so the budget is a hard guarantee.
 */
export async function reduceLogs(inputs: readonly LogInput[], opts: ReduceOptions): Promise<ReduceOutput> {
  if (inputs.length === 0) throw new OpsctlError('usage', 'no log inputs given', 'pass files, - for stdin, or --log-group');
  const stats: SourceStats[] = [];
  try {
    for (const input of inputs) stats.push(await scanSource(input, opts.signal));
    return await reduceScanned(stats, opts);
  } finally {
    for (const s of stats) s.ids.dispose();
  }
}

async function reduceScanned(stats: SourceStats[], opts: ReduceOptions): Promise<ReduceOutput> {
  const inputs = stats.map((s) => s.input);
  const inputLines = stats.reduce((s, x) => s + x.lines, 0);
  const inputTokens = stats.reduce((s, x) => s + x.tokens, 0);
  if (inputLines === 0) {
    throw new OpsctlError('no-match', `nothing to reduce: ${inputs.map((i) => i.name).join(', ')} ${inputs.length > 1 ? 'are' : 'is'} empty`, 'check the input (for CloudWatch Logs: the group, --since and --filter-pattern)');
  }
  const budget = resolveBudget(opts, inputTokens);
  const skeleton = buildDoc(stats, stats.map(() => ({ kept: new Map(), budget: budget })), budget, inputLines, inputTokens, true);
  const overhead = estimateTokens(opts.format.render(skeleton));
  if (budget < overhead) {
    throw new OpsctlError('usage', `a budget of ${budget} tokens is below the ${overhead}-token minimum for this output (its header)`, `raise --budget to at least ${overhead}${opts.ratio ? ' or --ratio' : ''}`);
  }
  const blockCosts = stats.map((s) => blockMarkupBound(opts.format, s.input.name, Math.max(s.lines, 1)));
  const needs = stats.map((s, i) => needAll(s, blockCosts[i], opts.format));
  const allot = fairShare(needs, budget - overhead);
  const picks: SourcePick[] = [];
  for (let i = 0; i < stats.length; i++) picks.push(await pickSource(stats[i], allot[i], blockCosts[i], opts));

  for (;;) {
    const doc = buildDoc(stats, picks, budget, inputLines, inputTokens, false);
    // The header states its own size: iterate to a fixed point (the digits rarely change more than once).
    let text = opts.format.render(doc);
    let used = estimateTokens(text);
    for (let i = 0; i < 5 && used !== doc.used; i++) {
      doc.used = used;
      text = opts.format.render(doc);
      used = estimateTokens(text);
    }
    if (used <= budget) return { doc, text };
    dropLowest(picks);
  }
}

/** Upper bound on the tokens a source needs to be shown whole: its lines, their markup and cut markers. */
function needAll(s: SourceStats, blockCost: number, format: ReduceFormat): number {
  const perLine = estimateTokens(format.lineMarkup({ n: s.lines, text: '' }));
  const perCut = estimateTokens(format.lineMarkup({ n: s.lines, text: '', truncated: 2 ** 31 }));
  return blockCost + s.tokens + s.lines * perLine + s.truncatedLines * perCut;
}

function resolveBudget(opts: ReduceOptions, inputTokens: number): number {
  if (opts.budget !== undefined) {
    if (!Number.isInteger(opts.budget) || opts.budget < 1) throw new OpsctlError('usage', `--budget must be a positive whole number of tokens (got ${opts.budget})`);
    return opts.budget;
  }
  const r = opts.ratio;
  if (r === undefined || !(r > 0 && r <= 1)) throw new OpsctlError('usage', `--ratio must be in (0, 1] (got ${r})`, 'e.g. --ratio 0.05 keeps about 5% of the input tokens');
  return Math.floor(r * inputTokens);
}

async function pickSource(s: SourceStats, allot: number, blockCost: number, opts: ReduceOptions): Promise<SourcePick> {
  const lineCost = (l: { n: number; text: string; dropped: number }) => estimateTokens(opts.format.lineMarkup({ n: l.n, text: l.text, truncated: l.dropped || undefined }));
  if (s.lines === 0 || allot < blockCost) return { kept: new Map(), budget: allot };
  if (needAll(s, blockCost, opts.format) <= allot) {
    const all = await readNearby(s, 'all', opts.signal);
    let cost = blockCost;
    const kept = new Map<number, Chosen>();
    for (const [n, l] of all) {
      cost += lineCost({ n, ...l });
      kept.set(n, { n, text: l.text, dropped: l.dropped, template: -1, score: 0, reasons: ['all'] });
    }
    if (cost <= allot) return { kept, budget: allot, all: true };
  }
  const context = opts.context ?? 2;
  // A kept line costs several tokens, so more candidates than allot / 4 could never be used.
  const max = Math.min(opts.maxCandidates ?? 20_000, Math.ceil(allot / 4) + 64);
  const anchors = await collectCandidates(s, max, opts.signal);
  const wanted = new Set<number>();
  for (const a of anchors) for (let d = -context; d <= context; d++) if (a.n + d >= 1 && a.n + d <= s.lines) wanted.add(a.n + d);
  const nearby = await readNearby(s, wanted, opts.signal);
  const markerCost = (t: number) => {
    const tpl = s.miner.templates[t];
    if (!tpl || tpl.count <= 1) return 0;
    return estimateTokens(opts.format.lineMarkup({ n: 0, text: '', repeat: { count: tpl.count, first: tpl.firstLine, last: tpl.lastLine } }));
  };
  const kept = selectLines(anchors, { budget: allot, blockCost, lineCost, markerCost, context, nearby });
  return { kept, budget: allot };
}

/** Removes the lowest-scoring kept line of all sources (the over-budget safety net). */
function dropLowest(picks: SourcePick[]): void {
  let best: { pick: SourcePick; n: number; score: number } | undefined;
  for (const pick of picks) {
    for (const c of pick.kept.values()) if (!best || c.score < best.score) best = { pick, n: c.n, score: c.score };
  }
  if (!best) throw new Error('reduce: output over budget with nothing left to drop');
  best.pick.kept.delete(best.n);
  best.pick.all = false;
}
