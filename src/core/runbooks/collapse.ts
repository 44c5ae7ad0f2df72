import type { Hit } from './search.js';

/** Sections of one file `ask` shows before moving on to the next file (the rest are collapsed). */
export const MAX_PER_FILE = 2;

/**
 * Walks the ranking and keeps at most `maxPerFile` sections of each file (by the file each hit cites first) until
 * `topK` are kept, so the first screen offers several runbooks instead of ten sections of three. Sections of a
 * file past its limit that rank above the last kept one are returned as `collapsed` ("more in this file"), not
 * dropped; when fewer than K files answer at all, the best held-back sections fill the list. Every hit gets `rank`, its
 * 1-based place in the full ranking. `maxPerFile` 0 keeps the top K as they are. `prepare` runs on the hits looked at
 * only (choosing which file a section cites first), not on the whole ranking.
 */
export function collapsePerFile(ranked: readonly Hit[], topK: number, maxPerFile: number, prepare: (h: Hit) => Hit = (h) => h): { hits: Hit[]; collapsed: Hit[] } {
  const hits: Hit[] = [];
  const collapsed: Hit[] = [];
  const perFile = new Map<string, number>();
  for (let i = 0; i < ranked.length && hits.length < topK; i++) {
    const hit = { ...prepare(ranked[i]), rank: i + 1 };
    const file = hit.section.sources[0]?.file ?? '';
    const n = perFile.get(file) ?? 0;
    if (maxPerFile > 0 && n >= maxPerFile) collapsed.push(hit);
    else {
      perFile.set(file, n + 1);
      hits.push(hit);
    }
  }
  // Fewer than K files to move on to: the best of the held-back sections fill the list after all.
  while (hits.length < topK && collapsed.length) hits.push(collapsed.shift()!);
  hits.sort((a, b) => a.rank! - b.rank!);
  const last = hits.at(-1)?.rank ?? 0;
  return { hits, collapsed: collapsed.filter((h) => h.rank! < last) };
}

/**
 * The shown and the collapsed hits together in ranking order: the top of the ranking before the per-file limit.
 * An LLM answer is written from these (its best context is the best sections, even several of one runbook); the
 * per-file limit is for the reader's first screen.
 */
export function inRankOrder(result: { hits: readonly Hit[]; collapsed?: readonly Hit[] }): Hit[] {
  return [...result.hits, ...(result.collapsed ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
}
