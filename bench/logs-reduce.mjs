#!/usr/bin/env node
// Quality, budget and speed benchmark for `opsctl logs reduce` (run `npm run build` first).
// Data: ../shared/data/loghub relative to the repo (loghub samples; see its README for metric definitions).
// Usage: node bench/logs-reduce.mjs [--no-speed] [--lines 1000000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// LOGHUB_DIR overrides the location (e.g. from a git worktree, where ../shared is elsewhere).
const data = process.env.LOGHUB_DIR ? resolve(process.env.LOGHUB_DIR) : resolve(repo, '../shared/data/loghub');
const { runCli } = await import(join(repo, 'dist/cli/run.js'));
const { defaultDeps } = await import(join(repo, 'dist/cli/deps.js'));
const { estimateTokens } = await import(join(repo, 'dist/core/logs/tokens.js'));
const args = process.argv.slice(2);
const speed = !args.includes('--no-speed');
const bigLines = Number(args[args.indexOf('--lines') + 1]) || 1_000_000;
const tmp = mkdtempSync(join(tmpdir(), 'opsctl-bench-logs-'));

/** Writes the file without its first (label) token; returns the labels. */
function stripLabels(src, dst) {
  const lines = readFileSync(src, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const labels = [];
  writeFileSync(dst, lines.map((l) => { const i = l.indexOf(' '); labels.push(l.slice(0, i)); return l.slice(i + 1); }).join('\n') + '\n');
  return labels;
}

/** Runs opsctl in-process; file arguments are passed relative to `cwd` so block headers stay short. */
async function opsctl(argv, cwd = repo) {
  let out = '';
  let err = '';
  const sink = (f) => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  const io = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdin: Readable.from([]), env: { ...process.env, CI: '1' }, cwd, signal: new AbortController().signal };
  const code = await runCli(argv, defaultDeps(), io);
  return { code, out, err };
}

/** Line number -> text of the kept lines, parsed from the plain-text output ("@@ name:start-end ..." blocks). */
function keptLines(text) {
  const kept = new Map();
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^@@ .*:(\d+)(?:-\d+)? \d/.exec(line);
    if (m) n = Number(m[1]);
    else if (n > 0 && line !== '') kept.set(n++, line.replace(/ \[×\d+, first L\d+, last L\d+\]$/, ''));
  }
  return kept;
}
const reduceFile = async (f, extra) => opsctl(['logs', 'reduce', f.split('/').pop(), ...extra], dirname(f));

const files = {
  BGL: { path: join(tmp, 'BGL_2k.log'), labels: stripLabels(join(data, 'BGL/BGL_2k.log'), join(tmp, 'BGL_2k.log')) },
  BGL_head10k: { path: join(tmp, 'BGL_head10k.log'), labels: stripLabels(join(data, 'BGL/BGL_head10k.log'), join(tmp, 'BGL_head10k.log')) },
  Thunderbird: { path: join(tmp, 'Thunderbird_2k.log'), labels: stripLabels(join(data, 'Thunderbird/Thunderbird_2k.log'), join(tmp, 'Thunderbird_2k.log')) },
  HDFS: { path: join(data, 'HDFS/HDFS_2k.log') },
  Apache: { path: join(data, 'Apache/Apache_2k.log') },
  OpenStack: { path: join(data, 'OpenStack/OpenStack_2k.log') },
};
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version }, quality: {}, budget: {}, speed: null };

// ---- quality ----
const hdfsLabels = new Map(readFileSync(join(data, 'HDFS/HDFS_2k_block_labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.trim().split(',')));
const hdfsText = readFileSync(files.HDFS.path, 'utf8');
const hdfsBlocks = new Set([...hdfsText.matchAll(/blk_-?\d+/g)].map((m) => m[0]).filter((b) => hdfsLabels.get(b) === 'Anomaly'));
for (const ratio of [0.05, 0.1]) {
  const bgl = await reduceFile(files.BGL.path, ['--ratio', String(ratio)]);
  const doc = JSON.parse((await reduceFile(files.BGL.path, ['--ratio', String(ratio), '--json'])).out);
  const kept = keptLines(bgl.out);
  const cats = new Set(files.BGL.labels.filter((l) => l !== '-'));
  const got = new Set();
  let anomalous = 0;
  let hit = 0;
  files.BGL.labels.forEach((l, i) => { if (l !== '-') { anomalous++; if (kept.has(i + 1)) { hit++; got.add(l); } } });
  const hdOut = (await reduceFile(files.HDFS.path, ['--ratio', String(ratio)])).out;
  const hd = JSON.parse((await reduceFile(files.HDFS.path, ['--ratio', String(ratio), '--json'])).out);
  const keptText = [...keptLines(hdOut).values()].join('\n');
  const blocksHit = [...hdfsBlocks].filter((b) => new RegExp(`${b}(?!\\d)`).test(keptText)).length;
  results.quality[`${ratio * 100}%`] = {
    bglCategoryRecall: +(got.size / cats.size).toFixed(3), bglLineRecall: +(hit / anomalous).toFixed(3), bglMissing: [...cats].filter((c) => !got.has(c)),
    bglJsonKeptLines: doc.kept, bglTextKeptLines: kept.size, hdfsBlockRecall: +(blocksHit / hdfsBlocks.size).toFixed(3), hdfsJsonKeptLines: hd.kept,
  };
}

// ---- budget compliance (every file, both formats, ratios and absolute budgets incl. tiny ones) ----
let runs = 0;
let ok = 0;
let refused = 0;
const failures = [];
const check = async (label, argv, budgetOf) => {
  runs++;
  const r = await opsctl(argv, '/');
  if (r.code === 2 && r.out === '' && /below the/.test(r.err)) { ok++; refused++; return; }
  const budget = budgetOf(r.out);
  const est = estimateTokens(r.out);
  if (r.code === 0 && est <= budget && Math.ceil(r.out.length / 4) <= budget) ok++;
  else failures.push({ label, code: r.code, est, budget, err: r.err.slice(0, 200) });
};
for (const [name, f] of Object.entries(files)) {
  for (const json of [false, true]) {
    const fmt = json ? ['--json'] : [];
    for (const b of [1, 10, 25, 40, 60, 100, 150, 250, 500, 1000, 3000, 10000, 1e6]) {
      await check(`${name} budget ${b}${json ? ' json' : ''}`, ['logs', 'reduce', f.path, '--budget', String(b), ...fmt], () => b);
    }
    for (const r of [0.001, 0.01, 0.05, 0.1, 0.3, 1]) {
      await check(`${name} ratio ${r}${json ? ' json' : ''}`, ['logs', 'reduce', f.path, '--ratio', String(r), ...fmt], (out) => (json ? JSON.parse(out).budget : Number(/\/(\d+) tokens/.exec(out)?.[1])));
    }
  }
}
const all = Object.values(files).map((f) => f.path);
for (const b of [200, 2000, 8000, 50000]) await check(`all six files, budget ${b}`, ['logs', 'reduce', ...all, '--budget', String(b)], () => b);
results.budget = { runs, compliant: ok, refusedBelowMinimum: refused, rate: +(ok / runs).toFixed(4), failures: failures.slice(0, 10) };

// ---- speed and memory on a generated 1,000,000-line log ----
if (speed) {
  const pool = Object.values(files).flatMap((f) => readFileSync(f.path, 'utf8').split('\n').filter(Boolean));
  const big = join(tmp, 'big.log');
  const out = createWriteStream(big);
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < bigLines; ) {
    const start = Math.floor(rnd() * pool.length);
    let chunk = '';
    for (let k = 0; k < 50 && i < bigLines; k++, i++) {
      // Perturb digits so values vary while templates repeat, as in a real log.
      const line = pool[(start + k) % pool.length];
      chunk += (rnd() < 0.5 ? line.replace(/\d/g, (d) => String((Number(d) + i) % 10)) : line) + '\n';
    }
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  const load = loadavg()[0];
  const run = spawnSync('/usr/bin/time', ['-v', process.execPath, join(repo, 'bin/opsctl.js'), 'logs', 'reduce', big, '--ratio', '0.05'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(run.stderr);
  const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1]);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1]);
  const bytes = statSync(big).size; // readFileSync refuses files over 2 GiB
  results.speed = { lines: bigLines, megabytes: +(bytes / 2 ** 20).toFixed(1), exitCode: run.status, seconds: +secs.toFixed(2), linesPerSecond: Math.round(bigLines / secs), cpuSeconds: +cpu.toFixed(2), linesPerCpuSecond: Math.round(bigLines / cpu), loadAverageBefore: +load.toFixed(1), peakRssMB: Math.round(rssKb / 1024) };
}
rmSync(tmp, { recursive: true, force: true });

mkdirSync(join(repo, 'bench/results'), { recursive: true });
writeFileSync(join(repo, 'bench/results/logs.json'), JSON.stringify(results, null, 2) + '\n');
const q5 = results.quality['5%'];
const q10 = results.quality['10%'];
const s = results.speed;
console.log(`### logs reduce (default scorer)\n\nMachine: ${results.machine.cpus} cores (${results.machine.model}), ${results.machine.memGB} GB, Node ${results.machine.node}. Command: \`npm run build && node bench/logs-reduce.mjs\`.\n`);
console.log('| metric | result | target |\n|---|---|---|');
console.log(`| BGL_2k category recall @5% / @10% | ${q5.bglCategoryRecall} / ${q10.bglCategoryRecall} | ≥ 0.92 / 1.0 (best baseline 0.58 / 0.75) |`);
console.log(`| BGL_2k line recall @5% / @10% | ${q5.bglLineRecall} / ${q10.bglLineRecall} | (best baseline 0.168 / 0.210) |`);
console.log(`| HDFS_2k anomalous-block recall @5% / @10% | ${q5.hdfsBlockRecall} / ${q10.hdfsBlockRecall} | ≥ 0.40 @5% (best baseline 0.157 / 0.229) |`);
console.log(`| budget respected | ${results.budget.compliant}/${results.budget.runs} runs (${results.budget.refusedBelowMinimum} refused: budget below the header minimum, exit 2) | 100% |`);
if (s) {
  console.log(`| throughput, ${s.lines.toLocaleString('en')}-line log (${s.megabytes} MB), --ratio 0.05, wall clock | ${s.linesPerSecond.toLocaleString('en')} lines/s (${s.seconds} s, load average ${s.loadAverageBefore} on ${results.machine.cpus} cores) | ≥ 100,000 |`);
  console.log(`| throughput per CPU second (user + sys) | ${s.linesPerCpuSecond.toLocaleString('en')} lines/s (${s.cpuSeconds} s CPU) | |`);
  console.log(`| peak RSS | ${s.peakRssMB} MB | ≤ 300 MB |`);
}
console.log('\nQuality is measured on the plain-text output (files passed by base name); --json spends more of the budget on markup.');
console.log('\nBudgets use opsctl\'s token estimate max(ceil(chars/4), runs) on both input and output (never below the chars/4 of the baselines).');
if (failures.length) console.log('\nBudget failures:', JSON.stringify(failures.slice(0, 5), null, 1));
