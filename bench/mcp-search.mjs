#!/usr/bin/env node
// MCP `search_runbooks` latency on an open server (issue 16): one `opsctl mcp` process over stdio, driven by the
// SDK's client; every question of eval/*.yaml asked ROUNDS times after one warm-up call that builds the index.
// Usage: npm run build && node bench/mcp-search.mjs [--rounds 5]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'yaml';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 5);
const questions = readdirSync(join(repo, 'eval'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parse(readFileSync(join(repo, 'eval', f), 'utf8')).cases.map((c) => c.question));

const indexDir = mkdtempSync(join(tmpdir(), 'opsctl-mcp-bench-'));
const load = [loadavg()[0]];
const client = new Client({ name: 'bench', version: '1' });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(repo, 'bin/opsctl.js'), 'mcp', '--runbooks', join(repo, 'runbooks'), '--index-dir', indexDir], cwd: repo, stderr: 'ignore' }));
const call = (question) => client.callTool({ name: 'search_runbooks', arguments: { question } });
await call('warm-up: build the index');
const ms = [];
let answered = 0;
for (let r = 0; r < rounds; r++) {
  for (const q of questions) {
    const t = performance.now();
    const res = await call(q);
    ms.push(performance.now() - t);
    if (r === 0 && res.structuredContent?.result?.answered) answered++;
  }
}
await client.close();
rmSync(indexDir, { recursive: true, force: true });
load.push(loadavg()[0]);
ms.sort((a, b) => a - b);
const pct = (p) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
console.log(JSON.stringify({ questions: questions.length, rounds, calls: ms.length, answered, p50Ms: +pct(50).toFixed(1), p95Ms: +pct(95).toFixed(1), maxMs: +ms.at(-1).toFixed(1), loadAvg1m: load.map((l) => +l.toFixed(2)), node: process.version }));
