import { describe, expect, it } from 'vitest';
import { waitForAlarmOk } from '../../../src/core/incidents/verify.js';
import type { AlarmSource, Clock } from '../../../src/core/ports.js';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => new Date(now), sleep: async (ms) => { slept.push(ms); now += ms; } };
}

const states = (seq: string[]): AlarmSource & { calls: number } => {
  const src = {
    calls: 0,
    describeAlarm: async (name: string) => ({ name, dimensions: [], state: seq[Math.min(src.calls++, seq.length - 1)] }),
  };
  return src;
};

describe('waitForAlarmOk (DescribeAlarms polling with backoff)', () => {
  it.each([
    ['OK at once', ['OK'], 60_000, { recovered: true, polls: 1, waitedMs: 0 }, []],
    ['OK at the third poll', ['ALARM', 'ALARM', 'OK'], 60_000, { recovered: true, polls: 3, waitedMs: 12_500 }, [5000, 7500]],
    ['never OK: the last wait lands on the deadline', ['ALARM'], 20_000, { recovered: false, state: 'ALARM', polls: 4, waitedMs: 20_000 }, [5000, 7500, 7500]],
    ['INSUFFICIENT_DATA is not OK', ['INSUFFICIENT_DATA'], 5_000, { recovered: false, state: 'INSUFFICIENT_DATA', polls: 2 }, [5000]],
  ])('%s', async (_n, seq, timeout, expected, sleeps) => {
    const clock = fakeClock();
    const out = await waitForAlarmOk(states(seq), clock, 'a', timeout);
    expect(out).toMatchObject(expected);
    expect(clock.slept).toEqual(sleeps);
  });

  it('caps the wait at 60 s', async () => {
    const clock = fakeClock();
    await waitForAlarmOk(states(['ALARM']), clock, 'a', 600_000);
    expect(Math.max(...clock.slept)).toBe(60_000);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(600_000);
  });
});
