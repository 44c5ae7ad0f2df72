import type { LexicalIndex } from './lexical.js';
import { stackedHeadings } from './sections.js';
import type { StoredSection } from './store.js';
import { tokenize } from './tokenize.js';

/**
 * How fully the question names one of a section's headings (its path and the empty headings stacked over it): the
 * share of that heading's IDF mass found among the question's words, the best heading's share. Headings named after
 * alerts ("ThanosCompactIsDown", "Disk nearly full") are the strongest pointer a big playbook has, while BM25F
 * dilutes a two-word heading among the question's other ten words.
 */
export function headingCoverage(section: StoredSection, queryTerms: ReadonlySet<string>, lexical: LexicalIndex, cache: Map<string, number>): number {
  let best = 0;
  for (const h of [...section.headingPath, ...stackedHeadings(section)]) {
    let score = cache.get(h);
    if (score === undefined) {
      let found = 0;
      let total = 0;
      for (const t of new Set(tokenize(h))) {
        const idf = lexical.idf(t);
        total += idf;
        if (queryTerms.has(t)) found += idf;
      }
      score = total ? found / total : 0;
      cache.set(h, score);
    }
    if (score > best) best = score;
  }
  return best;
}
