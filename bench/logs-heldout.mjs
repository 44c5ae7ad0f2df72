#!/usr/bin/env node
// Held-out style check for `opsctl logs reduce` (issue 14): episodes injected into synthetic logs of ten
// loghub-style systems that are NOT in ../shared/data/loghub (see bench/heldout/systems.mjs), reduced to 5%
// of their tokens. Reports episode recall overall and per kind (error, latency-only, order-only, burst), a
// skewed multi-file run (one big file + ten small ones: the big file must keep >= 0.9 of its single-file
// recall), and checks that the budget is never exceeded. Run `npm run build` first.
// Usage: node bench/logs-heldout.mjs [--lines 20000] [--seeds 3] [--json out.json (default bench/results/logs-heldout.json)]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, SYSTEMS } from './heldout/systems.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { reduceLogs } = await import(join(repo, 'dist/core/logs/reduce.js'));
const { estimateTokens } = await import(join(repo, 'dist/core/logs/tokens.js'));
const { logsTextFormat } = await import(join(repo, 'dist/output/logs-text.js'));
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const N = Number(opt('--lines', 20000));
const SEEDS = Number(opt('--seeds', 3));
const RATIO = 0.05;
const tmp = mkdtempSync(join(tmpdir(), 'opsctl-heldout-'));
let overBudget = 0;

function write(name, lines) {
  const path = join(tmp, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { name, path };
}

/** Kept line numbers per source name. */
function keptOf(doc) {
  const kept = new Map();
  for (const b of doc.blocks) {
    let set = kept.get(b.source);
    if (!set) kept.set(b.source, (set = new Set()));
    for (const l of b.lines) set.add(l.n);
  }
  return kept;
}

async function reduce(inputs, extra = {}) {
  const out = await reduceLogs(inputs, { ratio: RATIO, format: logsTextFormat, ...extra });
  if (estimateTokens(out.text) > out.doc.budget) overBudget++;
  return out;
}

const byKind = {};
const bySystem = {};
const count = (tbl, key, hit) => { tbl[key] ??= { found: 0, total: 0 }; tbl[key].total++; if (hit) tbl[key].found++; };
const started = Date.now();
for (let seed = 1; seed <= SEEDS; seed++) {
  for (const sys of SYSTEMS) {
    const g = generate(sys, N, seed * 1000 + sys.name.length);
    const input = write(`${sys.name}-${seed}.log`, g.lines);
    const { doc } = await reduce([input]);
    const kept = keptOf(doc).get(input.name) ?? new Set();
    for (const ep of g.episodes) {
      const hit = ep.lines.some((n) => kept.has(n));
      count(byKind, ep.kind, hit);
      count(bySystem, sys.name, hit);
    }
  }
}

// Skewed multi-file run: a big file (~80% of the tokens) with its episodes, next to ten small files.
const skew = { single: { found: 0, total: 0 }, multi: { found: 0, total: 0 } };
for (let seed = 1; seed <= SEEDS; seed++) {
  const bigSys = SYSTEMS[(seed - 1) % SYSTEMS.length];
  const g = generate(bigSys, N * 3, seed * 77, 4);
  const big = write(`big-${seed}.log`, g.lines);
  const small = SYSTEMS.filter((s) => s !== bigSys).map((s, i) => write(`small-${seed}-${i}.log`, generate(s, Math.floor(N / 20), seed * 91 + i, 0).lines));
  const single = keptOf((await reduce([big])).doc).get(big.name) ?? new Set();
  const multi = keptOf((await reduce([big, ...small])).doc).get(big.name) ?? new Set();
  for (const ep of g.episodes) {
    count(skew, 'single', ep.lines.some((n) => single.has(n)));
    count(skew, 'multi', ep.lines.some((n) => multi.has(n)));
  }
}
rmSync(tmp, { recursive: true, force: true });

const r = (x) => (x.total ? x.found / x.total : 0);
const overall = Object.values(byKind).reduce((a, x) => ({ found: a.found + x.found, total: a.total + x.total }), { found: 0, total: 0 });
const result = {
  lines: N, seeds: SEEDS, ratio: RATIO, systems: SYSTEMS.map((s) => s.name),
  recall: { overall: r(overall), episodes: overall.total, ...Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, r(v)])) },
  perSystem: Object.fromEntries(Object.entries(bySystem).map(([k, v]) => [k, `${v.found}/${v.total}`])),
  skew: { single: r(skew.single), multi: r(skew.multi), kept: r(skew.single) ? r(skew.multi) / r(skew.single) : 0 },
  overBudget,
  seconds: (Date.now() - started) / 1000,
  machine: { cpus: cpus().length, load1: loadavg()[0] },
};
console.log(JSON.stringify(result, null, 2));
const json = opt('--json', join(repo, 'bench/results/logs-heldout.json'));
writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
const ok = result.recall.overall >= 0.92 && result.recall.latency >= 0.6 && result.recall.order >= 0.6 && result.skew.kept >= 0.9 && overBudget === 0;
console.log(ok ? 'PASS' : 'FAIL (targets: overall >= 0.92, latency and order >= 0.6, skew kept >= 0.9, never over budget)');
process.exitCode = ok ? 0 : 1;
