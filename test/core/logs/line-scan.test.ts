import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/core/logs/key-table.js';
import { LineScanner } from '../../../src/core/logs/line-scan.js';
import { maskKey, sessionKeys } from '../../../src/core/logs/mask.js';
import { TemplateMiner } from '../../../src/core/logs/templates.js';
import { estimateTokens } from '../../../src/core/logs/tokens.js';

interface Row {
  line: string;
  key: string;
  ids: string[];
  tokens: number;
}
const table = (JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/logs/mask-table.json'), 'utf8')) as { rows: Row[] }).rows;

/** Scans an ASCII line as bytes, at an offset inside a larger buffer as the reader hands it over. */
function scanBytes(sc: LineScanner, line: string, ids?: string[]): boolean {
  const buf = Buffer.from(`xx 12 [${line}\r\nyy`, 'utf8');
  return sc.scan(buf, 7, 7 + Buffer.byteLength(line), true, ids);
}

describe('LineScanner reproduces the string masker it replaced', () => {
  it.each(table.map((r) => [r.line, r]))('%j', (_line, row) => {
    const ids: string[] = [];
    expect(maskKey(row.line, ids)).toBe(row.key);
    expect(ids).toEqual(row.ids);
    const sc = new LineScanner();
    sc.scanText(row.line);
    expect(sc.tokens).toBe(row.tokens);
    if ([...row.line].every((c) => c.charCodeAt(0) < 128)) {
      const byteIds: string[] = [];
      expect(scanBytes(sc, row.line, byteIds)).toBe(true);
      expect(sc.keyText()).toBe(row.key);
      expect(byteIds).toEqual(row.ids);
      expect(sc.tokens).toBe(row.tokens);
    }
  });

  it('gives the same key, ids and tokens from bytes as from text on generated lines, and tokens match estimateTokens', () => {
    const pieces = ['ERROR', 'blk_-6952295868', '10.0.0.1:80', 'req-7f3a9c01', 'id=ab12', 'traceId:', '4bf92f3577b34da6', '/var/x-1.log', 'C:\\a\\b2', '0xdeadbeef0123', 'DEADBEEFCAFE12', '"q 1"', "'s'", '[', ']', '(', ')', '{a}', '=', ':', ',', ';', '|', '<', '>', 'user_name', 'a.b.', '-', '_', '12.5ms', 'x', '\t', '  ', '\u000b'];
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const sc = new LineScanner();
    for (let n = 0; n < 2000; n++) {
      let line = '';
      const k = Math.floor(rnd() * 14);
      for (let i = 0; i < k; i++) line += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.6 ? ' ' : '');
      const ids: string[] = [];
      const key = maskKey(line, ids);
      sc.scanText(line);
      expect(sc.tokens).toBe(estimateTokens(line));
      const byteIds: string[] = [];
      expect(scanBytes(sc, line, byteIds)).toBe(true);
      expect([sc.keyText(), byteIds, sc.tokens]).toEqual([key, ids, estimateTokens(line)]);
    }
  });

  it('refuses a non-ASCII byte line (the caller decodes it) and scans its text by characters', () => {
    const sc = new LineScanner();
    const line = 'café 12 naïve_123456 😀';
    const buf = Buffer.from(line, 'utf8');
    expect(sc.scan(buf, 0, buf.length, true)).toBe(false);
    sc.scanText(line);
    expect(sc.keyText()).toBe('café <*> <*> 😀');
    expect(sc.tokens).toBe(estimateTokens(line));
  });

  it('masks a line longer than its buffers', () => {
    const line = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    expect(maskKey(line)).toBe(Array.from({ length: 3000 }, () => '<*>').join(' '));
    expect(sessionKeys('a '.repeat(5000) + 'req-12345678', [])).toBe(1);
  });
});

describe('KeyTable', () => {
  const units = (s: string) => Uint16Array.from(s, (c) => c.charCodeAt(0));
  it('maps keys to ids exactly through growth and hash collisions, and forgets them on clear', () => {
    const t = new KeyTable();
    const keys = Array.from({ length: 5000 }, (_, i) => `k ${i} <*>`);
    keys.forEach((k, i) => {
      const u = units(k);
      t.set(u, u.length, KeyTable.hash(u, u.length), i);
    });
    expect(t.size).toBe(5000);
    keys.forEach((k, i) => {
      const u = units(k);
      expect(t.get(u, u.length, KeyTable.hash(u, u.length))).toBe(i);
    });
    // Same hash, different bytes: the stored bytes decide.
    const a = units('alpha');
    const b = units('alphb');
    const h = KeyTable.hash(a, a.length);
    t.set(a, a.length, h, 1);
    expect(t.get(b, b.length, h)).toBe(-1);
    // A prefix of a stored key is another key.
    expect(t.get(a, 3, KeyTable.hash(a, 3))).toBe(-1);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get(a, a.length, h)).toBe(-1);
  });
});

describe('TemplateMiner caches', () => {
  it('assigns the same ids from code units as from strings, with ASCII and non-ASCII keys and a small cache', () => {
    const lines = ['open file 1 ok', 'open file 2 ok', 'café au lait 3', 'café au lait 4', 'user bob logged in', 'user alice logged in', 'résumé 5 sent'];
    const a = new TemplateMiner({ maxCache: 3 });
    const b = new TemplateMiner({ maxCache: 3 });
    const sc = new LineScanner();
    for (let n = 1; n <= 60; n++) {
      const line = lines[(n * 7) % lines.length];
      sc.scanText(line);
      expect(b.addUnits(sc.key, sc.keyLen, n)).toBe(a.add(maskKey(line), n));
    }
    expect(b.templates.map((t) => [t.tokens.join(' '), t.count])).toEqual(a.templates.map((t) => [t.tokens.join(' '), t.count]));
    expect(a.lookup(maskKey('café au lait 9'))).toBe(a.lookup(maskKey('café au lait 3')));
    expect(a.lookup(maskKey('open file 9 ok'))).toBeGreaterThanOrEqual(0);
    expect(a.lookup(maskKey('never seen anything like this before'))).toBe(-1);
  });
});
