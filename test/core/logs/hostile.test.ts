import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { KeyTable } from '../../../src/core/logs/key-table.js';
import { reduceLogs } from '../../../src/core/logs/reduce.js';
import { scanSource } from '../../../src/core/logs/scan.js';
import { estimateTokens } from '../../../src/core/logs/tokens.js';
import { logsTextFormat } from '../../../src/output/logs-text.js';

const tmp = mkdtempSync(join(tmpdir(), 'opsctl-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let seq = 0;
function write(text: string | Buffer): { name: string; path: string } {
  const path = join(tmp, `h${seq++}.log`);
  writeFileSync(path, text);
  return { name: 'h.log', path };
}

describe('hostile logs', () => {
  it('finds the empty key again (its hash is above 2^31 before int32 storage)', () => {
    const t = new KeyTable();
    const k = new Uint16Array(4);
    t.set(k, 0, KeyTable.hash(k, 0), 7);
    expect(t.get(k, 0, 0x811c9dc5)).toBe(7);
    expect(t.get(k, 0, KeyTable.hash(k, 0))).toBe(7);
  });

  it('mines runs of blank lines with bounded work: cache misses do not grow with the blank lines', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`INFO worker ${i % 7} handled request ${i} in ${i % 40} ms`, '', '');
    const s = await scanSource(write(`${lines.join('\n')}\n`));
    try {
      expect(s.lines).toBe(60_000);
      // Two distinct keys (the request line and the blank line): a blank line that misses the cache each
      // time made this 40,000 (and the scan quadratic).
      expect(s.miner.misses).toBeLessThanOrEqual(4);
    } finally {
      s.ids.dispose();
    }
  });

  it('treats stray NUL and control bytes as text and shows them with a marker', async () => {
    const text = Buffer.concat([Buffer.from('boot ok\nkernel: oops\n'), Buffer.alloc(3), Buffer.from('\x07after crash FATAL disk gone\nrestart\n')]);
    const out = await reduceLogs([write(text)], { budget: 400, format: logsTextFormat });
    expect(out.text).toContain('␀␀␀␇after crash FATAL disk gone');
    expect(out.text.includes('\x00') || out.text.includes('\x07')).toBe(false);
  });

  it('still refuses data that is mostly control bytes', async () => {
    const bin = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 32));
    await expect(reduceLogs([write(bin)], { budget: 400, format: logsTextFormat })).rejects.toThrow(/binary data/);
  });

  it('fuzz: any mix of blank runs, control bytes, long and repeated lines stays within budget with bounded mining work', async () => {
    const lineArb = fc.oneof(
      fc.constant(''),
      fc.constantFrom('INFO ok', 'ERROR failed to connect to db-1', 'WARN slow request took 52 ms', 'Killed'),
      fc.string({ maxLength: 60 }),
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a).toString('latin1')),
      fc.nat(5000).map((n) => 'x'.repeat(n)),
    );
    const logArb = fc.array(fc.tuple(lineArb, fc.nat(4)), { minLength: 1, maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(logArb, fc.integer({ min: 200, max: 3000 }), async (spec, budget) => {
        const lines: string[] = [];
        for (const [l, r] of spec) for (let k = 0; k <= r; k++) lines.push(l);
        const input = write(lines.join('\n'));
        try {
          const out = await reduceLogs([input], { budget, format: logsTextFormat });
          expect(estimateTokens(out.text)).toBeLessThanOrEqual(budget);
        } catch (e) {
          // Refusals are fine (mostly-binary input, a budget below the header); crashes are not.
          expect(e).toBeInstanceOf(OpsctlError);
          return;
        }
        const s = await scanSource(input);
        try {
          // Each cache miss is one distinct key at most: work is bounded by distinct lines, not by repeats.
          expect(s.miner.misses).toBeLessThanOrEqual(new Set(lines).size + 1);
        } finally {
          s.ids.dispose();
        }
      }),
      { numRuns: 60, interruptAfterTimeLimit: 60_000 },
    );
  }, 180_000);
});
