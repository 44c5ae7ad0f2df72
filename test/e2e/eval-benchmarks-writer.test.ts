import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/cli.js';

// Smoke test of the BENCHMARKS.md writer on fixture result files; the benchmarks themselves never run in npm test.
const RESULTS = resolve('test/fixtures/eval-corpus/bench-results');
const NOTES = '<!-- Notes below this line are kept when bench/run-all.mjs rewrites the file. -->';
const tmp = tempDirs('opsctl-bench-writer-');
afterAll(() => tmp.cleanup());

let md = '';
beforeAll(async () => {
  const out = join(await tmp.make(), 'BENCHMARKS.md');
  writeFileSync(out, `# Old generated text that must go\n\n${NOTES}\n\nHand-written: LSA beats BM25 because…\n`);
  execFileSync(process.execPath, ['bench/write-benchmarks.mjs', '--results', RESULTS, '--out', out], { stdio: 'pipe' });
  md = readFileSync(out, 'utf8');
});

const row = (metric: string) => md.split('\n').find((l) => l.startsWith(`| ${metric} |`));

describe('bench/write-benchmarks.mjs', () => {
  it('states the machine and the exact command of each benchmark', () => {
    expect(md).toContain('Machine: 2 cores (Test CPU 9000), 24 GB memory, Node v20.0.0. Run 2025-01-02T03:04:05.000Z.');
    expect(md).toContain('Command: `node bench/retrieval.mjs`; last run took 61.2 s.');
    expect(md).toContain('Command: `node bin/opsctl.js eval --min-recall-at-5 0.95`, run 5 times (exited 12)');
  });

  it('compares measured values with the targets', () => {
    expect(row('Recall@1')).toBe('| Recall@1 | 0.801 | ≥ 0.8 | pass |');
    expect(row('Recall@5')).toBe('| Recall@5 | 0.968 | ≥ 0.97 | FAIL |');
    expect(row('full index of 380 files (ms, median)')).toBe('| full index of 380 files (ms, median) | 16,193 | ≤ 5,000 | FAIL |');
    expect(row('`opsctl ask` cold, index built (ms, median)')).toBe('| `opsctl ask` cold, index built (ms, median) | 250 | ≤ 300 | pass |');
  });

  it('takes eval targets from the gates the run used, and latency from the median across runs', () => {
    expect(row('file Recall@5')).toBe('| file Recall@5 | 0.900 | ≥ 0.95 | FAIL |');
    expect(row('refusal recall')).toBe('| refusal recall | 1 | ≥ 0.8 | pass |');
    expect(row('latency p95 (ms)')).toBe('| latency p95 (ms) | 5.5 | ≤ 250 | pass |');
    expect(row('section Recall@1')).toBe('| section Recall@1 | 0.870 |  |  |');
  });

  it('says when a benchmark wrote no result, and renders unknown result files generically', () => {
    expect(md).toMatch(/## logs reduce[^\n]*\n\nCommand: `node bench\/logs-reduce.mjs` \(exited 1\)[^\n]*\n\nNo result file was written\./);
    expect(md).toContain('## ask-latency');
    expect(row('warm.p50')).toBe('| warm.p50 | 3 |  |  |');
    expect(md).not.toContain('machine.cpus');
  });

  it('rewrites the generated part and keeps hand-written notes', () => {
    expect(md).not.toContain('Old generated text');
    expect(md.trimEnd().endsWith(`${NOTES}\n\nHand-written: LSA beats BM25 because…`)).toBe(true);
  });
});
