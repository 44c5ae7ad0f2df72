import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineText, MAX_LINE_BYTES, readLineBatches } from '../../../src/core/logs/reader.js';

const dir = mkdtempSync(join(tmpdir(), 'opsctl-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(content: Buffer | string, limit?: number): Promise<{ lines: string[]; dropped: number[]; bytes: number }> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(path, content);
  const lines: string[] = [];
  const dropped: number[] = [];
  const bytes = await readLineBatches(path, { name: 'f', limit }, (b) => {
    for (let i = 0; i < b.count; i++) {
      lines.push(lineText(b, i));
      dropped.push(b.dropped[i]);
    }
  });
  return { lines, dropped, bytes };
}

describe('readLineBatches', () => {
  it('splits lines, strips CR, keeps empty lines and a last line without a newline', async () => {
    const r = await readAll('a 1\r\n\nb 2\r\nlast');
    expect(r.lines).toEqual(['a 1', '', 'b 2', 'last']);
    expect(r.dropped).toEqual([0, 0, 0, 0]);
    expect(r.bytes).toBe(15);
  });

  it('joins lines that cross read boundaries and cuts lines beyond the cap, counting the dropped bytes', async () => {
    // Reads are 1 MiB: lines of 999 bytes + newline cross many boundaries; one long line spans three reads.
    const short = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(6, '0')} ${'x'.repeat(992)}`);
    const long = 'L'.repeat(3 << 20);
    const text = `${short.join('\n')}\n${long}\r\nafter long\n${'é'.repeat(3000)}`;
    const r = await readAll(text);
    expect(r.lines.length).toBe(3003);
    expect(r.lines.slice(0, 3000)).toEqual(short);
    expect(r.lines[3000]).toBe('L'.repeat(MAX_LINE_BYTES));
    expect(r.dropped[3000]).toBe(long.length + 1 - MAX_LINE_BYTES); // the CR is past the cap, so it counts as dropped
    expect(r.lines[3001]).toBe('after long');
    // 6000 bytes of two-byte characters: cut at 4096 bytes, on a character boundary here.
    expect(r.lines[3002]).toBe('é'.repeat(MAX_LINE_BYTES / 2));
    expect(r.dropped[3002]).toBe(6000 - MAX_LINE_BYTES);
    expect(r.dropped.slice(0, 3000).every((d) => d === 0)).toBe(true);
  });

  it('stops at the byte limit and decodes invalid UTF-8 as U+FFFD', async () => {
    const r = await readAll(Buffer.concat([Buffer.from('ok 1\nbad '), Buffer.from([0xff, 0xc3]), Buffer.from('\nnot read\n')]), 12);
    expect(r.lines).toEqual(['ok 1', 'bad \ufffd\ufffd']);
    expect(r.bytes).toBe(12);
  });
});
