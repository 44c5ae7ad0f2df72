import { tokenize } from './tokenize.js';
import type { IndexData } from './store.js';

/**
 * Reciprocal-rank votes of one signal: `w / (k + rank)` for every key with a positive score (equal scores share a
 * rank). With `scaled`, each vote is also multiplied by the key's score over the best score of that signal, so a
 * signal that barely tells its first from its tenth (a dense fit built from one known word) cannot outvote one that
 * finds every word of the question in one place. Both forms ignore the corpus's score scale.
 */
export function votesOf<K>(scores: Iterable<[K, number]>, w: number, k: number, scaled: boolean): Map<K, number> {
  const out = new Map<K, number>();
  if (!w) return out;
  const keys: K[] = [];
  const values: number[] = [];
  for (const [key, v] of scores) {
    if (!(v > 0)) continue;
    keys.push(key);
    values.push(v);
  }
  // A numeric typed-array sort and a binary search per key: this runs for several signals on every cold `ask`,
  // before the JIT has warmed up, where a comparator sort of [key, score] pairs costs several times more.
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const max = sorted[n - 1];
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    // rank = 1 + how many score higher (equal scores share a rank)
    out.set(keys[i], (w * (scaled ? v / max : 1)) / (k + n - lo + 1));
  }
  return out;
}

/** Each file's fit as the mean similarity of its best `n` sections (a long page is not diluted by its other topics). */
export function bestSectionsFit(data: IndexData, sims: Float32Array, n: number, out: Map<string, number>): void {
  // Runs once per cold `ask` over every section: flat typed arrays, no array per file (4,000 sections, 800 files).
  const slot = new Map<string, number>();
  const top = new Float32Array(Math.max(1, data.sections.length) * n);
  const count: number[] = [];
  data.sections.forEach((s, label) => {
    if (!s) return;
    const v = sims[label];
    for (const src of s.sources) {
      let f = slot.get(src.file);
      if (f === undefined) {
        slot.set(src.file, (f = count.length));
        count.push(0);
      }
      // Insert v into file f's descending top n.
      let i = Math.min(count[f], n - 1);
      if (count[f] >= n && v <= top[f * n + n - 1]) continue;
      while (i > 0 && top[f * n + i - 1] < v) {
        top[f * n + i] = top[f * n + i - 1];
        i--;
      }
      top[f * n + i] = v;
      count[f] = Math.min(n, count[f] + 1);
    }
  });
  for (const [file, f] of slot) {
    let sum = 0;
    for (let i = 0; i < count[f]; i++) sum += top[f * n + i];
    out.set(file, Math.max(0, sum / count[f]));
  }
}

/**
 * The question's percentages ("crossed 75%") as a signal of their own: sibling alerts (near full at 75%, critically
 * full at 80%) share every word but the threshold, which one BM25 term among many barely moves. Sections, and
 * files, score by how many of the question's percentages they state, among the sections that also share a word with
 * the question: a threshold tells siblings apart, it does not make "df at 100%" an answer to "RDS CPU at 100%".
 */
export function numberMatches(data: IndexData, query: string): { sections: Map<number, number>; files: Map<string, number> } {
  const sections = new Map<number, number>();
  const tokens = new Set(tokenize(query));
  const isNumber = (t: string) => /^\d+pct$/.test(t);
  const words = new Set<number>();
  for (const t of tokens) {
    if (isNumber(t)) continue;
    const p = data.lexical.postings.get(t);
    for (let i = 0; p && i < p.length; i += 4) words.add(p[i]);
  }
  for (const t of tokens) {
    if (!isNumber(t)) continue;
    const p = data.lexical.postings.get(t);
    for (let i = 0; p && i < p.length; i += 4) if (data.sections[p[i]] && words.has(p[i])) sections.set(p[i], (sections.get(p[i]) ?? 0) + 1);
  }
  const files = new Map<string, number>();
  for (const [doc, n] of sections) for (const src of data.sections[doc]!.sources) files.set(src.file, Math.max(n, files.get(src.file) ?? 0));
  return { sections, files };
}
