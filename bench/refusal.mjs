#!/usr/bin/env node
// Refusal calibration (issue 17 item 8): the relevance floor below which `ask` says no runbook covers a question,
// measured on BOTH dev collections. Questions that must be answered: every real alert text of the collection's
// queries.jsonl. Questions that must be refused: test/fixtures/refusal/unrelated.jsonl (hand-written, other domains),
// split in halves: "calibrate" picks the floor, "check" measures it. Refusal precision = refused and unrelated /
// refused; recall = refused and unrelated / unrelated.
// Usage: npm run build && node bench/refusal.mjs [--data DIR] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateIndex } from '../dist/core/runbooks/indexer.js';
import { openIndex } from '../dist/core/runbooks/open.js';
import { searchIndex } from '../dist/core/runbooks/search.js';
import { datasetCorpus } from '../dist/core/eval/dataset.js';
import { DEFAULTS } from '../dist/config/schema.js';
import { hnswFactory } from '../dist/providers/vector/hnsw.js';
import { benchLock, COLLECTIONS, devDataDir } from './lib/dev-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const data = devDataDir(here, args);
const lock = benchLock;
const jsonl = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const unrelated = jsonl(join(here, '../test/fixtures/refusal/unrelated.jsonl'));

async function bestRelevances(name) {
  const corpus = datasetCorpus(join(data, name));
  const indexDir = mkdtempSync(join(tmpdir(), 'opsctl-refusal-'));
  try {
    await updateIndex({ root: corpus.root, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock, now: () => new Date(), rebuild: true });
    const index = await openIndex(indexDir, hnswFactory);
    const best = async (q) => (await searchIndex(index, q, { topK: 5, minScore: 0 })).best;
    const alerts = [];
    for (const c of jsonl(join(data, name, 'queries.jsonl'))) alerts.push(await best(c.query));
    const off = [];
    for (const u of unrelated) off.push({ half: u.half, best: await best(u.query), query: u.query });
    return { name, alerts, off };
  } finally {
    rmSync(indexDir, { recursive: true, force: true });
    corpus.dispose();
  }
}

/** Precision and recall of refusing below `floor`, on one half of the unrelated questions and every alert. */
function score(r, floor, half) {
  const off = r.off.filter((o) => half === 'all' || o.half === half);
  const tp = off.filter((o) => o.best < floor).length;
  const fp = r.alerts.filter((b) => b < floor).length;
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: off.length ? tp / off.length : 1, refusedAlerts: fp, alerts: r.alerts.length, refusedOff: tp, off: off.length };
}
const f1 = (s) => (s.precision + s.recall ? (2 * s.precision * s.recall) / (s.precision + s.recall) : 0);

const runs = [];
for (const name of COLLECTIONS) runs.push(await bestRelevances(name));
const floors = Array.from({ length: 31 }, (_, i) => Number((0.1 + i * 0.01).toFixed(2)));
const out = { default: DEFAULTS.minScore, sweep: [], pick: {} };
for (const f of floors) out.sweep.push({ floor: f, ...Object.fromEntries(runs.map((r) => [r.name, { calibrate: score(r, f, 'calibrate'), check: score(r, f, 'check') }])) });
// Leave one collection out: the floor best (F1) on one collection's calibrate half, measured on the other's check half.
for (const tune of runs) {
  const best = floors.reduce((a, f) => (f1(score(tune, f, 'calibrate')) > f1(score(tune, a, 'calibrate')) ? f : a), floors[0]);
  out.pick[tune.name] = { floor: best, ...Object.fromEntries(runs.map((r) => [r.name, score(r, best, 'check')])) };
}
out.atDefault = Object.fromEntries(runs.map((r) => [r.name, { check: score(r, DEFAULTS.minScore, 'check'), all: score(r, DEFAULTS.minScore, 'all') }]));
out.missedOff = Object.fromEntries(runs.map((r) => [r.name, r.off.filter((o) => o.best >= DEFAULTS.minScore).map((o) => `${o.best.toFixed(2)} ${o.query}`)]));
const pct = (s) => `P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} (alerts refused ${s.refusedAlerts}/${s.alerts}, unrelated refused ${s.refusedOff}/${s.off})`;
if (args.includes('--json')) console.log(JSON.stringify(out, null, 1));
else {
  console.log(`floor sweep (check half): ${COLLECTIONS.join(' | ')}`);
  for (const row of out.sweep) if (Math.round(row.floor * 100) % 2 === 0) console.log(`${row.floor.toFixed(2)}  ${COLLECTIONS.map((n) => pct(row[n].check)).join('  |  ')}`);
  for (const [t, p] of Object.entries(out.pick)) console.log(`tuned on ${t}: floor ${p.floor}; check half: ${COLLECTIONS.map((n) => `${n} ${pct(p[n])}`).join('; ')}`);
  console.log(`default ${out.default}: ${COLLECTIONS.map((n) => `${n} check ${pct(out.atDefault[n].check)}`).join('; ')}`);
  for (const [n, m] of Object.entries(out.missedOff)) console.log(`answered but unrelated (${n}): ${m.join(' / ') || 'none'}`);
}
