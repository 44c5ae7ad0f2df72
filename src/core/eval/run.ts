import { OpsctlError } from '../errors.js';
import type { Embedder, LlmClient } from '../ports.js';
import { alarmQuery } from '../runbooks/alarm-query.js';
import { updateIndex, type IndexAccess } from '../runbooks/indexer.js';
import { MAX_PER_FILE } from '../runbooks/collapse.js';
import { openIndex } from '../runbooks/open.js';
import { rankedFiles, searchIndex, type OpenIndex } from '../runbooks/search.js';
import type { EvalCase } from './cases.js';
import { checkCitation, fileLineReader, type CitationCheck } from './citations.js';
import { judgeWithLlm, type LlmJudgement } from './llm-judge.js';
import { firstRelevantRank, headingMatches, termCoverage, type TermCoverage } from './metrics.js';
import { summarise, type EvalSummary } from './summary.js';

/** Sections fetched for ranking metrics: deep enough for 10 distinct files (same depth as bench/retrieval.mjs). */
export const RANK_DEPTH = 50;

export interface EvalOptions extends IndexAccess {
  cases: EvalCase[];
  /** What `ask` would show and its relevance floor: refusals and citations are judged on exactly that. */
  topK: number;
  minScore: number;
  llm?: LlmClient;
  /** Mask secrets in prompts (a cloud backend), as ask does. */
  /** Milliseconds clock for latency; default performance.now. */
  timer?: () => number;
  onProgress?: (done: number, total: number, id: string) => void;
}

export interface CaseResult {
  id: string;
  source: string;
  /** The part of a dataset the case belongs to (its `source`), for per-source metrics; undefined for YAML cases. */
  group?: string;
  query: string;
  mustRefuse: boolean;
  /** ask's noMatch: the best section is below the relevance floor. */
  refused: boolean;
  bestRelevance: number;
  /** 1-based rank of the first expected file among distinct files (0 = not in the first 50 sections); null for must_refuse. */
  fileRank: number | null;
  /** Same over sections, where a section also needs an expected heading when headings are given. */
  sectionRank: number | null;
  /** First five distinct files of the ranking, for reading misses. */
  topFiles: string[];
  /** Every source of every section ask would show. */
  citations: CitationCheck[];
  /** Required terms in the text of the top K sections retrieved (before the per-file fold). */
  terms: TermCoverage;
  latencyMs: number;
  llm?: LlmJudgement;
}

export interface EvalRun {
  cases: CaseResult[];
  summary: EvalSummary;
  index: { files: number; sections: number; embedder: string };
  llm?: string;
}

/** Stops early when an expected file or heading does not exist: a typo would otherwise read as a retrieval miss. */
function checkExpectations(cases: readonly EvalCase[], index: OpenIndex, root: string): void {
  const headings = new Map<string, Set<string>>();
  for (const s of index.data.sections) {
    for (const src of s?.sources ?? []) {
      const set = headings.get(src.file) ?? new Set<string>();
      for (const h of src.headingPath) set.add(h);
      headings.set(src.file, set);
    }
  }
  for (const c of cases) {
    const missing = c.files.find((f) => !(f in index.data.manifest.files));
    if (missing) throw new OpsctlError('input', `${c.source}: case "${c.id}" expects ${missing}, which is not indexed from ${root}`, 'paths in expect.files are relative to the runbooks directory (--runbooks)');
    // A dataset line's headings are alternatives (an empty stacked heading may have no section of its own): one must exist.
    const check = c.group !== undefined && c.headings.some((h) => c.files.some((f) => headingMatches([...(headings.get(f) ?? [])], [h]))) ? [] : c.headings;
    for (const h of check) {
      if (!c.files.some((f) => headingMatches([...(headings.get(f) ?? [])], [h]))) {
        throw new OpsctlError('input', `${c.source}: case "${c.id}" expects heading "${h}", which no section of ${c.files.join(', ')} has`, 'headings must match a heading in one of the expected files');
      }
    }
  }
}

/** Indexes the runbooks, runs every case the way `ask` would, and measures each against its expectations. */
export async function runEval(opts: EvalOptions): Promise<EvalRun> {
  const timer = opts.timer ?? (() => performance.now());
  const indexed = await updateIndex({ root: opts.root, indexDir: opts.indexDir, embedder: opts.embedder, vectors: opts.vectors, lock: opts.lock, now: opts.now, signal: opts.signal });
  const model: Embedder | undefined = opts.embedder.kind === 'model' ? opts.embedder.embedder : undefined;
  const index = await openIndex(opts.indexDir, opts.vectors, model);
  checkExpectations(opts.cases, index, opts.root);
  const read = fileLineReader(opts.root);
  const results: CaseResult[] = [];
  for (const c of opts.cases) {
    if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'eval interrupted');
    const query = c.alarm ? `${alarmQuery(c.alarm)} ${c.question}`.trim() : c.question;
    const t0 = timer();
    const shown = await searchIndex(index, query, { topK: opts.topK, minScore: opts.minScore, maxPerFile: MAX_PER_FILE });
    const latencyMs = timer() - t0;
    const ranked = await searchIndex(index, query, { topK: RANK_DEPTH, minScore: 0 });
    const want = new Set(c.files);
    // Required terms are looked for in the top K as ranked (what --json lists and an LLM answer is written from),
    // sections folded into "more in this file" included: the fold is layout, not retrieval.
    const retrieved = shown.noMatch ? [] : ranked.hits.slice(0, opts.topK);
    const citations = shown.hits.flatMap((h) => h.section.sources.map((s) => checkCitation({ ...s, text: h.section.text }, read)));
    const result: CaseResult = {
      id: c.id,
      source: c.source,
      ...(c.group !== undefined ? { group: c.group } : {}),
      query,
      mustRefuse: c.mustRefuse,
      refused: shown.noMatch,
      bestRelevance: shown.best,
      fileRank: c.mustRefuse ? null : firstRelevantRank(rankedFiles(ranked.hits), (f) => want.has(f)),
      sectionRank: c.mustRefuse ? null : firstRelevantRank(ranked.hits, (h) => h.section.sources.some((s) => want.has(s.file) && headingMatches(s.headingPath, c.headings))),
      topFiles: rankedFiles(ranked.hits).slice(0, 5),
      citations,
      terms: termCoverage(retrieved.map((h) => h.section.text).join('\n\n'), c.requiredTerms),
      latencyMs,
    };
    if (opts.llm) result.llm = await judgeWithLlm({ llm: opts.llm, question: query, hits: shown.hits, noMatch: shown.noMatch, requiredTerms: c.requiredTerms, read, signal: opts.signal });
    results.push(result);
    opts.onProgress?.(results.length, opts.cases.length, c.id);
  }
  return {
    cases: results,
    summary: summarise(results),
    index: { files: indexed.files, sections: indexed.sections, embedder: index.embedder.id },
    llm: opts.llm?.id,
  };
}
