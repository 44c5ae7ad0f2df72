import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, describe, expect, it } from 'vitest';
import { numbersOf } from '../../../src/core/logs/numbers.js';
import { reduceLogs } from '../../../src/core/logs/reduce.js';
import { estimateTokens } from '../../../src/core/logs/tokens.js';
import { logsTextFormat } from '../../../src/output/logs-text.js';

const tmp = mkdtempSync(join(tmpdir(), 'opsctl-signals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function write(name: string, lines: string[]): { name: string; path: string } {
  const path = join(tmp, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { name, path };
}
/** A deterministic pseudo-random stream (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function service(n: number, seed: number): string[] {
  const r = rng(seed);
  const ops = ['GET /api/orders', 'GET /api/users', 'POST /api/cart', 'GET /health'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ts = `2024-03-0${1 + (i % 3)} 12:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}`;
    const k = Math.floor(r() * 10);
    if (k < 6) out.push(`${ts} INFO http-${k} ${ops[k % 4]} completed status=200 took ${8 + Math.floor(r() * 34)} ms`);
    else if (k < 8) out.push(`${ts} INFO pool-${k} cache refresh done entries=${1000 + Math.floor(r() * 50)}`);
    else if (k < 9) out.push(`${ts} DEBUG scheduler tick ${i}`);
    else out.push(`${ts} WARN retrying upstream call attempt=1 host=10.0.${k}.${i % 200}`);
  }
  return out;
}
const keptText = (text: string) => text.split('\n').filter((l) => !l.startsWith('#') && !l.startsWith('@@'));

describe('numbersOf', () => {
  it.each([
    ['took 56648 ms', [56648]],
    ['latency=41ms size 2.5KB', [2.5, 41]],
    ['blk_123 dn228 10.0.0.1 3fa9c1d2 v2', []],
    ['12:01:47,978', [978, 47, 1, 12]],
  ])('%s -> %j', (line, want) => {
    const out = new Float64Array(10);
    const b = Buffer.from(line);
    const k = numbersOf(b, 0, b.length, out);
    expect([...out.subarray(0, k)]).toEqual(want);
  });
});

describe('per-template numeric outliers', () => {
  it('keeps a line whose only anomaly is a latency far above its template\'s range', async () => {
    const lines = service(6000, 7);
    lines[4321] = lines[4321].replace(/took \d+ ms/, 'took 56648 ms');
    expect(lines[4321]).toContain('took 56648 ms');
    const { text, doc } = await reduceLogs([write('lat.log', lines)], { budget: 600, format: logsTextFormat });
    expect(text).toContain('took 56648 ms');
    expect(doc.blocks.find((b) => b.lines.some((l) => l.text.includes('56648')))?.reason).toMatch(/outlier/);
  });
});

describe('--baseline', () => {
  it('treats templates of the passing run as background and keeps what is new', async () => {
    const good = service(3000, 1);
    for (let i = 100; i < 3000; i += 500) good[i] = `2024-03-01 12:00:00.000 ERROR metrics exporter failed to flush batch ${i}: timeout`;
    const bad = service(3000, 2);
    for (let i = 50; i < 3000; i += 300) bad[i] = `2024-03-01 12:00:00.000 ERROR metrics exporter failed to flush batch ${i}: timeout`;
    bad[2222] = '2024-03-01 12:37:02.000 INFO orders migration v42 applied, schema cache invalidated';
    const failed = write('bad.log', bad);
    const baseline = write('good.log', good);
    const without = await reduceLogs([failed], { budget: 300, format: logsTextFormat });
    const withBase = await reduceLogs([failed], { budget: 300, format: logsTextFormat, baseline });
    expect(keptText(without.text).some((l) => l.includes('ERROR metrics exporter'))).toBe(true);
    expect(withBase.text).toContain('orders migration v42 applied');
    const line = withBase.doc.blocks.find((b) => b.lines.some((l) => l.text.includes('migration v42')));
    expect(line?.reason).toMatch(/new/);
    expect(keptText(withBase.text).filter((l) => l.includes('ERROR metrics exporter')).length).toBeLessThan(keptText(without.text).filter((l) => l.includes('ERROR metrics exporter')).length + 1);
  });
});

describe('multi-source budget', () => {
  it('gives a big log holding the only evidence its room, and names each path once', async () => {
    const big = service(8000, 3);
    big[6100] = '2024-03-02 12:41:40.100 ERROR payment-worker: lost connection to ledger db, giving up after 5 retries';
    const inputs = [write('/app/main-application.log'.split('/').pop() as string, big)];
    for (let i = 0; i < 17; i++) {
      inputs.push(write(`very/long/path/to/container-${i}.log`.replace(/\//g, '_'), service(40, 100 + i)));
    }
    const budget = 2500;
    const { text } = await reduceLogs(inputs, { budget, format: logsTextFormat });
    expect(estimateTokens(text)).toBeLessThanOrEqual(budget);
    expect(text).toContain('lost connection to ledger db');
    // Block headers use short ids; each path appears once, in the header.
    expect(text).toMatch(/^@@ 1:\d+/m);
    for (const input of inputs) expect(text.split(input.name).length - 1).toBeLessThanOrEqual(1);
  });
});

describe('--tokenizer', () => {
  it('counts the kept output with o200k and never exceeds the budget by that count', async () => {
    // Digit- and symbol-light prose is where the estimate under-counts least; non-ASCII where it under-counts most.
    const lines = Array.from({ length: 3000 }, (_, i) => `INFO 処理が完了しました ユーザー${i % 97} セッション ok ${'é'.repeat(i % 7)}`);
    lines[1500] = 'ERROR データベース接続に失敗しました';
    const log = write('jp.log', lines);
    for (const budget of [300, 1200]) {
      const { text, doc } = await reduceLogs([log], { budget, format: logsTextFormat, tokenizer: 'o200k' });
      expect(countTokens(text)).toBeLessThanOrEqual(budget);
      expect(doc.tokenizer).toBe('o200k');
      expect(text).toMatch(/tokens \(o200k\)/);
    }
  });

  it('refuses an unknown tokenizer', async () => {
    await expect(reduceLogs([write('x.log', ['a'])], { budget: 300, format: logsTextFormat, tokenizer: 'p50k' })).rejects.toThrow(/--tokenizer must be one of/);
  });
});

describe('order anomalies within a session', () => {
  it('keeps a session whose steps come in the wrong order, even when the steps share one template', async () => {
    const r = rng(5);
    const lines: string[] = [];
    const steps = ['NEW to UNASSIGNED', 'UNASSIGNED to ASSIGNED', 'ASSIGNED to RUNNING', 'RUNNING to SUCCEEDED'];
    for (let k = 0; k < 400; k++) {
      const id = `attempt_1445144423722_0020_m_${String(k).padStart(6, '0')}_0`;
      const order = k === 250 ? [0, 2, 1, 3] : [0, 1, 2, 3];
      for (const s of order) {
        lines.push(`2015-10-18 18:01:${String(k % 60).padStart(2, '0')},${100 + s} INFO [AsyncDispatcher event handler] TaskAttemptImpl: ${id} TaskAttempt Transitioned from ${steps[s]}`);
        if (r() < 0.5) lines.push(`2015-10-18 18:01:00,000 INFO [IPC Server handler ${Math.floor(r() * 30)} on 62270] Progress of TaskAttempt is : 0.${Math.floor(r() * 99)}`);
      }
    }
    const { text, doc } = await reduceLogs([write('order.log', lines)], { budget: 500, format: logsTextFormat });
    expect(text).toContain('attempt_1445144423722_0020_m_000250_0');
    expect(doc.blocks.some((b) => b.reason.includes('session') && b.lines.some((l) => l.text.includes('_000250_0')))).toBe(true);
  });
});

describe('chunked token counting', () => {
  it('equals the count of the whole text for o200k and cl100k on log output', async () => {
    const { chunked } = await import('../../../src/core/logs/tokenizer.js');
    const cl = await import('gpt-tokenizer/encoding/cl100k_base');
    const text = service(3000, 9).map((l, i) => (i % 50 === 0 ? `@@ 1:${i} 0.91 error, rare\n${l} [×3, first L1, last L9]\n\n  at x.y(Z.java:12)` : l)).join('\n');
    for (const count of [(t: string) => countTokens(t), (t: string) => cl.countTokens(t)]) {
      expect(chunked(text, count, 4096)).toBe(count(text));
    }
  });
});
