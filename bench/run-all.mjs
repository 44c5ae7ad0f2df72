#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ (each in its own process, against the built dist/), then rewrites
// BENCHMARKS.md from bench/results/*.json. It builds nothing itself: the npm script builds first.
// Usage: node bench/run-all.mjs [--skip retrieval,logs,llm-overhead,eval] [--eval-runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBenchmarks } from './write-benchmarks.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const results = join(here, 'results');
const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const skip = new Set(arg('--skip', '').split(',').filter(Boolean));
const evalRuns = Number(arg('--eval-runs', '5'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The thresholds of `npm run eval:gate` (the last step of npm test) plus a p95 latency bound; BENCHMARKS.md shows them as the eval targets. */
const EVAL_ARGS = ['eval', '--min-recall-at-1', '0.85', '--min-recall-at-5', '0.95', '--min-mrr', '0.9', '--min-section-recall-at-5', '0.9', '--min-refusal-recall', '0.8', '--min-refusal-precision', '0.9', '--min-citation-validity', '1', '--min-required-terms', '0.85', '--max-p95-ms', '250'];

function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim();
  } catch {
    return cpus()[0]?.model;
  }
}

if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`');
  process.exit(2);
}
mkdirSync(results, { recursive: true });
const steps = [];
/** The machine is shared: the 1-minute load average before and after says how quiet it was. */
const loadAtStart = Number(loadavg()[0].toFixed(2));

function run(name, argv, result, opts = {}) {
  const command = `node ${argv.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`;
  console.error(`\nbench: ${command}`);
  const t = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd: repo, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(((performance.now() - t) / 1000).toFixed(1));
  if (r.error) console.error(`bench: ${name} could not start: ${r.error.message}`);
  const step = { name, command, exitCode: r.status, seconds, result };
  return { step, stdout: r.stdout };
}

const KNOWN = [
  ['retrieval', 'retrieval.mjs', 'retrieval.json'],
  ['logs', 'logs-reduce.mjs', 'logs.json'],
  ['llm-overhead', 'llm-overhead.mjs', 'llm-overhead.json'],
];
// Scripts added later run too; their result file is whichever results/*.json they rewrote.
const OWN = new Set(['run-all.mjs', 'write-benchmarks.mjs']);
const others = readdirSync(here).filter((f) => f.endsWith('.mjs') && !OWN.has(f) && !KNOWN.some(([, s]) => s === f)).sort();
const stamps = () => new Map(readdirSync(results).filter((f) => f.endsWith('.json')).map((f) => [f, statSync(join(results, f)).mtimeMs]));

for (const [name, script, known] of [...KNOWN, ...others.map((f) => [f.replace(/\.mjs$/, ''), f, undefined])]) {
  if (skip.has(name)) continue;
  if (!existsSync(join(here, script))) {
    console.error(`bench: bench/${script} does not exist yet; skipped`);
    continue;
  }
  const before = stamps();
  const { step } = run(name, [join('bench', script)], known);
  step.result ??= [...stamps()].find(([f, t]) => before.get(f) !== t)?.[0];
  steps.push(step);
  if (step.exitCode !== 0) console.error(`bench: ${name} exited ${step.exitCode}; its previous result file (if any) is reported`);
}

if (!skip.has('eval')) {
  // Several runs of the bundled cases; quality is deterministic, the latency percentiles are medians across runs.
  const reports = [];
  let last;
  for (let i = 0; i < evalRuns; i++) {
    last = run('eval', ['bin/opsctl.js', ...EVAL_ARGS, '--json'], 'eval.json', { capture: true });
    if (last.step.exitCode !== 0 && last.step.exitCode !== 12) break;
    reports.push(JSON.parse(last.stdout));
  }
  steps.push({ ...last.step, command: `node bin/opsctl.js ${EVAL_ARGS.join(' ')}`, runs: reports.length });
  if (reports.length) {
    const lat = (k) => median(reports.map((r) => r.summary.latencyMs[k]));
    const report = reports.at(-1);
    writeFileSync(join(results, 'eval.json'), `${JSON.stringify({ runs: reports.length, latencyMs: { p50: lat('p50'), p95: lat('p95') }, gatesPassed: report.gates.every((g) => g.pass), report }, null, 2)}\n`);
  }
}

const machine = { cores: cpus().length, cpu: cpuModel(), memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), loadAtStart, loadAtEnd: Number(loadavg()[0].toFixed(2)) };
writeFileSync(join(results, 'run-all.json'), `${JSON.stringify({ machine, steps }, null, 2)}\n`);
const out = join(repo, 'BENCHMARKS.md');
writeFileSync(out, renderBenchmarks(results, existsSync(out) ? readFileSync(out, 'utf8') : ''));
console.error(`\nbench: wrote ${out}`);
for (const s of steps) console.error(`bench: ${s.name.padEnd(13)} exit ${s.exitCode}  ${s.seconds} s`);
process.exit(steps.some((s) => s.exitCode !== 0 && !(s.name === 'eval' && s.exitCode === 12)) ? 1 : 0);
