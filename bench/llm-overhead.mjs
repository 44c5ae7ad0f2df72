#!/usr/bin/env node
// What `ask --llm` adds on top of the backend: prompt size for the eval questions (estimateTokens) and the time
// from command start to the first request reaching a loopback Ollama server (cold process, index already built).
// Usage: npm run build && node bench/llm-overhead.mjs [--runs N]
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { askRunbooks } from '../dist/core/runbooks/ask.js';
import { FakeLlm } from '../dist/providers/llm/fake.js';
import { hnswFactory } from '../dist/providers/vector/hnsw.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..');
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : '9');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const cases = readdirSync(join(ROOT, 'eval'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parse(readFileSync(join(ROOT, 'eval', f), 'utf8')).cases);
const answerable = cases.filter((c) => !c.must_refuse);

const cwd = mkdtempSync(join(tmpdir(), 'opsctl-bench-llm-'));
cpSync(join(ROOT, 'runbooks'), join(cwd, 'runbooks'), { recursive: true });
const base = {
  root: join(cwd, 'runbooks'), indexDir: join(cwd, '.opsctl'), embedder: { kind: 'lsa' }, vectors: hnswFactory,
  lock: { pid: process.pid, isAlive: () => false }, now: () => new Date(), topK: 5, minScore: 0.3,
};

// 1. Prompt size: the exact prompt each eval question would send (the fake model only records it).
const prompts = [];
for (const c of answerable) {
  const llm = new FakeLlm('ok [1].');
  for await (const ev of askRunbooks({ ...base, question: c.question, answer: { llm, displayRoot: 'runbooks' } })) {
    if (ev.type === 'prompt') prompts.push({ id: c.id, tokens: ev.tokens, sections: ev.sources.length });
  }
}

// 2. Overhead: a loopback server that notes when each chat request arrives, and a fresh `opsctl ask` per run.
let arrived;
const server = createServer((req, res) => {
  if (req.url === '/api/chat') arrived?.(performance.now());
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const base = { model: 'llama3.1', created_at: new Date().toISOString() };
    res.write(`${JSON.stringify({ ...base, message: { role: 'assistant', content: 'Check the target group [1].' }, done: false })}\n`);
    res.end(`${JSON.stringify({ ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' })}\n`);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const host = `http://127.0.0.1:${server.address().port}`;

function once(question) {
  return new Promise((resolveRun, reject) => {
    const times = {};
    arrived = (t) => (times.request ??= t - start);
    const start = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/opsctl.js'), 'ask', question, '--llm', 'ollama'], { cwd, env: { ...process.env, OLLAMA_HOST: host, CI: '1' } });
    child.stdout.once('data', () => (times.firstOutput = performance.now() - start));
    child.on('error', reject);
    child.on('close', (code) => {
      times.total = performance.now() - start;
      if (code !== 0 || times.request === undefined) reject(new Error(`run failed (exit ${code}) for: ${question}`));
      else resolveRun(times);
    });
  });
}

/** The floor any Node CLI pays on this machine: a bare `node` process that POSTs to the same server. */
function baseline() {
  return new Promise((resolveRun, reject) => {
    let t;
    arrived = (at) => (t ??= at - start);
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', `fetch(${JSON.stringify(`${host}/api/chat`)}, { method: 'POST', body: '{}' }).then((r) => r.text())`]);
    child.on('error', reject);
    child.on('close', () => (t === undefined ? reject(new Error('baseline request never arrived')) : resolveRun(t)));
  });
}

const questions = answerable.slice(0, 3).map((c) => c.question);
await once(questions[0]); // warm the OS file cache once; every measured run is still a fresh process
const samples = [];
for (let i = 0; i < runs; i++) samples.push(await once(questions[i % questions.length]));
const floor = [];
for (let i = 0; i < runs; i++) floor.push(await baseline());
server.close();
rmSync(cwd, { recursive: true, force: true });

const tokens = prompts.map((p) => p.tokens);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  /** 1-minute load average while measuring: the machine is shared, so absolute times vary with it. */
  loadAverage: Math.round(loadavg()[0] * 100) / 100,
  cpus: cpus().length,
  prompt: { questions: prompts.length, sectionsMedian: median(prompts.map((p) => p.sections)), tokensMin: Math.min(...tokens), tokensMedian: median(tokens), tokensP90: pct(tokens, 0.9), tokensMax: Math.max(...tokens), estimator: 'estimateTokens: ceil(chars / 3.5)' },
  overhead: {
    runs,
    startToRequestMsMedian: Math.round(median(samples.map((s) => s.request))),
    startToRequestMsMax: Math.round(Math.max(...samples.map((s) => s.request))),
    startToFirstOutputMsMedian: Math.round(median(samples.map((s) => s.firstOutput))),
    totalMsMedian: Math.round(median(samples.map((s) => s.total))),
    /** Same measure for a bare node process doing only the fetch: what the machine itself costs. */
    bareNodeToRequestMsMedian: Math.round(median(floor)),
    /** What opsctl adds over that floor: config, index check, retrieval, prompt, provider imports. */
    opsctlAddsMsMedian: Math.round(median(samples.map((s) => s.request)) - median(floor)),
    targetMs: 150,
  },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'llm-overhead.json'), `${JSON.stringify(result, null, 2)}\n`);

const o = result.overhead;
const p = result.prompt;
console.log(`Machine: ${result.cpus} CPUs, load average ${result.loadAverage} while measuring.\n`);
console.log(`| measure | value |
|---|---|
| eval questions answered with a prompt | ${p.questions} of ${answerable.length} |
| sections per prompt (median) | ${p.sectionsMedian} |
| prompt tokens, min / median / p90 / max (estimateTokens) | ${p.tokensMin} / ${p.tokensMedian} / ${p.tokensP90} / ${p.tokensMax} |
| command start → first request at the loopback Ollama (median of ${o.runs} cold runs) | ${o.startToRequestMsMedian} ms (max ${o.startToRequestMsMax} ms; target ≤ ${o.targetMs} ms) |
| bare \`node\` process → same request (the machine's floor, median) | ${o.bareNodeToRequestMsMedian} ms |
| what opsctl adds over that floor (median) | ${o.opsctlAddsMsMedian} ms |
| command start → first answer byte on stdout (median) | ${o.startToFirstOutputMsMedian} ms |
| whole command (median) | ${o.totalMsMedian} ms |`);
