#!/usr/bin/env node
// Incident memory speed (run `npm run build` first): `opsctl incident ingest` throughput and `report` latency with
// 100,000 incidents already stored, on SQLite and (when the server binaries are here) PostgreSQL.
// Usage: node bench/incidents.mjs [--incidents 100000] [--reports 10000] [--samples 1000] [--no-postgres]
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { reportIncident } = await import(join(repo, 'dist/core/incidents/report.js'));
const { SqliteIncidentStore } = await import(join(repo, 'dist/providers/store/sqlite.js'));
const { PostgresIncidentStore } = await import(join(repo, 'dist/providers/store/postgres.js'));
const args = process.argv.slice(2);
const num = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const INCIDENTS = num('--incidents', 100_000);
const REPORTS = num('--reports', 10_000);
const SAMPLES = num('--samples', 1_000);
const SERVICES = 200;
const tmp = mkdtempSync(join(tmpdir(), 'opsctl-bench-incidents-'));
const loadAtStart = loadavg()[0];

// Seeded words: 60 common failure words every service shares, and 20,000 rarer ones (names, components).
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const COMMON = 'error failed timeout connection refused denied exception unavailable invalid missing lost reset closed killed memory disk full throttled expired rejected conflict corrupt unreachable overloaded retry queue worker request response upstream downstream database cache session token certificate handshake socket pool thread heap space limit quota permission lock deadlock schedule deploy build test compile publish fetch write read parse decode encode sync replicate'.split(' ');
const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'xi', 'zu', 'bra', 'dre', 'gli', 'pro', 'stu', 'qua'];
const RARE = Array.from({ length: 20_000 }, (_, i) => `${syll[i % 16]}${syll[(i >> 4) % 16]}${syll[(i >> 8) % 16]}${syll[(i >> 12) % 16]}`);
/** A failure: service and the words that make it one; a report of it adds numbers, ids and a timestamp. */
const failures = Array.from({ length: INCIDENTS }, (_, i) => ({ service: `svc-${i % SERVICES}`, words: [pick(COMMON), pick(COMMON), pick(RARE), pick(RARE), pick(RARE), pick(RARE)] }));
const text = (f) => `${new Date(Date.UTC(2026, 10, 1) + Math.floor(rand() * 1e9)).toISOString()} ERROR ${f.words.join(' ')} id=${Math.floor(rand() * 1e9).toString(16)} after ${Math.floor(rand() * 1000)} ms`;
const line = (f) => JSON.stringify({ service: f.service, text: text(f) });

const seedFile = join(tmp, 'seed.jsonl');
writeFileSync(seedFile, `${failures.map(line).join('\n')}\n`);
// The measured batch: 80% repeats of stored failures (new numbers and ids), 20% new failures.
const fresh = Array.from({ length: REPORTS }, (_, i) => ({ service: `svc-${i % SERVICES}`, words: [pick(COMMON), pick(COMMON), pick(RARE), pick(RARE), pick(RARE), pick(RARE)] }));
const batch = Array.from({ length: REPORTS }, (_, i) => (i % 5 === 4 ? fresh[i] : pick(failures)));
const batchFile = join(tmp, 'batch.jsonl');
writeFileSync(batchFile, `${batch.map(line).join('\n')}\n`);

function ingest(file, env) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(repo, 'bin/opsctl.js'), 'incident', 'ingest', file, '--json'], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`ingest failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  return { seconds: Number(seconds.toFixed(2)), reports: out.reports, new: out.new, existing: out.existing, perSecond: Math.round(out.reports / seconds) };
}

async function latency(store) {
  const ms = [];
  for (let i = 0; i < SAMPLES; i++) {
    const f = i % 5 === 4 ? { service: `svc-${i % SERVICES}`, words: [pick(COMMON), pick(RARE), pick(RARE), pick(RARE), pick(RARE), pick(COMMON)] } : pick(failures);
    const t = performance.now();
    await reportIncident(store, { service: f.service, text: text(f), source: 'bench', who: 'bench', at: new Date() });
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const q = (p) => Number(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2));
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), samples: SAMPLES };
}

function cliReport(env) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(repo, 'bin/opsctl.js'), 'incident', 'report', '--service', failures[i].service, '--log', text(failures[i]), '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return Number(runs[2].toFixed(0));
}

async function measure(name, env, open) {
  console.error(`bench incidents (${name}): seeding ${INCIDENTS} incidents through ingest…`);
  const seeded = ingest(seedFile, env);
  console.error(`  seeded in ${seeded.seconds} s (${seeded.perSecond}/s, store growing from 0)`);
  const measured = ingest(batchFile, env);
  console.error(`  ingest of ${REPORTS} with ${INCIDENTS} stored: ${measured.perSecond}/s`);
  const store = await open();
  const lat = await latency(store);
  await store.close();
  console.error(`  report latency in-process: p50 ${lat.p50} ms, p95 ${lat.p95} ms`);
  const cliMs = cliReport(env);
  return { seeded, ingest: measured, reportLatencyMs: lat, cliReportMedianMs: cliMs };
}

async function freePort() {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
}

async function postgres() {
  const root = '/usr/lib/postgresql';
  const v = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((d) => existsSync(join(root, d, 'bin/initdb'))) : undefined;
  if (!v) return undefined;
  const bin = join(root, v, 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-bench-pg-'));
  const asRoot = userInfo().uid === 0;
  const id = (f) => Number(spawnSync('id', [f, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  writeFileSync(join(dir, 'pw'), 'bench\n');
  if (asRoot) { chownSync(dir, id('-u'), id('-g')); chownSync(join(dir, 'pw'), id('-u'), id('-g')); }
  const run = (cmd, a) => { const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...a], { encoding: 'utf8' }) : spawnSync(cmd, a, { encoding: 'utf8' }); if (r.status !== 0) throw new Error(r.stderr); };
  run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'opsctl', `--pwfile=${join(dir, 'pw')}`, '--auth=scram-sha-256', '--no-sync']);
  const port = await freePort();
  // Durable defaults (fsync on), as a team server would run; only the socket directory is private.
  run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return { url: `postgres://opsctl:bench@127.0.0.1:${port}/postgres`, version: v, stop: () => { run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']); rmSync(dir, { recursive: true, force: true }); } };
}

const result = { incidents: INCIDENTS, services: SERVICES, reports: REPORTS, targets: { ingestPerSecond: 1000, reportP95Ms: 20 } };
try {
  const db = join(tmp, 'state', 'opsctl', 'incidents.db');
  result.sqlite = await measure('sqlite', { XDG_STATE_HOME: join(tmp, 'state'), OPSCTL_INCIDENTS_URL: '' }, async () => SqliteIncidentStore.open(db));
  if (!args.includes('--no-postgres')) {
    const pg = await postgres();
    if (!pg) result.postgres = { skipped: 'PostgreSQL server binaries not found' };
    else {
      try {
        result.postgres = { version: pg.version, ...(await measure('postgres', { OPSCTL_INCIDENTS_URL: pg.url }, () => PostgresIncidentStore.open(pg.url))) };
      } finally {
        pg.stop();
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
result.machine = { cores: cpus().length, cpu: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), loadAtStart, loadAtEnd: loadavg()[0] };
writeFileSync(join(repo, 'bench/results/incidents.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
