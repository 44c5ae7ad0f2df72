import type { Embedder, VectorStore } from '../ports.js';
import { collapsePerFile } from './collapse.js';
import { headingCoverage, headingMatch } from './heading-vote.js';
import { bestSectionsFit, numberMatches, votesOf } from './fusion.js';
import { dotAll } from './dot.js';
import { byFile, byParent, byUnit, fileBm25, type FileBm25Params } from './file-bm25.js';
import { LexicalIndex, type Bm25fParams } from './lexical.js';
import { asWritten, tokenSources, tokenize } from './tokenize.js';
import type { IndexData, StoredSection } from './store.js';

/** Weight of the lexical score in the fused score; the rest is dense cosine. Tuned on the dev set (BENCHMARKS.md). */
export const LEXICAL_WEIGHT = 0.25;
/** Weight of the whole file's fit (query vs the file's mean section vector), added to every section of that file. */
export const FILE_WEIGHT = 2;
/** Dense candidates (nearest sections by cosine) fetched before fusion. */
const DENSE_CANDIDATES = 100;
/** Lexical candidates (best BM25F first) fused with the dense ones. */
const LEXICAL_CANDIDATES = 300;

export interface Hit {
  section: StoredSection;
  /** Fused ranking score: section match plus how well its whole file fits (relative within one query). */
  score: number;
  /** The section's files, best first, each scored with its own fit (`score` is the first one's). */
  files: Array<{ file: string; score: number }>;
  /** Absolute relevance in [0, 1]: how much of the question this section covers. Compared to minScore. */
  relevance: number;
  lexical: number;
  dense: number;
  /** Query terms found in the section (for "why this matched"), as the question wrote them. */
  matched: string[];
  /** 1-based place in the full ranking (set when results are collapsed per file, see collapsePerFile). */
  rank?: number;
}

export interface SearchResult {
  query: string;
  hits: Hit[];
  /** With `maxPerFile`: sections ranked among the shown ones but past their file's limit, in rank order. */
  collapsed?: Hit[];
  /** True when even the best section is below the relevance floor: opsctl says so instead of guessing. */
  noMatch: boolean;
  best: number;
}

export interface OpenIndex {
  data: IndexData;
  lexical: LexicalIndex;
  /** HNSW for a large index; undefined when dense search is exact over `data.sectionVectors` (see EXACT_SEARCH_MAX). */
  vectors?: VectorStore;
  embedder: Embedder;
}

export function openLexical(data: IndexData): LexicalIndex {
  return new LexicalIndex(data.lexical, undefined, (doc) => data.sections[doc] !== null);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The k live sections of highest similarity (`sims` indexed by label), best first. */
export function nearestLabels(sims: Float32Array, sections: IndexData['sections'], k: number): Array<{ label: number; similarity: number }> {
  const live: number[] = [];
  for (let label = 0; label < sims.length; label++) if (sections[label]) live.push(sims[label]);
  if (!live.length) return [];
  // This runs once per cold process, before the JIT has warmed up: a numeric typed-array sort finds the k-th best
  // similarity, and only the few sections at or above it are sorted with a comparator.
  const floor = Float32Array.from(live).sort()[Math.max(0, live.length - k)];
  const top: Array<{ label: number; similarity: number }> = [];
  for (let label = 0; label < sims.length; label++) if (sections[label] && sims[label] >= floor) top.push({ label, similarity: sims[label] });
  return top.sort((a, b) => b.similarity - a.similarity || a.label - b.label).slice(0, k);
}

/**
 * Hybrid retrieval: BM25F over title/heading/body fused with dense cosine (weighted score fusion), then the top-K
 * distinct sections. Relevance combines query-term coverage with dense similarity so it means the same across queries.
 */
export interface SearchOptions {
  topK: number;
  minScore: number;
  /** Overrides for tuning and benchmarks. */
  lexicalWeight?: number;
  fileWeight?: number;
  rank?: Partial<RankParams>;
  /** Show at most this many sections per file among the top K (the rest are `collapsed`); 0 or absent: no limit. */
  maxPerFile?: number;
}

/** How the signals are fused (see BENCHMARKS.md, leave-one-collection-out table). */
export interface RankParams {
  fusion: 'rrf' | 'score';
  /** RRF votes scaled by each signal's score over its best (see votesOf). */
  scaled?: boolean;
  /** Reciprocal-rank constant: larger flattens the difference between neighbouring ranks. */
  k: number;
  /** Votes: BM25F over sections, dense over sections, BM25 over files, dense fit of the whole file. */
  w: { section: number; dense: number; file: number; fit: number; numbers: number; heading: number; parent: number; coverage: number; headingIdf: number; unit: number };
  fileBm25?: FileBm25Params;
  /**
   * Whole-file fit: the query against the file's mean section vector (`centroid`, which dilutes a long page that
   * answers many things), the mean of its best 3 sections (`top3`), or the mean of both (`blend`).
   */
  fit?: 'centroid' | 'top3' | 'blend';
  /** Heading votes only reorder the sections of one file among the places that file's sections hold (files keep their rank). */
  withinFile?: boolean;
  /** BM25F field weights and length normalisation of the section signal (default DEFAULT_BM25F). */
  bm25f?: Bm25fParams;
}

export const DEFAULT_RANK: RankParams = { fusion: 'rrf', fit: 'blend', k: 20, w: { section: 1, dense: 0.5, file: 1, fit: 3, numbers: 1, heading: 0, parent: 0, coverage: 0, headingIdf: 0.5, unit: 0 } };

export async function searchIndex(index: OpenIndex, query: string, opts: SearchOptions): Promise<SearchResult> {
  const lw = opts.lexicalWeight ?? LEXICAL_WEIGHT;
  const fw = opts.fileWeight ?? FILE_WEIGHT;
  const rp: RankParams = { ...DEFAULT_RANK, ...opts.rank, w: { ...DEFAULT_RANK.w, ...opts.rank?.w } };
  const lexical = rp.bm25f ? new LexicalIndex(index.data.lexical, rp.bm25f, (doc) => index.data.sections[doc] !== null) : index.lexical;
  // The best lexical matches only: a common word matches most of a big corpus, and every candidate costs a cold `ask`.
  const lex = lexical.search(query).slice(0, LEXICAL_CANDIDATES);
  const maxLex = lex[0]?.score ?? 0;
  const qv = await index.embedder.embedQuery(query);
  const candidates = new Map<number, { lexical: number; coverage: number; matched: string[]; dense?: number }>();
  const written = tokenSources(query);
  for (const m of lex) candidates.set(m.doc, { lexical: maxLex ? m.score / maxLex : 0, coverage: m.coverage, matched: asWritten(m.matched, written) });
  const hasDense = qv.some((x) => x !== 0);
  const fileFit = new Map<string, number>();
  // A small index is searched exactly: every live section's similarity at once (see EXACT_SEARCH_MAX in open.ts).
  const sims = hasDense && !index.vectors ? dotAll(index.data.sectionVectors, qv) : undefined;
  if (hasDense) {
    const nearest = index.vectors ? index.vectors.search(qv, DENSE_CANDIDATES) : nearestLabels(sims!, index.data.sections, DENSE_CANDIDATES);
    for (const d of nearest) {
      if (!index.data.sections[d.label]) continue;
      const c = candidates.get(d.label);
      if (c) c.dense = d.similarity;
      else candidates.set(d.label, { lexical: 0, coverage: 0, matched: [], dense: d.similarity });
    }
    const fits = dotAll(index.data.fileVectors.data, qv);
    index.data.fileVectors.files.forEach((f, i) => fileFit.set(f, Math.max(0, fits[i])));
    if (rp.fit && rp.fit !== 'centroid' && sims) {
      const top = new Map<string, number>();
      bestSectionsFit(index.data, sims, 3, top);
      for (const [f, v] of top) fileFit.set(f, rp.fit === 'blend' ? ((fileFit.get(f) ?? 0) + v) / 2 : v);
    }
  }
  // Dense similarity built from one or two known words of an off-topic question is not evidence: scale it by how much of
  // the question the corpus knows at all.
  const known = index.lexical.knownShare(query);
  const rrf = rp.fusion === 'rrf';
  const sc = rp.scaled ?? false;
  // Inputs are built only for signals that vote (a cold `ask` pays for every pass over the candidates).
  const votes = <K>(scores: () => Iterable<[K, number]>, w: number) => (rrf && w ? votesOf(scores(), w, rp.k, sc) : new Map<K, number>());
  const fileVote = votes(() => fileBm25(index.data, query, rp.fileBm25), rp.w.file);
  const fitVote = votes(() => fileFit, rp.w.fit);
  const numbers = rrf && rp.w.numbers ? numberMatches(index.data, query) : undefined;
  // Percentages are a yes/no signal: every section stating the most of them ranks first, unscaled.
  const numberVote = { sections: votesOf(numbers?.sections ?? [], rp.w.numbers, rp.k, false), files: votesOf(numbers?.files ?? [], rp.w.numbers, rp.k, false) };
  const denseScores: Array<[number, number]> = [];
  const hits: Hit[] = [];
  for (const [label, c] of candidates) {
    const section = index.data.sections[label];
    if (!section) continue;
    let dense = c.dense;
    if (dense === undefined && hasDense) {
      const dim = qv.length;
      dense = sims ? sims[label] : cosine(qv, index.data.sectionVectors.subarray(label * dim, (label + 1) * dim));
    }
    const d = Math.max(0, dense ?? 0);
    denseScores.push([label, d]);
    const base = lw * c.lexical + (1 - lw) * d;
    // A section found in several files (identical text) counts with each file's own fit: lending the best file's fit
    // to all of them ranked a poorly fitting copy as high as the runbook that really is about the question.
    const fileVotes = (f: string) => (fileVote.get(f) ?? 0) + (fitVote.get(f) ?? 0) + (numberVote.files.get(f) ?? 0);
    const files = section.sources.map((src) => ({ file: src.file, score: rrf ? fileVotes(src.file) : base + fw * (fileFit.get(src.file) ?? 0) }));
    files.sort((a, b) => b.score - a.score);
    const relevance = 0.5 * c.coverage + 0.5 * d * known;
    hits.push({ section, score: files[0]?.score ?? base, files, relevance, lexical: c.lexical, dense: d, matched: c.matched });
  }
  if (rrf) {
    const sectionVote = votes(() => lex.map((m) => [m.doc, m.score] as [number, number]), rp.w.section);
    const denseVote = votes(() => denseScores, rp.w.dense);
    const coverVote = votes(() => [...candidates].map(([label, c]) => [label, c.coverage] as [number, number]), rp.w.coverage);
    const parentVote = votes(() => fileBm25(index.data, query, rp.fileBm25, byParent), rp.w.parent);
    const unitKey = rp.w.unit ? byUnit(index.data) : byFile;
    const unitVote = votes(() => fileBm25(index.data, query, rp.fileBm25, unitKey), rp.w.unit);
    const headIdfVote = votes(() => headingMatch(index.data, (d) => index.data.sections[d] !== null, query), rp.w.headingIdf);
    let headVote = new Map<number, number>();
    if (rp.w.heading) {
      const terms = new Set(tokenize(query));
      const cache = new Map<string, number>();
      headVote = votes(() => hits.map((h) => [h.section.label, headingCoverage(h.section, terms, lexical, cache)] as [number, number]), rp.w.heading);
    }
    for (const h of hits) {
      const l = h.section.label;
      const parent = rp.w.parent ? Math.max(...h.section.sources.map((src) => parentVote.get(byParent(src)) ?? 0)) : 0;
      const unit = rp.w.unit ? Math.max(...h.section.sources.map((src) => unitVote.get(unitKey(src)) ?? 0)) : 0;
      const heads = rp.withinFile ? 0 : (headVote.get(l) ?? 0) + (headIdfVote.get(l) ?? 0);
      const own = parent + unit + (sectionVote.get(l) ?? 0) + (denseVote.get(l) ?? 0) + heads + (numberVote.sections.get(l) ?? 0) + (coverVote.get(l) ?? 0);
      for (const f of h.files) f.score += own;
      h.files.sort((a, b) => b.score - a.score);
      h.score = h.files[0]?.score ?? own;
    }
    if (rp.withinFile) reorderWithinFiles(hits, (h) => (headVote.get(h.section.label) ?? 0) + (headIdfVote.get(h.section.label) ?? 0));
  }
  hits.sort((a, b) => b.score - a.score || a.section.label - b.section.label);
  const shown = opts.maxPerFile ? collapsePerFile(hits, opts.topK, opts.maxPerFile, bestSourceFirst) : { hits: hits.slice(0, opts.topK).map(bestSourceFirst), collapsed: [] };
  // The relevance floor judges the top K of the ranking, not what the per-file limit leaves on screen: a collapsed
  // section that covers the question best still means the runbooks answer it.
  let best = 0;
  for (const h of [...hits.slice(0, opts.topK), ...shown.hits]) best = Math.max(best, h.relevance);
  const noMatch = best < opts.minScore;
  return { query, hits: noMatch ? [] : shown.hits, collapsed: noMatch ? [] : shown.collapsed, noMatch, best };
}

/**
 * Within each file, re-deals the scores its sections hold to the order of score plus `extra`: which file ranks where,
 * and where each file's sections sit in the list, stay the same; only which of the file's sections fills each place
 * changes. A signal that can tell sections of one page apart but misleads across pages (a heading named after an
 * alert vs generic headings elsewhere) is used for that alone.
 */
function reorderWithinFiles(hits: Hit[], extra: (h: Hit) => number): void {
  const byFile = new Map<string, Hit[]>();
  for (const h of hits) {
    const f = h.files[0]?.file ?? '';
    byFile.set(f, [...(byFile.get(f) ?? []), h]);
  }
  for (const group of byFile.values()) {
    if (group.length < 2) continue;
    const slots = group.map((h) => h.score).sort((a, b) => b - a);
    const order = [...group].sort((a, b) => b.score + extra(b) - (a.score + extra(a)) || a.section.label - b.section.label);
    order.forEach((h, i) => {
      const delta = slots[i] - h.score;
      h.score = slots[i];
      for (const f of h.files) f.score += delta;
    });
  }
}

/** A shown section cites the file that fits the question best first (callers cite `sources[0]`). */
function bestSourceFirst(hit: Hit): Hit {
  const { sources } = hit.section;
  if (sources.length < 2) return hit;
  const order = new Map(hit.files.map((f, i) => [f.file, i]));
  const sorted = [...sources].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return { ...hit, section: { ...hit.section, sources: sorted } };
}

/** Files in ranked order, each once, by their best section's score with the file's own fit (the dev-set protocol ranks files). */
export function rankedFiles(hits: Hit[]): string[] {
  const best = new Map<string, number>();
  for (const h of hits) for (const f of h.files) if (!(best.get(f.file)! >= f.score)) best.set(f.file, f.score);
  return [...best].sort((a, b) => b[1] - a[1]).map(([file]) => file);
}
