#!/usr/bin/env node
// Cold `ask` A/B between two built checkouts (issue 16): 21 alternating runs each, plus a bare `node -e ""` start.
// Usage: node bench/cold-ask-ab.mjs /path/to/old-checkout /path/to/new-checkout (both built; runbooks from the new one)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
const [oldRepo, newRepo] = process.argv.slice(2);
const runs = 21;
const t = { old: [], new: [], bare: [] };
const q = 'ALB is returning lots of 502s since the deploy';
for (const [k, repo] of [['old', oldRepo], ['new', newRepo]]) execFileSync(process.execPath, [`${repo}/bin/opsctl.js`, 'index', `${newRepo}/runbooks`, '--index-dir', `/tmp/opsctl-cold-${k}`], { stdio: 'ignore', env: { ...process.env, HOME: '/tmp' } });
for (let i = 0; i < runs; i++) {
  for (const [k, repo] of [['old', oldRepo], ['new', newRepo]]) {
    const s = performance.now();
    execFileSync(process.execPath, [`${repo}/bin/opsctl.js`, 'ask', q, '--runbooks', `${newRepo}/runbooks`, '--index-dir', `/tmp/opsctl-cold-${k}`], { stdio: 'ignore', env: { ...process.env, HOME: '/tmp' } });
    t[k].push(performance.now() - s);
  }
  const s = performance.now();
  execFileSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  t.bare.push(performance.now() - s);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(0);
console.log(JSON.stringify({ runs, oldMs: med(t.old), newMs: med(t.new), bareNodeMs: med(t.bare) }));
