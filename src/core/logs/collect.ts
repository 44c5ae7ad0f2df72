import { Heap } from './heap.js';
import { maskLine } from './mask.js';
import { readLines } from './reader.js';
import type { SourceStats } from './scan.js';
import { LineScorer, type ScoredLine } from './score.js';
import { REPEAT_DECAY } from './select.js';

/** Heap priority: later lines of a template rank lower, so a flood of one template cannot crowd out others. */
function priority(l: ScoredLine): number {
  return l.score * REPEAT_DECAY ** Math.min(l.occurrence, 30);
}

/**
 * Pass 2: scores every line and keeps the best `max` as anchor candidates (a bounded min-heap, so memory
 * does not grow with the log).
 */
export async function collectCandidates(stats: SourceStats, max: number, signal?: AbortSignal): Promise<ScoredLine[]> {
  const heap = new Heap<ScoredLine>((a, b) => priority(a) < priority(b) || (priority(a) === priority(b) && a.n > b.n));
  const scorer = new LineScorer(stats, (l) => {
    if (heap.size < max) heap.push(l);
    else if (priority(l) > priority(heap.peek() as ScoredLine)) {
      heap.pop();
      heap.push(l);
    }
  });
  let n = 0;
  await readLines(stats.input.path, { name: stats.input.name, limit: stats.bytes, signal }, (chunk) => {
    for (let i = 0; i < chunk.lines.length; i++) scorer.push(++n, chunk.lines[i], chunk.dropped[i]);
  });
  scorer.flush();
  return heap.toArray();
}

export interface NearbyLine {
  text: string;
  dropped: number;
  template: number;
}

/** Pass 3: reads the text of the given line numbers (anchors and their context), or of every line when `all`. */
export async function readNearby(stats: SourceStats, wanted: Set<number> | 'all', signal?: AbortSignal): Promise<Map<number, NearbyLine>> {
  const out = new Map<number, NearbyLine>();
  let n = 0;
  await readLines(stats.input.path, { name: stats.input.name, limit: stats.bytes, signal }, (chunk) => {
    for (let i = 0; i < chunk.lines.length; i++) {
      n++;
      if (wanted !== 'all' && !wanted.has(n)) continue;
      const text = chunk.lines[i];
      // Keep-all output has no repeat markers, so it skips template lookup.
      let template = wanted === 'all' ? -1 : stats.miner.lookup(maskLine(text));
      if (template < 0 && wanted !== 'all') template = stats.miner.templates.length;
      out.set(n, { text, dropped: chunk.dropped[i], template });
    }
  });
  return out;
}
