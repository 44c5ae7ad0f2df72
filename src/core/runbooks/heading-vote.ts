import type { LexicalIndex } from './lexical.js';
import { otherNames } from './sections.js';
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
  for (const h of [...section.headingPath, ...otherNames(section)]) {
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

/**
 * How much of the question a section's heading field names, each word weighted by its rarity among headings:
 * the sum of log(N / df) over query words found in the heading field, df counted over headings only. Words that head
 * many sections ("Steps", "Impact", "Alerts", "Remediation") weigh almost nothing, while a heading named after an
 * alert ("CortexRequestErrors") weighs what its rare words do.
 */
export function headingMatch(data: { lexical: { docCount: number; postings: { get(t: string): ArrayLike<number> | undefined } } }, alive: (doc: number) => boolean, query: string): Map<number, number> {
  const out = new Map<number, number>();
  const n = Math.max(1, data.lexical.docCount);
  for (const t of new Set(tokenize(query))) {
    const p = data.lexical.postings.get(t);
    if (!p) continue;
    const docs: number[] = [];
    for (let i = 0; i < p.length; i += 4) if (p[i + 2] > 0 && alive(p[i])) docs.push(p[i]);
    if (!docs.length) continue;
    const idf = Math.log(n / docs.length);
    for (const d of docs) out.set(d, (out.get(d) ?? 0) + idf);
  }
  return out;
}
