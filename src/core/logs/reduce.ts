import { OpsctlError } from '../errors.js';
import { markKnown } from './baseline.js';
import { blockMarkupBound, shareBudget, type SourceNeed } from './budget.js';
import { collectCandidates, readNearby } from './collect.js';
import { buildDoc, sourceLabel, type SourcePick } from './document.js';
import { scanSource, type SourceStats } from './scan.js';
import type { ScoredLine } from './score.js';
import { selectLines, type Chosen } from './select.js';
import { loadTokenCounter, type TokenCounter } from './tokenizer.js';
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
  /** A passing run: templates it also shows are background (see baseline.ts). */
  baseline?: LogInput;
  /** Counts the kept output: o200k, cl100k or estimate (default). Scanning always uses the estimate. */
  tokenizer?: string;
}

export interface ReduceOutput {
  doc: ReducedLog;
  /** The rendered document; its token count (by the chosen tokenizer) is <= doc.budget always. */
  text: string;
}

/** A line at or above this score is evidence: each source gets room for its evidence before the rest is shared. */
const EVIDENCE = 0.5;
/** Evidence lines per source served first (the rest compete in the proportional share). */
const EVIDENCE_LINES = 12;

/**
 * Reduces logs to their most anomalous parts within a token budget. Pass 1 mines templates per source (and
 * the baseline's, when given); pass 2 scores lines and keeps the best candidates; the budget is shared by
 * evidence, size and score; pass 3 reads context; a greedy selection fills each source's share. The
 * rendered output is counted with the chosen tokenizer and trimmed (lowest scores first) while it is over,
 * so the budget is a hard guarantee.
 */
export async function reduceLogs(inputs: readonly LogInput[], opts: ReduceOptions): Promise<ReduceOutput> {
  if (inputs.length === 0) throw new OpsctlError('usage', 'no log inputs given', 'pass files, - for stdin, or --log-group');
  const counter = await loadTokenCounter(opts.tokenizer);
  const stats: SourceStats[] = [];
  let base: SourceStats | undefined;
  try {
    if (opts.baseline) base = await scanSource(opts.baseline, opts.signal);
    for (const input of inputs) {
      const s = await scanSource(input, opts.signal);
      stats.push(s);
      if (base) s.known = markKnown(s, base);
    }
    base?.ids.dispose();
    base = undefined;
    return await reduceScanned(stats, opts, counter);
  } finally {
    base?.ids.dispose();
    for (const s of stats) s.ids.dispose();
  }
}

async function reduceScanned(stats: SourceStats[], opts: ReduceOptions, counter: TokenCounter): Promise<ReduceOutput> {
  const inputs = stats.map((s) => s.input);
  const inputLines = stats.reduce((s, x) => s + x.lines, 0);
  const inputTokens = stats.reduce((s, x) => s + x.tokens, 0);
  if (inputLines === 0) {
    throw new OpsctlError('no-match', `nothing to reduce: ${inputs.map((i) => i.name).join(', ')} ${inputs.length > 1 ? 'are' : 'is'} empty`, 'check the input (for CloudWatch Logs: the group, --since and --filter-pattern)');
  }
  const budget = resolveBudget(opts, inputTokens);
  const skeleton = buildDoc(stats, stats.map(() => ({ kept: new Map(), budget: budget })), budget, inputLines, inputTokens, true);
  skeleton.tokenizer = counter.name;
  const skeletonText = opts.format.render(skeleton);
  const overhead = Math.max(estimateTokens(skeletonText), counter.count(skeletonText));
  if (budget < overhead) {
    throw new OpsctlError('usage', `a budget of ${budget} tokens is below the ${overhead}-token minimum for this output (its header)`, `raise --budget to at least ${overhead}${opts.ratio ? ' or --ratio' : ''}`);
  }
  const avail = budget - overhead;
  const blockCosts = stats.map((s, i) => blockMarkupBound(opts.format, sourceLabel(stats, i), Math.max(s.lines, 1)));
  const alls = stats.map((s, i) => needAll(s, blockCosts[i], opts.format));
  // Pass 2 for every source first: the share of each follows its evidence, not just its size.
  const max = Math.min(opts.maxCandidates ?? 20_000, Math.ceil(avail / 4) + 64);
  const anchors: ScoredLine[][] = [];
  // Small sources are scored too: one that would fit whole still gets only its evidence before the share.
  for (let i = 0; i < stats.length; i++) anchors.push(stats[i].lines === 0 ? [] : await collectCandidates(stats[i], max, opts.signal));
  const needs: SourceNeed[] = stats.map((s, i) => evidenceNeed(s, anchors[i], alls[i], blockCosts[i], opts.format));
  const allot = shareBudget(needs, avail);
  const picks: SourcePick[] = [];
  for (let i = 0; i < stats.length; i++) picks.push(await pickSource(stats[i], anchors[i], allot[i], blockCosts[i], opts));
  return fit(stats, picks, budget, inputLines, inputTokens, opts.format, counter);
}

/** Renders, counts with the real tokenizer, and drops the lowest-scoring lines while over budget. */
function fit(stats: SourceStats[], picks: SourcePick[], budget: number, inputLines: number, inputTokens: number, format: ReduceFormat, counter: TokenCounter): ReduceOutput {
  for (;;) {
    const doc = buildDoc(stats, picks, budget, inputLines, inputTokens, false);
    doc.tokenizer = counter.name;
    // The header states its own size: iterate to a fixed point (the digits rarely change more than once).
    let text = format.render(doc);
    let used = counter.count(text);
    for (let i = 0; i < 5 && used !== doc.used; i++) {
      doc.used = used;
      text = format.render(doc);
      used = counter.count(text);
    }
    if (used <= budget && doc.used === used) return { doc, text };
    if (used <= budget) {
      // No fixed point within five renders (the header's digits oscillate): report a bound that holds.
      doc.used = budget;
      text = format.render(doc);
      if (counter.count(text) <= budget) return { doc, text };
    }
    const kept = picks.reduce((a, p) => a + p.kept.size, 0);
    if (kept === 0) throw new OpsctlError('usage', `a budget of ${budget} tokens is below the minimum for this output (its header)`, 'raise --budget');
    // Drop about as many lines as the excess is worth (one at a time would count the whole text per line).
    const excess = Math.max(1, used - budget);
    dropLowest(picks, Math.max(1, Math.floor((excess * kept) / Math.max(1, used))));
  }
}

/** Evidence a source brings: the cost of its best lines (score >= EVIDENCE, the first EVIDENCE_LINES) and its best score. */
function evidenceNeed(s: SourceStats, anchors: readonly ScoredLine[], all: number, blockCost: number, format: ReduceFormat): SourceNeed {
  if (anchors.length === 0) return { all, evidence: all, tokens: s.tokens, score: 1 };
  const best = [...anchors].sort((a, b) => b.score - a.score || a.n - b.n);
  let evidence = 0;
  for (const a of best.slice(0, EVIDENCE_LINES)) {
    if (a.score < EVIDENCE) break;
    evidence += blockCost + estimateTokens(format.lineMarkup({ n: a.n, text: a.text, truncated: a.dropped || undefined }));
  }
  return { all, evidence, tokens: s.tokens, score: best[0]?.score ?? 0 };
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

async function pickSource(s: SourceStats, anchors: ScoredLine[], allot: number, blockCost: number, opts: ReduceOptions): Promise<SourcePick> {
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
  if (anchors.length === 0) anchors = await collectCandidates(s, max, opts.signal);
  else if (anchors.length > max) anchors = [...anchors].sort((a, b) => b.priority - a.priority || a.n - b.n).slice(0, max);
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

/** Removes the `k` lowest-scoring kept lines of all sources (the over-budget safety net). */
function dropLowest(picks: SourcePick[], k: number): void {
  const all: Array<{ pick: SourcePick; n: number; score: number }> = [];
  for (const pick of picks) for (const c of pick.kept.values()) all.push({ pick, n: c.n, score: c.score });
  all.sort((a, b) => a.score - b.score || b.n - a.n);
  for (const x of all.slice(0, k)) {
    x.pick.kept.delete(x.n);
    x.pick.all = false;
  }
}
