import { describe, expect, it } from 'vitest';
import { collapsePerFile, inRankOrder } from '../../../src/core/runbooks/collapse.js';
import type { Hit, SearchResult } from '../../../src/core/runbooks/search.js';
import { moreInFile } from '../../../src/output/sections.js';

/** A ranked hit of `file` (label = its place in `ranked`), one source, heading path `[heading]`. */
const hit = (label: number, file: string, heading = `S${label}`): Hit => ({
  section: { label, hash: String(label), title: file, headingPath: [heading], meta: '', text: `## ${heading}\n\ntext`, sources: [{ file, startLine: label * 10, endLine: label * 10 + 5, headingPath: [heading] }] },
  score: 100 - label,
  files: [{ file, score: 100 - label }],
  relevance: 0.5,
  lexical: 0.5,
  dense: 0.5,
  matched: [],
});
const ranked = (files: string): Hit[] => [...files].map((f, i) => hit(i, `${f}.md`));
const shape = (r: { hits: Hit[]; collapsed: Hit[] }) => ({ hits: r.hits.map((h) => `${h.section.sources[0].file[0]}${h.rank}`), collapsed: r.collapsed.map((h) => `${h.section.sources[0].file[0]}${h.rank}`) });

describe('collapsePerFile: at most N sections per file among the top K', () => {
  it.each([
    // ranking (one letter per hit = its file), K, N → shown (file + rank), collapsed
    { ranking: 'aaaabbbc', k: 5, n: 2, hits: ['a1', 'a2', 'b5', 'b6', 'c8'], collapsed: ['a3', 'a4', 'b7'] },
    { ranking: 'aaaabbbc', k: 3, n: 2, hits: ['a1', 'a2', 'b5'], collapsed: ['a3', 'a4'] },
    { ranking: 'abcabc', k: 4, n: 2, hits: ['a1', 'b2', 'c3', 'a4'], collapsed: [] },
    // One per file and only three files: a2 and a3 fill the list.
    { ranking: 'aaaabbbc', k: 5, n: 1, hits: ['a1', 'a2', 'a3', 'b5', 'c8'], collapsed: ['a4', 'b6', 'b7'] },
    // Fewer files than K: the best held-back sections fill the list after all (in ranking order).
    { ranking: 'aaaaa', k: 4, n: 2, hits: ['a1', 'a2', 'a3', 'a4'], collapsed: [] },
    // 0: no limit, the top K as they are.
    { ranking: 'aaaabbbc', k: 5, n: 0, hits: ['a1', 'a2', 'a3', 'a4', 'b5'], collapsed: [] },
  ])('$ranking, K $k, N $n', ({ ranking, k, n, hits, collapsed }) => {
    expect(shape(collapsePerFile(ranked(ranking), k, n))).toEqual({ hits, collapsed });
  });

  it('inRankOrder puts the shown and collapsed hits back in ranking order (what an LLM answer is written from)', () => {
    const r = collapsePerFile(ranked('aaaabbbc'), 5, 2);
    expect(inRankOrder(r).map((h) => h.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(inRankOrder(r).slice(0, 5).map((h) => h.section.sources[0].file)).toEqual(['a.md', 'a.md', 'a.md', 'a.md', 'b.md']);
  });
});

describe('moreInFile: the "more in this file" line', () => {
  const result = (ranking: string, k: number): SearchResult => ({ query: 'q', noMatch: false, best: 0.5, ...collapsePerFile(ranked(ranking), k, 2) });

  it('goes under the last shown section of a file, naming the collapsed ones with their lines', () => {
    const r = result('aaaabbbc', 5);
    expect(moreInFile(r, 0)).toBeUndefined();
    expect(moreInFile(r, 1)).toBe('+ 2 more in this file: S2 (20-25); S3 (30-35)');
    expect(moreInFile(r, 3)).toBe('+ 1 more in this file: S6 (60-65)');
    expect(moreInFile(r, 4)).toBeUndefined();
  });

  it('lists three and says there are more', () => {
    expect(moreInFile(result('aaaaaab', 3), 1)).toBe('+ 4 more in this file: S2 (20-25); S3 (30-35); S4 (40-45); …');
  });
});
