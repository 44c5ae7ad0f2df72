#!/usr/bin/env node
// Speed at ~800 files (issue 12 item 5): both dev collections indexed together, replicated into distinct copies
// until there are 800 files, through the built CLI, each step a new process; every time is set against a bare
// `node -e ''` start measured alternately in the same run.
// Usage: npm run build && node bench/index-800.mjs [--files N] [--runs N] [--keep DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const target = Number(arg('--files', '800'));
const runs = Number(arg('--runs', '11'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bin = join(here, '../bin/opsctl.js');
// The shared data sits beside the repository (../shared/data), or two levels up from a git worktree.
const data = arg('--data', [join(here, '../../shared/data'), join(here, '../../../shared/data')].find((d) => existsSync(d)));
const sources = ['runbooks', 'runbooks-sections'].map((d) => join(data, d));

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.md$/i.test(e.name)) out.push(full);
  }
  return out;
}

/**
 * Copy k > 0 of a file: every prose or heading line outside code fences gets a " cK" suffix, so each section's text
 * (and hash) differs from the original's. Identical sections are stored once, and plain copies would not grow the
 * index at all.
 */
function variant(text, k) {
  if (k === 0) return text;
  let fence = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fence = !fence;
      return !fence && /^[A-Za-z#]/.test(line) ? `${line} c${k}` : line;
    })
    .join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'opsctl-800-'));
const corpus = join(work, 'corpus');
// The collections' own README.md files describe the dataset and are not part of either corpus.
const files = sources.flatMap((root) => walk(root).filter((f) => relative(root, f) !== 'README.md').map((f) => ({ root, f })));
for (let i = 0; i < target; i++) {
  const { root, f } = files[i % files.length];
  const k = Math.floor(i / files.length);
  const out = join(corpus, `copy${k}`, root.split('/').pop(), relative(root, f));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, variant(readFileSync(f, 'utf8'), k));
}
const indexDir = join(work, 'index');

/**
 * Wall time of one CLI run, its CPU time (user + system: less sensitive than wall time to what else runs on a
 * shared machine) and its peak RSS, from GNU time.
 */
function timed(argv) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [rssKb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, stdout: r.stdout };
}
const bare = () => timed(['-e', '']).ms;

const load = loadavg()[0];
const full = [];
const floorFull = [];
for (let i = 0; i < 3; i++) {
  full.push(timed([bin, 'index', corpus, '--index-dir', indexDir, '--rebuild', '--json']));
  floorFull.push(bare());
}
const built = JSON.parse(full[0].stdout);
const reindex = [];
const reindexCpu = [];
const ask = [];
const floor = [];
for (let i = 0; i < runs; i++) {
  const re = timed([bin, 'index', corpus, '--index-dir', indexDir, '--json']);
  reindex.push(re.ms);
  reindexCpu.push(re.cpuMs);
  floor.push(bare());
  ask.push(timed([bin, 'ask', 'Alertmanager failed to send notifications to slack', '--runbooks', corpus, '--index-dir', indexDir, '--json']).ms);
  floor.push(bare());
}
const bareMs = median(floor);

// The checksum cost on a cold `ask`: in a new process each time (nothing warmed up), loading the checksum module
// (and node:zlib) and the CRC-32 of every part a cold ask reads (all but vectors.hnsw, which exact search only checks
// for structure), set against reading them.
const crcScript = `
import { readdirSync, readFileSync } from 'node:fs';
const gen = ${JSON.stringify(indexDir)} + '/' + readFileSync(${JSON.stringify(join(indexDir, 'CURRENT'))}, 'utf8').trim();
// Loading node:zlib (not in Node's start-up snapshot) is part of the cost; loading our own module is not (in the
// bundle it comes with the code that reads the index).
const t0 = performance.now();
await import('node:zlib');
const zlib = performance.now() - t0;
const { crc32 } = await import(${JSON.stringify(join(here, '../dist/core/runbooks/checksum.js'))});
let read = 0, crc = zlib, bytes = 0;
for (const f of readdirSync(gen)) {
  if (f === 'vectors.hnsw') continue;
  let t = performance.now();
  const b = readFileSync(gen + '/' + f);
  read += performance.now() - t;
  t = performance.now();
  crc32(b);
  crc += performance.now() - t;
  bytes += b.length;
}
console.log(JSON.stringify({ read, crc, bytes }));`;
const crcRuns = [];
for (let i = 0; i < runs; i++) crcRuns.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', crcScript], { encoding: 'utf8' })));
const result = {
  corpus: `${target} files: ${files.length} Markdown files of ../shared/data/runbooks + runbooks-sections, replicated into ${Math.ceil(target / files.length)} distinct copies`,
  files: built.files,
  sections: built.sections,
  indexBytes: dirBytes(indexDir),
  loadAtStart: Number(load.toFixed(2)),
  loadAtEnd: Number(loadavg()[0].toFixed(2)),
  bareNodeMs: Math.round(bareMs),
  fullIndexMs: Math.round(median(full.map((r) => r.ms))),
  fullIndexCpuMs: Math.round(median(full.map((r) => r.cpuMs))),
  fullIndexPeakRssMb: Math.round(Math.max(...full.map((r) => r.rssMb))),
  reindexUnchangedMs: Math.round(median(reindex)),
  reindexUnchangedCpuMs: Math.round(median(reindexCpu)),
  askColdMs: Math.round(median(ask)),
  askColdOverBare: Number((median(ask) / bareMs).toFixed(2)),
  askPeakRssMb: undefined,
  checksumMsColdAsk: Number(median(crcRuns.map((r) => r.crc)).toFixed(2)),
  checksummedBytes: crcRuns[0].bytes,
  readPartsMsColdAsk: Number(median(crcRuns.map((r) => r.read)).toFixed(2)),
};
result.askPeakRssMb = Math.round(timed([bin, 'ask', 'disk full', '--runbooks', corpus, '--index-dir', indexDir, '--json']).rssMb);
console.log(JSON.stringify(result, null, 2));
if (!args.includes('--no-save')) {
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results/index-800.json'), `${JSON.stringify(result, null, 2)}\n`);
}
if (args.includes('--keep')) execFileSync('cp', ['-r', work, arg('--keep')]);
rmSync(work, { recursive: true, force: true });

function dirBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath ?? e.path, e.name)).size;
  return total;
}
