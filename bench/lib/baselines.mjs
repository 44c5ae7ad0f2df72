// Lexical baselines for the retrieval bench (not product code): BM25 over whole files, BM25 / BM25F over the index's
// sections, with or without CamelCase splitting, and their reciprocal-rank fusion. Fixed textbook parameters, never tuned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STOP = new Set('a an and are as at be by for from has have in is it of on or that the this to was were will with'.split(' '));
const plain = (t) => t.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1 && !STOP.has(w));
const camel = (t) => plain(t.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2'));
export const TOKENIZERS = { plain, camel };

/** BM25F over docs of named fields; a plain BM25 is one field. */
export class Bm25f {
  constructor(docs, { tok, weight, b = {}, k1 = 1.2 }) {
    this.k1 = k1;
    this.tok = tok;
    this.fields = Object.keys(weight);
    this.weight = weight;
    this.b = Object.fromEntries(this.fields.map((f) => [f, b[f] ?? 0.75]));
    this.post = new Map();
    this.len = [];
    const sums = Object.fromEntries(this.fields.map((f) => [f, 0]));
    docs.forEach((d, i) => {
      const lens = {};
      for (const f of this.fields) {
        const toks = tok(d[f] ?? '');
        lens[f] = toks.length;
        sums[f] += toks.length;
        for (const t of toks) {
          let p = this.post.get(t);
          if (!p) this.post.set(t, (p = new Map()));
          let e = p.get(i);
          if (!e) p.set(i, (e = {}));
          e[f] = (e[f] ?? 0) + 1;
        }
      }
      this.len.push(lens);
    });
    this.n = docs.length;
    this.avg = Object.fromEntries(this.fields.map((f) => [f, Math.max(1, sums[f] / Math.max(1, docs.length))]));
  }

  /** Doc indices by descending score. */
  search(query) {
    const acc = new Map();
    for (const t of new Set(this.tok(query))) {
      const p = this.post.get(t);
      if (!p) continue;
      const idf = Math.log(1 + (this.n - p.size + 0.5) / (p.size + 0.5));
      for (const [doc, tfs] of p) {
        let tf = 0;
        for (const f of this.fields) if (tfs[f]) tf += (this.weight[f] * tfs[f]) / (1 - this.b[f] + (this.b[f] * this.len[doc][f]) / this.avg[f]);
        acc.set(doc, (acc.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + this.k1));
      }
    }
    return [...acc].sort((a, b) => b[1] - a[1]).map(([doc]) => doc);
  }
}

/** TF-IDF cosine: (1 + log tf) * idf, L2-normalised, over docs of one text each. */
export class TfIdf {
  constructor(docs, tok) {
    this.tok = tok;
    const df = new Map();
    const tfs = docs.map((d) => {
      const tf = new Map();
      for (const t of tok(d)) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
      return tf;
    });
    this.idf = new Map([...df].map(([t, n]) => [t, Math.log(docs.length / n)]));
    this.post = new Map();
    tfs.forEach((tf, i) => {
      const w = [...tf].map(([t, n]) => [t, (1 + Math.log(n)) * this.idf.get(t)]);
      const norm = Math.hypot(...w.map(([, x]) => x)) || 1;
      for (const [t, x] of w) {
        if (!this.post.has(t)) this.post.set(t, []);
        this.post.get(t).push([i, x / norm]);
      }
    });
  }

  search(query) {
    const tf = new Map();
    for (const t of this.tok(query)) if (this.idf.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const acc = new Map();
    for (const [t, n] of tf) for (const [i, x] of this.post.get(t)) acc.set(i, (acc.get(i) ?? 0) + x * (1 + Math.log(n)) * this.idf.get(t));
    return [...acc].sort((a, b) => b[1] - a[1]).map(([i]) => i);
  }
}

/**
 * Builds the baselines over one indexed corpus: `sections` are the opsctl index's live sections (same chunking),
 * files are read from `root`. Each method maps a query to ranked hits `{file, headingPath}` (file-only methods
 * return one hit per file with no heading path).
 */
export function baselines(root, sections) {
  const files = [...new Set(sections.flatMap((s) => s.sources.map((src) => src.file)))].sort();
  const fileDocs = files.map((f) => ({ body: readFileSync(join(root, f), 'utf8') }));
  const secDocs = [];
  for (const s of sections) for (const src of s.sources) secDocs.push({ file: src.file, headingPath: src.headingPath, title: `${s.title} ${src.file.split('/').pop().replace(/\.md$/i, '')}`, heading: src.headingPath.join(' '), body: s.text });
  const bm25File = new Bm25f(fileDocs, { tok: plain, weight: { body: 1 } });
  const bm25FileCamel = new Bm25f(fileDocs, { tok: camel, weight: { body: 1 } });
  const one = (d) => ({ body: `${d.title} ${d.heading} ${d.body}` });
  const bm25Sec = new Bm25f(secDocs.map(one), { tok: plain, weight: { body: 1 } });
  const bm25SecCamel = new Bm25f(secDocs.map(one), { tok: camel, weight: { body: 1 } });
  const bm25fSec = new Bm25f(secDocs, { tok: camel, weight: { title: 2, heading: 3, body: 1 }, b: { title: 0.3, heading: 0.3 } });
  const asFiles = (idx) => (q) => idx.search(q).map((i) => ({ file: files[i], headingPath: null }));
  const asSections = (idx) => (q) => idx.search(q).map((i) => secDocs[i]);
  const fused = (q) => {
    // RRF (k 60) of BM25F over sections and BM25 over files: each section gets its own vote plus its file's vote.
    const fr = new Map(bm25FileCamel.search(q).map((i, r) => [files[i], r + 1]));
    const sr = bm25fSec.search(q);
    return sr
      .map((i, r) => ({ d: secDocs[i], s: 1 / (61 + r) + (fr.has(secDocs[i].file) ? 1 / (60 + fr.get(secDocs[i].file)) : 0) }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.d);
  };
  // Issue 12's strongest outside baseline: RRF (k 60) of BM25 over files, BM25F over sections and TF-IDF cosine over
  // sections; each section gets its own two votes plus its file's.
  const tfidfSec = new TfIdf(secDocs.map((d) => `${d.title} ${d.heading} ${d.body}`), camel);
  const fused3 = (q) => {
    const fr = new Map(bm25FileCamel.search(q).map((i, r) => [files[i], r + 1]));
    const score = new Map();
    bm25fSec.search(q).forEach((i, r) => score.set(i, 1 / (61 + r)));
    tfidfSec.search(q).forEach((i, r) => score.set(i, (score.get(i) ?? 0) + 1 / (61 + r)));
    return [...score]
      .map(([i, s]) => ({ d: secDocs[i], s: s + (fr.has(secDocs[i].file) ? 1 / (60 + fr.get(secDocs[i].file)) : 0) }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.d);
  };
  return {
    'bm25-file': asFiles(bm25File),
    'bm25-file+camel': asFiles(bm25FileCamel),
    'bm25-section': asSections(bm25Sec),
    'bm25-section+camel': asSections(bm25SecCamel),
    'bm25f-section+camel': asSections(bm25fSec),
    'rrf(bm25f-section, bm25-file)': fused,
    'tfidf-cosine-section': asSections(tfidfSec),
    'rrf(bm25-file, bm25f-section, tfidf-cosine)': fused3,
  };
}
