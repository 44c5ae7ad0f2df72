import { Heap } from './heap.js';
import { lineText, readLineBatches } from './reader.js';
import type { SourceStats } from './scan.js';
import { LineScorer, type ScoredLine } from './score.js';

/**
 * Pass 2: scores every line and keeps the best `max` as anchor candidates (a bounded min-heap, so memory
 * does not grow with the log).
 */
export async function collectCandidates(stats: SourceStats, max: number, signal?: AbortSignal): Promise<ScoredLine[]> {
  const heap = new Heap<ScoredLine>((a, b) => a.priority < b.priority || (a.priority === b.priority && a.n > b.n));
  const scorer = new LineScorer(stats, {
    wants: (p) => heap.size < max || p > (heap.peek() as ScoredLine).priority,
    take: (l) => {
      if (heap.size >= max) heap.pop();
      heap.push(l);
    },
  });
  let n = 0;
  const ids = stats.ids.reader();
  await readLineBatches(stats.input.path, { name: stats.input.name, limit: stats.bytes, signal }, (b) => {
    const t = ids.next(b.count);
    for (let i = 0; i < b.count; i++) scorer.push(++n, b.buf, b.start[i], b.end[i], b.dropped[i], t[i]);
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
  const ids = stats.ids.reader();
  await readLineBatches(stats.input.path, { name: stats.input.name, limit: stats.bytes, signal }, (b) => {
    const t = ids.next(b.count);
    for (let i = 0; i < b.count; i++) {
      n++;
      if (wanted !== 'all' && !wanted.has(n)) continue;
      const template = t[i] < 0 ? stats.miner.templates.length : t[i];
      out.set(n, { text: lineText(b, i), dropped: b.dropped[i], template });
    }
  });
  return out;
}
