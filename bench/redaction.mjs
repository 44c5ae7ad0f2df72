#!/usr/bin/env node
// Redaction quality per kind on test/fixtures/secrets (recall, bare-token recall, false positives on ops lines)
// and its cost. Run after `npm run build`: node bench/redaction.mjs
import { readFileSync } from 'node:fs';
import { redactText } from '../dist/core/safety/redact.js';

const samples = readFileSync('test/fixtures/secrets/secrets.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const ops = readFileSync('test/fixtures/secrets/ops-lines.txt', 'utf8').trim().split('\n');
const byKind = new Map();
let caught = 0, bare = 0, bareCaught = 0;
for (const s of samples) {
  const ok = !(await redactText(s.text)).text.includes(s.leak);
  const k = byKind.get(s.kind) ?? [0, 0];
  byKind.set(s.kind, [k[0] + (ok ? 1 : 0), k[1] + 1]);
  caught += ok ? 1 : 0;
  if (s.bare) { bare++; bareCaught += ok ? 1 : 0; }
}
let fp = 0;
for (const l of ops) if (Object.keys((await redactText(l)).counts).some((k) => !['email', 'ipv4', 'ipv6'].includes(k))) fp++;
const big = ops.join('\n').repeat(4); // ~100 KB: a large diagnose prompt
const t0 = performance.now();
for (let i = 0; i < 5; i++) await redactText(big);
const ms = (performance.now() - t0) / 5;
console.log(`| samples | kinds | recall | bare-token recall | false positives | ms per call (size) |`);
console.log(`|---|---|---|---|---|---|`);
console.log(`| ${samples.length} | ${byKind.size} | ${(caught / samples.length).toFixed(3)} | ${(bareCaught / bare).toFixed(3)} (${bare}) | ${(fp / ops.length).toFixed(3)} (${fp}/${ops.length}) | ${ms.toFixed(0)} (${(big.length / 1024).toFixed(0)} KB) |`);
console.log('\n| kind | caught |\n|---|---|');
for (const [k, [a, n]] of byKind) console.log(`| ${k} | ${a}/${n} |`);
