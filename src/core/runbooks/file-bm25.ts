import { tokenize } from './tokenize.js';
import type { IndexData, Source } from './store.js';

/** BM25 parameters of the whole-file signal. */
export interface FileBm25Params {
  k1: number;
  b: number;
}

export const DEFAULT_FILE_BM25: FileBm25Params = { k1: 1.2, b: 0.75 };

/** What a unit of text is: a whole file, or the part of a file under one heading (a section and its siblings). */
export type UnitKey = (src: Source) => string;
export const byFile: UnitKey = (src) => src.file;
/** The section's parent heading in its file: in a playbook with a heading per alert, that alert's whole part. */
export const byParent: UnitKey = (src) => `${src.file}\n${src.headingPath.slice(0, -1).join('\n')}`;

type Lengths = { len: Map<string, number>; avg: number; files: number };
/** Per-unit lengths (body tokens of every section plus the title field once), computed once per open index and key. */
const lengthsCache = new WeakMap<IndexData, Map<UnitKey, Lengths>>();

function fileLengths(data: IndexData, key: UnitKey): Lengths {
  const cached = lengthsCache.get(data)?.get(key);
  if (cached) return cached;
  const len = new Map<string, number>();
  const { sections } = data;
  const { lengths } = data.lexical;
  for (let doc = 0; doc < sections.length; doc++) {
    const s = sections[doc];
    if (!s) continue;
    const l = lengths[doc];
    for (const src of s.sources) {
      const k = key(src);
      const had = len.get(k);
      len.set(k, (had === undefined ? l[0] : had) + l[2]);
    }
  }
  let total = 0;
  for (const v of len.values()) total += v;
  const out = { len, avg: Math.max(1, total / Math.max(1, len.size)), files: len.size };
  if (!lengthsCache.has(data)) lengthsCache.set(data, new Map());
  lengthsCache.get(data)!.set(key, out);
  return out;
}

/**
 * BM25 over whole files, derived from the section postings (a file's term frequency is the sum over its sections'
 * bodies, its title counted once), so the index needs no second postings list. A second lexical signal beside
 * BM25F over sections: it sees a page that answers with words spread over several sections.
 */
export function fileBm25(data: IndexData, query: string, params: FileBm25Params = DEFAULT_FILE_BM25, key: UnitKey = byFile): Map<string, number> {
  const { len, avg, files } = fileLengths(data, key);
  const scores = new Map<string, number>();
  for (const t of new Set(tokenize(query))) {
    const p = data.lexical.postings.get(t);
    if (!p) continue;
    const tf = new Map<string, number>();
    const title = new Map<string, number>();
    for (let i = 0; i < p.length; i += 4) {
      const s = data.sections[p[i]];
      if (!s) continue;
      for (const src of s.sources) {
        const k = key(src);
        tf.set(k, (tf.get(k) ?? 0) + p[i + 3]);
        if (p[i + 1]) title.set(k, Math.max(title.get(k) ?? 0, p[i + 1]));
      }
    }
    const df = Math.max(tf.size, title.size);
    const idf = Math.log(1 + (files - df + 0.5) / (df + 0.5));
    for (const [file, f0] of tf) {
      const f = f0 + (title.get(file) ?? 0);
      if (!f) continue;
      const norm = 1 - params.b + (params.b * (len.get(file) ?? avg)) / avg;
      scores.set(file, (scores.get(file) ?? 0) + (idf * f * (params.k1 + 1)) / (f + params.k1 * norm));
    }
  }
  return scores;
}

/** Times a heading repeats as the last heading of a section in its file, below which it counts as a template part. */
const TEMPLATE_REPEATS = 3;
const unitKeys = new WeakMap<IndexData, UnitKey>();

/**
 * The part of its page a section belongs to: its own heading, or, when that heading is a template repeated through
 * the page ("Impact", "Summary", "Steps" under every alert of a playbook), the heading above it, and so on up. A
 * playbook that splits each alert over template subsections is then scored one alert at a time, while a page whose
 * headings are all its own keeps one unit per section.
 */
export function byUnit(data: IndexData): UnitKey {
  const cached = unitKeys.get(data);
  if (cached) return cached;
  const repeats = new Map<string, number>();
  for (const s of data.sections) {
    if (!s) continue;
    for (const src of s.sources) {
      const last = src.headingPath.at(-1);
      if (last !== undefined) repeats.set(`${src.file}\n${last}`, (repeats.get(`${src.file}\n${last}`) ?? 0) + 1);
    }
  }
  const key: UnitKey = (src) => {
    let n = src.headingPath.length;
    while (n > 1 && (repeats.get(`${src.file}\n${src.headingPath[n - 1]}`) ?? 0) >= TEMPLATE_REPEATS) n--;
    return `${src.file}\n${src.headingPath.slice(0, n).join('\n')}`;
  };
  unitKeys.set(data, key);
  return key;
}
