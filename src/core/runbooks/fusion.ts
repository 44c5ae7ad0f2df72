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
  const sorted = [...scores].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  const max = sorted[0]?.[1] ?? 0;
  let rank = 0;
  sorted.forEach(([key, v], i) => {
    if (i === 0 || v !== sorted[i - 1][1]) rank = i + 1;
    out.set(key, (w * (scaled ? v / max : 1)) / (k + rank));
  });
  return out;
}

/** Each file's fit as the mean similarity of its best `n` sections (a long page is not diluted by its other topics). */
export function bestSectionsFit(data: IndexData, sims: Float32Array, n: number, out: Map<string, number>): void {
  const best = new Map<string, number[]>();
  data.sections.forEach((s, label) => {
    if (!s) return;
    for (const src of s.sources) {
      const top = best.get(src.file) ?? [];
      top.push(sims[label]);
      top.sort((a, b) => b - a);
      if (top.length > n) top.pop();
      best.set(src.file, top);
    }
  });
  for (const [file, top] of best) out.set(file, Math.max(0, top.reduce((a, b) => a + b, 0) / top.length));
}

/**
 * The question's percentages ("crossed 75%") as a signal of their own: sibling alerts (near full at 75%, critically
 * full at 80%) share every word but the threshold, which one BM25 term among many barely moves. Sections, and
 * files, score by how many of the question's percentages they state.
 */
export function numberMatches(data: IndexData, query: string): { sections: Map<number, number>; files: Map<string, number> } {
  const sections = new Map<number, number>();
  for (const t of new Set(tokenize(query))) {
    if (!/^\d+pct$/.test(t)) continue;
    const p = data.lexical.postings.get(t);
    for (let i = 0; p && i < p.length; i += 4) if (data.sections[p[i]]) sections.set(p[i], (sections.get(p[i]) ?? 0) + 1);
  }
  const files = new Map<string, number>();
  for (const [doc, n] of sections) for (const src of data.sections[doc]!.sources) files.set(src.file, Math.max(n, files.get(src.file) ?? 0));
  return { sections, files };
}
