import type { SearchResult } from '../core/runbooks/search.js';
import { citation } from './sections.js';

/** The documented, versioned JSON shape of `opsctl ask --json` (README: "JSON output"). */
export interface AskJsonV1 {
  schema: 'opsctl.ask/v1';
  query: string;
  answered: boolean;
  /** Relevance of the best section in [0, 1]; below the floor, `answered` is false and `hits` is empty. */
  bestRelevance: number;
  minScore: number;
  hits: Array<{
    rank: number;
    file: string;
    startLine: number;
    endLine: number;
    headingPath: string[];
    title: string;
    citation: string;
    score: number;
    relevance: number;
    why: { matchedTerms: string[]; lexical: number; dense: number };
    text: string;
    /** Identical sections elsewhere. */
    alsoIn: Array<{ file: string; startLine: number; endLine: number; headingPath: string[] }>;
  }>;
  index: { files: number; sections: number; embedder: string; updated: boolean };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function askJson(result: SearchResult, root: string, minScore: number, index: AskJsonV1['index']): AskJsonV1 {
  return {
    schema: 'opsctl.ask/v1',
    query: result.query,
    answered: !result.noMatch,
    bestRelevance: r3(result.best),
    minScore,
    hits: result.hits.map((h, i) => {
      const [first, ...rest] = h.section.sources;
      return {
        rank: i + 1,
        file: `${root ? `${root}/` : ''}${first.file}`,
        startLine: first.startLine,
        endLine: first.endLine,
        headingPath: first.headingPath,
        title: h.section.title,
        citation: citation(first, root),
        score: r3(h.score),
        relevance: r3(h.relevance),
        why: { matchedTerms: h.matched, lexical: r3(h.lexical), dense: r3(h.dense) },
        text: h.section.text,
        alsoIn: rest.map((s) => ({ file: `${root ? `${root}/` : ''}${s.file}`, startLine: s.startLine, endLine: s.endLine, headingPath: s.headingPath })),
      };
    }),
    index,
  };
}
