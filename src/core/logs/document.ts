import type { SourceStats } from './scan.js';
import type { Chosen } from './select.js';
import type { KeptBlock, KeptLine, ReducedLog, SourceSummary } from './types.js';

/** What the selection kept of one source. */
export interface SourcePick {
  kept: Map<number, Chosen>;
  budget: number;
  /** The whole source fitted its share and is shown unreduced. */
  all?: boolean;
}

/** Block label of source i: its name when alone, else its 1-based position (the header names each once). */
export function sourceLabel(stats: readonly SourceStats[], i: number): string {
  return stats.length === 1 ? stats[0].input.name : String(i + 1);
}

/**
 * Assembles the reduced log: kept lines in original order, grouped into blocks of consecutive lines, the
 * earliest kept line of a repeated template carrying its ×N marker. With `skeleton`, builds the empty
 * document with the widest possible numbers, whose size is the fixed overhead charged against the budget.
 */
export function buildDoc(
  stats: readonly SourceStats[],
  picks: readonly SourcePick[],
  budget: number,
  inputLines: number,
  inputTokens: number,
  skeleton: boolean,
): ReducedLog {
  const sources: SourceSummary[] = [];
  const blocks: KeptBlock[] = [];
  let keptLines = 0;
  stats.forEach((s, i) => {
    const pick = picks[i];
    const lines = [...pick.kept.values()].sort((a, b) => a.n - b.n);
    const keptPerTemplate = new Map<number, number>();
    for (const l of lines) keptPerTemplate.set(l.template, (keptPerTemplate.get(l.template) ?? 0) + 1);
    let repeats = 0;
    for (const [t, k] of keptPerTemplate) {
      const tpl = s.miner.templates[t];
      if (tpl && tpl.count > k) repeats += tpl.count - k;
    }
    keptLines += lines.length;
    const label = sourceLabel(stats, i);
    sources.push({
      name: s.input.name,
      label,
      lines: s.lines,
      tokens: s.tokens,
      budget: skeleton ? budget : pick.budget,
      kept: skeleton ? s.lines : lines.length,
      repeats: skeleton ? s.lines : repeats,
      templates: s.miner.templates.length,
      truncatedLines: s.truncatedLines,
    });
    const marked = new Set<number>();
    let cur: KeptBlock | undefined;
    let best = -1;
    for (const l of lines) {
      const tpl = pick.all ? undefined : s.miner.templates[l.template];
      const line: KeptLine = { n: l.n, text: l.text };
      if (l.dropped > 0) line.truncated = l.dropped;
      if (tpl && tpl.count > 1 && !marked.has(l.template)) {
        marked.add(l.template);
        line.repeat = { count: tpl.count, first: tpl.firstLine, last: tpl.lastLine };
      }
      if (!cur || l.n !== cur.end + 1) {
        cur = { source: s.input.name, label, start: l.n, end: l.n, score: l.score, reason: l.reasons.join(', '), lines: [] };
        blocks.push(cur);
        best = l.score;
      }
      cur.end = l.n;
      cur.lines.push(line);
      if (l.score > best) {
        best = l.score;
        cur.score = Math.round(l.score * 100) / 100;
        cur.reason = l.reasons.join(', ');
      }
    }
  });
  for (const b of blocks) b.score = Math.round(b.score * 100) / 100;
  return {
    budget,
    used: skeleton ? budget : 0,
    inputLines,
    inputTokens,
    keptLines: skeleton ? inputLines : keptLines,
    sources,
    blocks,
  };
}
