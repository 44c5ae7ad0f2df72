import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskKey, sessionKeys } from '../../../src/core/logs/mask.js';
import { reduceLogs } from '../../../src/core/logs/reduce.js';
import { logsTextFormat } from '../../../src/output/logs-text.js';
import { SessionTracker, type SessionVerdict } from '../../../src/core/logs/sessions.js';

describe('sessionKeys: identifiers by shape', () => {
  const cases: Array<[string, string[]]> = [
    ['PacketResponder 1 for block blk_-4411589101766563890 terminating', ['blk_-4411589101766563890']],
    ['GET /orders done request_id=abc123def status=200', ['abc123def']],
    ['traceId: 4bf92f3577b34da6a3ce929d0e0e4736 span ok', ['4bf92f3577b34da6a3ce929d0e0e4736']],
    ['user 550e8400-e29b-41d4-a716-446655440000 logged in', ['550e8400-e29b-41d4-a716-446655440000']],
    ['[req-7f3a9c01] started', ['req-7f3a9c01']],
    ['wrote /data/out/part-00169.', ['part-00169']],
    // Not sessions: hosts, IPs, numbers, timestamps, short hex addresses, words.
    ['host ip-10-0-1-23 dn228 10.251.73.220:50010 size 67108864 2024-05-01T10:00:00Z 0x00004ed8', []],
    ['node R02-M1-N0-C:J12-U11 instruction cache parity error corrected', []],
    ['ERROR connection refused', []],
  ];
  it.each(cases)('%s', (line, want) => {
    const out: string[] = [];
    expect(sessionKeys(line, out)).toBe(want.length);
    expect(out).toEqual(want);
  });

  it('takes at most four ids from a line listing many, and leaves the mask unchanged', () => {
    const line = `ask to delete ${Array.from({ length: 9 }, (_, i) => `blk_${1000000 + i}`).join(' ')}`;
    const out: string[] = [];
    expect(sessionKeys(line, out)).toBe(4);
    expect(maskKey(line, out)).toBe(maskKey(line));
  });
});

/** Feeds sessions (each a list of template ids) interleaved round-robin, as concurrent requests log. */
function run(sessions: number[][], opts = {}): SessionVerdict[] {
  const tracker = new SessionTracker(opts);
  let n = 0;
  const lineOf = new Map<string, number[]>();
  const longest = Math.max(...sessions.map((s) => s.length));
  for (let step = 0; step < longest; step++) {
    sessions.forEach((s, i) => {
      if (step >= s.length) return;
      n++;
      const key = `req-${10000 + i}`;
      lineOf.set(key, [...(lineOf.get(key) ?? []), n]);
      tracker.observe(n, s[step], [key]);
    });
  }
  return tracker.finish();
}

const NORMAL = [0, 1, 2, 3];
const many = (k: number) => Array.from({ length: k }, () => NORMAL.slice());

describe('SessionTracker: sessions unlike the others', () => {
  // A skipped step also makes a transition no other session shows (1→3), so either explanation is right there.
  const table: Array<{ name: string; odd: number[]; signals: Array<SessionVerdict['signal']>; repTemplate: number }> = [
    { name: 'holds a template no other session has', odd: [0, 1, 9, 2, 3], signals: ['rare-template'], repTemplate: 9 },
    { name: 'lacks a template every other session has', odd: [0, 1, 3], signals: ['missing-template', 'transition'], repTemplate: 3 },
    { name: 'runs its steps in an unusual order', odd: [0, 2, 1, 3], signals: ['transition'], repTemplate: 2 },
    { name: 'is far longer than the others', odd: [0, ...Array<number>(30).fill(1), 2, 3], signals: ['length'], repTemplate: -1 },
  ];
  it.each(table)('flags the session that $name, with its most telling line', ({ odd, signals, repTemplate }) => {
    const sessions = [...many(200), odd];
    const verdicts = run(sessions);
    expect(verdicts.length).toBeGreaterThan(0);
    const top = verdicts[0];
    expect(top.key).toBe('req-10200');
    expect(signals).toContain(top.signal);
    expect(top.score).toBeGreaterThanOrEqual(0.5);
    expect(top.lines).toBe(odd.length);
    if (repTemplate >= 0) {
      // Map the representative line back to its step in the odd session (round-robin order: the odd session logs last).
      const step = odd.findIndex((_, k) => lineNumber(sessions, 200, k) === top.line);
      expect(odd[step]).toBe(repTemplate);
    }
    expect(verdicts.every((v) => v.key === 'req-10200')).toBe(true);
  });

  it('flags nothing when every session looks the same', () => {
    expect(run(many(300))).toEqual([]);
  });

  it('does not judge among a handful of sessions (too few to call one unusual)', () => {
    expect(run([NORMAL, NORMAL, [0, 9, 3]])).toEqual([]);
  });

  it('stays bounded: beyond maxSessions the oldest session is judged and forgotten, and still flagged', () => {
    const sessions = [[0, 7, 3], ...many(400)];
    const verdicts = run(sessions, { maxSessions: 50 });
    expect(verdicts.map((v) => v.key)).toContain('req-10000');
  });

  it('reports at most maxFlagged sessions, the most unusual first', () => {
    const sessions = [...many(300), [0, 1, 8, 3], [0, 1, 9, 3], [0, 1]];
    const verdicts = run(sessions, { maxFlagged: 2 });
    expect(verdicts).toHaveLength(2);
    expect(verdicts[0].score).toBeGreaterThanOrEqual(verdicts[1].score);
  });
});

/** Line number of step k of session i when sessions are logged round-robin (see run). */
function lineNumber(sessions: number[][], i: number, k: number): number {
  let n = 0;
  for (let step = 0; step <= k; step++) {
    for (let j = 0; j < sessions.length; j++) {
      if (step >= sessions[j].length) continue;
      n++;
      if (j === i && step === k) return n;
    }
  }
  return -1;
}

describe('reduce keeps a line of each unusual session', () => {
  it('keeps a line of the request that skipped a step, though each of its lines is ordinary (INFO, common template)', async () => {
    const steps = ['INFO accepted order request', 'INFO reserved stock for request', 'INFO charged card for request', 'INFO shipped order for request'];
    const lines: string[] = [];
    const odd = 137;
    for (let i = 0; i < 300; i++) {
      const id = `req-${(100000 + i * 7919).toString(16)}`;
      const mine = i === odd ? [steps[0], steps[1], steps[3]] : steps;
      for (const s of mine) lines.push(`2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z ${s} ${id}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'opsctl-sessions-'));
    try {
      const path = join(dir, 'app.log');
      writeFileSync(path, lines.join('\n') + '\n');
      const { doc } = await reduceLogs([{ name: 'app.log', path }], { budget: 300, format: logsTextFormat, context: 0 });
      const oddId = `req-${(100000 + odd * 7919).toString(16)}`;
      const block = doc.blocks.find((b) => b.lines.some((l) => l.text.includes(oddId)));
      expect(block?.reason).toContain('session');
      expect(doc.keptLines).toBeLessThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
