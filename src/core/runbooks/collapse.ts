import type { Hit } from './search.js';

/**
 * Walks the ranking and keeps at most `maxPerFile` sections of each file (by the file each hit cites first) until
 * `topK` are kept, so the first screen offers several runbooks instead of ten sections of three. Sections of a
 * file past its limit that rank above the last kept one are returned as `collapsed` ("more in this file"), not
 * dropped. Every hit gets `rank`, its 1-based place in the full ranking. `maxPerFile` 0 keeps the top K as they are.
 */
export function collapsePerFile(ranked: readonly Hit[], topK: number, maxPerFile: number): { hits: Hit[]; collapsed: Hit[] } {
  const hits: Hit[] = [];
  const collapsed: Hit[] = [];
  const perFile = new Map<string, number>();
  for (let i = 0; i < ranked.length && hits.length < topK; i++) {
    const hit = { ...ranked[i], rank: i + 1 };
    const file = hit.section.sources[0]?.file ?? '';
    const n = perFile.get(file) ?? 0;
    if (maxPerFile > 0 && n >= maxPerFile) collapsed.push(hit);
    else {
      perFile.set(file, n + 1);
      hits.push(hit);
    }
  }
  return { hits, collapsed };
}
