import { tokenize } from './tokenize.js';

/** The fields a unit of text is scored on. Title carries file name, title, tags, alarms and service. */
export interface FieldText {
  title: string;
  heading: string;
  body: string;
}

export const FIELDS = ['title', 'heading', 'body'] as const;
type Field = (typeof FIELDS)[number];

/** BM25F parameters: field weights and per-field length normalisation. Tuned on the dev set, see BENCHMARKS.md. */
export interface Bm25fParams {
  k1: number;
  weight: Record<Field, number>;
  b: Record<Field, number>;
}

export const DEFAULT_BM25F: Bm25fParams = {
  k1: 1.2,
  weight: { title: 3, heading: 2, body: 1 },
  b: { title: 0.3, heading: 0.3, body: 0.75 },
};

/** Serialisable form: postings per term, per field term frequencies packed as [doc, tfTitle, tfHeading, tfBody]. */
export interface LexicalData {
  /** Docs with any text: removed sections stay as empty docs (so doc numbers stay labels) but are not counted. */
  docCount: number;
  /** Field lengths per doc: [title, heading, body]. */
  lengths: number[][];
  postings: Postings;
}

/** Postings by term: a Map when built; read back from disk, a lookup that makes a view of one Int32Array per term asked. */
export interface Postings {
  get(term: string): ArrayLike<number> | undefined;
  keys(): Iterable<string>;
}

export interface LexicalMatch {
  doc: number;
  score: number;
  /** Share of the query's IDF mass this doc contains: an absolute relevance signal in [0, 1]. */
  coverage: number;
  matched: string[];
}

export function buildLexical(docs: FieldText[]): LexicalData {
  const postings = new Map<string, number[]>();
  const lengths: number[][] = [];
  docs.forEach((d, doc) => {
    const counts = new Map<string, number[]>();
    const lens = FIELDS.map((f, fi) => {
      const toks = tokenize(d[f]);
      for (const t of toks) {
        let c = counts.get(t);
        if (!c) counts.set(t, (c = [0, 0, 0]));
        c[fi] += 1;
      }
      return toks.length;
    });
    lengths.push(lens);
    for (const [t, c] of counts) {
      let p = postings.get(t);
      if (!p) postings.set(t, (p = []));
      p.push(doc, c[0], c[1], c[2]);
    }
  });
  const docCount = lengths.filter((l) => l[0] + l[1] + l[2] > 0).length;
  return { docCount, lengths, postings };
}

export class LexicalIndex {
  private readonly avg: number[];

  constructor(
    readonly data: LexicalData,
    private readonly params: Bm25fParams = DEFAULT_BM25F,
    /** Docs that no longer exist (removed sections) are skipped. */
    private readonly alive: (doc: number) => boolean = () => true,
  ) {
    const sums = [0, 0, 0];
    for (const l of data.lengths) for (let i = 0; i < 3; i++) sums[i] += l[i];
    this.avg = sums.map((s) => Math.max(1, s / Math.max(1, data.docCount)));
  }

  idf(term: string): number {
    return this.idfOf(this.data.postings.get(term));
  }

  /** IDF from a term's postings (4 numbers per doc), so callers that need the postings too look them up once. */
  private idfOf(p: ArrayLike<number> | undefined): number {
    const df = p ? p.length / 4 : 0;
    return Math.log(1 + (this.data.docCount - df + 0.5) / (df + 0.5));
  }

  /** Share of the query's IDF mass made of words that occur anywhere in the corpus (0 for a question in another field). */
  knownShare(query: string): number {
    let known = 0;
    let total = 0;
    for (const t of new Set(tokenize(query))) {
      const p = this.data.postings.get(t);
      const idf = this.idfOf(p);
      total += idf;
      if (p) known += idf;
    }
    return total ? known / total : 0;
  }

  /** Scores every doc sharing a term with the query. */
  search(query: string): LexicalMatch[] {
    const terms = [...new Set(tokenize(query))];
    const { k1, weight, b } = this.params;
    const acc = new Map<number, { score: number; idf: number; matched: string[] }>();
    let totalIdf = 0;
    for (const t of terms) {
      const p = this.data.postings.get(t);
      const idf = this.idfOf(p);
      totalIdf += idf;
      if (!p) continue;
      for (let i = 0; i < p.length; i += 4) {
        const doc = p[i];
        if (!this.alive(doc)) continue;
        const len = this.data.lengths[doc];
        let tf = 0;
        for (let f = 0; f < 3; f++) {
          const raw = p[i + 1 + f];
          if (raw) tf += (weight[FIELDS[f]] * raw) / (1 - b[FIELDS[f]] + (b[FIELDS[f]] * len[f]) / this.avg[f]);
        }
        const s = (idf * tf) / (k1 + tf);
        const a = acc.get(doc);
        if (a) {
          a.score += s;
          a.idf += idf;
          a.matched.push(t);
        } else acc.set(doc, { score: s, idf, matched: [t] });
      }
    }
    const out: LexicalMatch[] = [];
    for (const [doc, a] of acc) out.push({ doc, score: a.score, coverage: totalIdf ? a.idf / totalIdf : 0, matched: a.matched });
    return out.sort((x, y) => y.score - x.score);
  }
}
