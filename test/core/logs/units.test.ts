import { describe, expect, it } from 'vitest';
import { shareBudget } from '../../../src/core/logs/budget.js';
import { maskKey } from '../../../src/core/logs/mask.js';
import { rarity } from '../../../src/core/logs/score.js';
import { detectLevel, severityOf } from '../../../src/core/logs/severity.js';
import { TemplateMiner } from '../../../src/core/logs/templates.js';
import { estimateTokens } from '../../../src/core/logs/tokens.js';

describe('maskKey', () => {
  it.each([
    ['crond[2915]: session closed for user root', 'crond[<*>]: session closed for user root'],
    ['10.251.73.220:50010 is added to blk_-712837 size 67108864', '<*>:<*> is added to <*> size <*>'],
    ['id 550e8400-e29b-41d4-a716-446655440000 done', 'id <*> done'],
    ['at 2024-05-01T10:00:00.123Z took 0.25s', 'at <*>:<*>:<*> took <*>'],
    ['open /var/log/app.log failed', 'open <*> failed'],
    ['hash deadbeefcafebabe ok', 'hash <*> ok'],
    ['  two   spaces\tand tab ', 'two spaces and tab'],
    ['GET /v2/servers HTTP/1.1 status: 200', 'GET <*> <*> status: <*>'],
    ['plain words only', 'plain words only'],
    ['', ''],
  ])('%j -> %j', (line, key) => {
    expect(maskKey(line)).toBe(key);
  });
});

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['abcd', 1],
    ['hello world', 4],
    ['10.251.73.220:50010', 10],
    ['          ', 3],
  ])('%j -> %d', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });

  it('is never below chars/4 and never under-counts a concatenation', () => {
    const parts = ['ERROR ', 'blk_-6952295868487656571', ' 10.0.0.1:80', '  ', 'é€', 'xyzw', '\n', '[12]', 'a'];
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 500; i++) {
      const a = parts[Math.floor(rnd() * parts.length)].repeat(1 + Math.floor(rnd() * 3));
      const b = parts[Math.floor(rnd() * parts.length)];
      expect(estimateTokens(a + b)).toBeGreaterThanOrEqual(Math.ceil((a + b).length / 4));
      expect(estimateTokens(a + b)).toBeLessThanOrEqual(estimateTokens(a) + estimateTokens(b));
    }
  });
});

describe('severity', () => {
  it.each([
    ['2024-01-01 ERROR db: connection refused', 0.8, 'error'],
    ['[error] mod_jk child workerEnv in error state', 0.8, 'error'],
    ['level=warn msg="slow query"', 0.45, 'warn'],
    ['RAS KERNEL FATAL data TLB error interrupt', 1, 'fatal'],
    ['INFO request served in 12 ms', 0, 'info'],
  ])('%j has level score >= %d (%s)', (line, min, level) => {
    const s = severityOf(line, line.split(' '));
    expect(s.score).toBeGreaterThanOrEqual(min);
    expect(s.level).toBe(level);
  });

  it('sees trouble words and stack traces without a level', () => {
    expect(severityOf('upstream timed out while reading', ['upstream']).words).toContain('timed out');
    expect(severityOf('    at com.acme.Db.connect(Db.java:42)', []).stack).toBe(true);
    expect(severityOf('java.lang.IllegalStateException: boom', []).stack).toBe(true);
    expect(severityOf('all good here', ['all']).score).toBe(0);
  });

  it('reads npm\'s "ERR!" as an error level and knows a full disk', () => {
    expect(detectLevel(['npm', 'ERR!', 'code', 'ENOSPC'])?.[0]).toBe('error');
    expect(severityOf('write failed: no space left on device', []).words).toContain('no space left');
  });

  it('does not take an ordinary lower-case word for a level', () => {
    expect(detectLevel(['instruction', 'cache', 'parity', 'error', 'corrected'])).toBeUndefined();
  });
});

describe('TemplateMiner', () => {
  it('merges lines that differ in variable words and keeps different messages apart', () => {
    const m = new TemplateMiner();
    const a = m.add(maskKey('session opened for user root'), 1);
    const b = m.add(maskKey('session opened for user alice'), 2);
    const c = m.add(maskKey('session closed for user root'), 3);
    const d = m.add(maskKey('disk full on /dev/sda1'), 4);
    expect(b).toBe(a);
    expect(m.text(a)).toBe('session opened for user <*>');
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
    expect(m.templates[a]).toMatchObject({ count: 2, firstLine: 1, lastLine: 2 });
    expect(m.lookup(maskKey('session opened for user bob'))).toBe(a);
  });

  it('separates levels and stays within its template cap', () => {
    const m = new TemplateMiner({ maxTemplates: 5 });
    const err = m.add('ERROR x failed', 1);
    const info = m.add('INFO x failed', 2);
    expect(err).not.toBe(info);
    for (let i = 0; i < 50; i++) m.add(`word${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10)]} alpha beta gamma`.replace(/\d/g, ''), 3 + i);
    expect(m.templates.length).toBeLessThanOrEqual(6);
  });
});

describe('rarity', () => {
  it('is 1 for a singleton, 0 for the whole log and falls with count', () => {
    expect(rarity(1, 1000)).toBe(1);
    expect(rarity(1000, 1000)).toBe(0);
    expect(rarity(10, 1000)).toBeGreaterThan(rarity(100, 1000));
  });
});

describe('shareBudget', () => {
  const need = (all: number, evidence: number, tokens: number, score: number) => ({ all, evidence, tokens, score });
  it('gives everyone all they need when it fits', () => {
    expect(shareBudget([need(100, 50, 100, 0.9), need(200, 0, 200, 0.1)], 1000)).toEqual([100, 200]);
  });
  it('serves evidence first, then shares the rest by tokens x score, never above a source\'s whole need', () => {
    // A big log with the only evidence, and 17 tiny routine logs that would each fit whole.
    const needs = [need(50_000, 600, 40_000, 0.9), ...Array.from({ length: 17 }, () => need(300, 0, 250, 0.3))];
    const got = shareBudget(needs, 4000);
    expect(got.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(4000);
    expect(got[0]).toBeGreaterThan(3000);
    for (const g of got.slice(1)) expect(g).toBeLessThanOrEqual(300);
  });
  it('scales evidence down together when even that does not fit', () => {
    const got = shareBudget([need(5000, 800, 1000, 0.9), need(5000, 400, 1000, 0.9)], 600);
    expect(got).toEqual([400, 200]);
  });
  it.each([[[], 100], [[need(50, 10, 50, 1)], 0]])('degenerate %j within %d', (needs, total) => {
    const got = shareBudget(needs as ReturnType<typeof need>[], total as number);
    expect(got.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(total as number);
  });
});
