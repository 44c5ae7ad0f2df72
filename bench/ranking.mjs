#!/usr/bin/env node
// Ranking quality on BOTH dev collections (../shared/data/runbooks: one runbook per alert; ../shared/data/runbooks-sections:
// alerts -> sections of two big playbooks), file and section level, per collection, per source and pooled, for opsctl
// and lexical baselines; then every ranking choice validated leave-one-collection-out (tune on one, measure on the other).
// Usage: npm run build && node bench/ranking.mjs [--data DIR] [--variant JSON] [--no-loco] [--misses NAME]
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateIndex } from '../dist/core/runbooks/indexer.js';
import { openIndex } from '../dist/core/runbooks/open.js';
import { searchIndex, rankedFiles } from '../dist/core/runbooks/search.js';
import { parseJsonlCases } from '../dist/core/eval/cases.js';
import { datasetCorpus } from '../dist/core/eval/dataset.js';
import { headingMatches, rankingSummary } from '../dist/core/eval/metrics.js';
import { hnswFactory } from '../dist/providers/vector/hnsw.js';
import { baselines } from './lib/baselines.mjs';
import { CHOICES } from './lib/ranking-choices.mjs';
import { argOf, benchLock, COLLECTIONS, devDataDir } from './lib/dev-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, def) => argOf(args, name, def);
const data = devDataDir(here, args);
const lock = benchLock;
const started = performance.now();

/** Both collections side by side in one corpus (each under its own folder): the mixed shape, files beside big playbooks. */
function mixedCorpus() {
  const root = mkdtempSync(join(tmpdir(), 'opsctl-rank-mixed-'));
  const mirror = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) mirror(join(from, e.name), join(to, e.name));
      else if (/\.md$/i.test(e.name)) symlinkSync(realpathSync(join(from, e.name)), join(to, e.name));
    }
  };
  const parts = COLLECTIONS.map((name) => datasetCorpus(join(data, name)));
  COLLECTIONS.forEach((name, i) => mirror(parts[i].root, join(root, name)));
  parts.forEach((p) => p.dispose());
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** One collection indexed the protocol's way (root README excluded), its cases and baselines. */
async function load(name) {
  const mixed = name === 'mixed';
  const corpus = mixed ? mixedCorpus() : datasetCorpus(join(data, name));
  const indexDir = mkdtempSync(join(tmpdir(), 'opsctl-rank-'));
  await updateIndex({ root: corpus.root, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock, now: () => new Date(), rebuild: true });
  const index = await openIndex(indexDir, hnswFactory);
  const casesOf = (n) => parseJsonlCases(readFileSync(join(data, n, 'queries.jsonl'), 'utf8'), 'queries.jsonl', new Set());
  const cases = mixed
    ? COLLECTIONS.flatMap((n) => casesOf(n).map((c) => ({ ...c, files: c.files.map((f) => `${n}/${f}`), group: n })))
    : casesOf(name);
  const live = index.data.sections.filter(Boolean);
  return { name, corpus, indexDir, index, cases, baselines: baselines(corpus.root, live) };
}

/** File and section rank (1-based, 0 = missed) of one case over hits [{file, headingPath}] (headingPath null: files only). */
function ranks(c, hits) {
  const want = new Set(c.files);
  const files = [...new Set(hits.map((h) => h.file))];
  const fileRank = files.findIndex((f) => want.has(f)) + 1;
  if (hits.length && hits[0].headingPath === null) return { fileRank, sectionRank: null };
  const sectionRank = hits.findIndex((h) => want.has(h.file) && headingMatches(h.headingPath, c.headings)) + 1;
  return { fileRank, sectionRank };
}

/** opsctl's ranking as hits (each section once per source, best file first) plus the ranked files of the protocol. */
async function opsctlRanks(col, c, variant) {
  const res = await searchIndex(col.index, c.question, { topK: 50, minScore: 0, ...variant });
  const want = new Set(c.files);
  const files = rankedFiles(res.hits);
  const sectionRank = res.hits.findIndex((h) => h.section.sources.some((s) => want.has(s.file) && headingMatches(s.headingPath, c.headings))) + 1;
  return { fileRank: files.findIndex((f) => want.has(f)) + 1, sectionRank, best: res.best };
}

function summarise(rows) {
  const f = rankingSummary(rows.map((r) => r.fileRank));
  const s = rows[0]?.sectionRank === null ? null : rankingSummary(rows.map((r) => r.sectionRank));
  return { n: rows.length, file: f, section: s };
}

/** Metrics of a method over a collection: all, and per source. */
function report(col, rows) {
  const out = { ALL: summarise(rows) };
  const groups = [...new Set(col.cases.map((c) => c.group))].sort();
  for (const g of groups) out[g] = summarise(rows.filter((_, i) => col.cases[i].group === g));
  return out;
}

async function measureOpsctl(col, variant = {}) {
  const rows = [];
  for (const c of col.cases) rows.push(await opsctlRanks(col, c, variant));
  return rows;
}

/** The one number a tuning step maximises on a collection: mean of file and section MRR@10. */
const objective = (rows) => {
  const s = summarise(rows);
  return (s.file.mrrAt10 + (s.section?.mrrAt10 ?? s.file.mrrAt10)) / 2;
};

const f3 = (x) => (x === null || x === undefined ? '–' : x.toFixed(3));
const cols = [];
for (const name of [...COLLECTIONS, 'mixed']) cols.push(await load(name));
// Pooled and leave-one-out rows use the two dev collections; `mixed` (both in one index) is reported beside them.
const devCols = cols.filter((c) => c.name !== 'mixed');

if (args.includes('--sweep')) {
  // Exploration: one compact line per variant (JSON list of searchIndex option overrides), nothing written.
  const sweep = arg('--sweep');
  for (const v of JSON.parse(sweep.startsWith('@') ? readFileSync(sweep.slice(1), 'utf8') : sweep)) {
    const parts = [];
    for (const col of cols) {
      const s = summarise(await measureOpsctl(col, v));
      parts.push(`${col.name} f ${f3(s.file.recallAt1)}/${f3(s.file.recallAt5)}/${f3(s.file.mrrAt10)} s ${f3(s.section.recallAt1)}/${f3(s.section.recallAt5)}/${f3(s.section.mrrAt10)}`);
    }
    console.log(`${JSON.stringify(v)}  ${parts.join('  ')}`);
  }
  process.exit(0);
}
const custom = args.includes('--variant') ? JSON.parse(arg('--variant')) : undefined;
const results = {};
for (const col of cols) {
  const r = {};
  r.opsctl = await measureOpsctl(col, custom ?? {});
  for (const [m, fn] of Object.entries(col.baselines)) r[m] = col.cases.map((c) => ranks(c, fn(c.question)));
  results[col.name] = r;
}
const table = {};
for (const method of Object.keys(results[COLLECTIONS[0]])) {
  table[method] = {};
  for (const col of cols) table[method][col.name] = report(col, results[col.name][method]);
  table[method].pooled = summarise(devCols.flatMap((col) => results[col.name][method]));
}

const lines = ['| method | collection | scope | n | file R@1 | file R@5 | file MRR@10 | section R@1 | section R@5 | section MRR@10 |', '|---|---|---|---|---|---|---|---|---|---|'];
for (const [method, byCol] of Object.entries(table)) {
  for (const [colName, rep] of Object.entries(byCol)) {
    const scopes = colName === 'pooled' ? { ALL: rep } : rep;
    for (const [scope, s] of Object.entries(scopes)) {
      lines.push(`| ${method} | ${colName} | ${scope} | ${s.n} | ${f3(s.file.recallAt1)} | ${f3(s.file.recallAt5)} | ${f3(s.file.mrrAt10)} | ${f3(s.section?.recallAt1)} | ${f3(s.section?.recallAt5)} | ${f3(s.section?.mrrAt10)} |`);
    }
  }
}
console.log(lines.join('\n'));

const missesOf = arg('--misses');
if (missesOf) {
  const col = cols.find((c) => c.name === missesOf);
  results[missesOf].opsctl.forEach((r, i) => {
    if (r.sectionRank !== 1) console.log(JSON.stringify({ q: col.cases[i].question, want: col.cases[i].headings[0] ?? col.cases[i].files[0], file: r.fileRank, section: r.sectionRank }));
  });
}

// Leave one collection out: for each choice, pick its best value on one collection (the others at their defaults),
// then measure that value on the other one against the default there.
let loco;
if (!args.includes('--no-loco') && !custom) {
  loco = [];
  for (const choice of CHOICES) {
    const scores = {};
    for (const col of cols) {
      scores[col.name] = [];
      for (const v of choice.values) scores[col.name].push(objective(await measureOpsctl(col, v.variant)));
    }
    const row = { choice: choice.name, values: choice.values.map((v) => v.label), defaultLabel: choice.values[choice.default].label, scores, folds: [] };
    for (const [tune, test] of [[devCols[0], devCols[1]], [devCols[1], devCols[0]]]) {
      const s = scores[tune.name];
      const best = s.indexOf(Math.max(...s));
      row.folds.push({ tunedOn: tune.name, picked: choice.values[best].label, testedOn: test.name, atPicked: scores[test.name][best], atDefault: scores[test.name][choice.default] });
    }
    loco.push(row);
    console.log(`LOCO ${choice.name}: ${choice.values.map((v, i) => `${v.label} ${cols.map((c) => f3(scores[c.name][i])).join('/')}`).join('; ')}`);
  }
}

for (const col of cols) {
  rmSync(col.indexDir, { recursive: true, force: true });
  col.corpus.dispose();
}
if (!custom) {
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/ranking.json'), `${JSON.stringify({ data, table, loco, seconds: (performance.now() - started) / 1000 }, null, 2)}\n`);
}
