import { describe, expect, it } from 'vitest';
import { classifyAlarm } from '../../../src/core/triage/classify.js';
import { deployTiming, metricQuery, summarizeMetric } from '../../../src/core/triage/metric.js';
import { nextSteps, shellArg } from '../../../src/core/triage/next.js';
import type { AlarmInfo } from '../../../src/core/ports.js';
import { sparkline } from '../../../src/output/triage-sparkline.js';
import { span } from '../../../src/output/triage-text.js';

const at = (hhmm: string) => new Date(`2025-06-01T${hhmm}:00Z`);

describe('deployTiming', () => {
  it.each([
    { what: 'registered 12 min before', reg: '11:38', dep: undefined, alarm: '11:50', minutes: 12, suspect: true },
    { what: 'exactly at the alarm', reg: '11:50', dep: undefined, alarm: '11:50', minutes: 0, suspect: true },
    { what: 'an hour before is still suspect', reg: '10:50', dep: undefined, alarm: '11:50', minutes: 60, suspect: true },
    { what: 'longer ago is not', reg: '09:00', dep: undefined, alarm: '11:50', minutes: 170, suspect: false },
    { what: 'after the alarm', reg: '11:55', dep: undefined, alarm: '11:50', minutes: -5, suspect: false },
    { what: 'old revision, recent rollout: the rollout counts', reg: '01:00', dep: '11:45', alarm: '11:50', minutes: 5, suspect: true },
    { what: 'no registration time: the rollout counts', reg: undefined, dep: '11:40', alarm: '11:50', minutes: 10, suspect: true },
    { what: 'no alarm time', reg: '11:40', dep: undefined, alarm: undefined, minutes: undefined, suspect: false },
    { what: 'no times at all', reg: undefined, dep: undefined, alarm: '11:50', minutes: undefined, suspect: false },
  ])('$what', ({ reg, dep, alarm, minutes, suspect }) => {
    const t = deployTiming('web-api:4', reg ? at(reg) : undefined, dep ? at(dep) : undefined, alarm ? at(alarm) : undefined);
    expect(t.minutesBeforeAlarm).toBe(minutes);
    expect(t.suspect).toBe(suspect);
  });
});

describe('metricQuery / summarizeMetric', () => {
  const alarm: AlarmInfo = { name: 'x', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', statistic: 'Sum', threshold: 50, comparison: 'GreaterThanThreshold', dimensions: [{ name: 'LoadBalancer', value: 'app/a/1' }] };
  const now = at('12:00');

  it('asks for the alarm metric and statistic, 1-minute points over the last hour', () => {
    expect(metricQuery(alarm, now)).toEqual({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: alarm.dimensions, statistic: 'Sum', periodSeconds: 60, start: at('11:00'), end: now });
    expect(metricQuery({ ...alarm, statistic: undefined }, now)?.statistic).toBe('Average');
    expect(metricQuery({ name: 'composite', dimensions: [] }, now)).toBeUndefined();
  });

  it('sorts points, drops non-numbers, and finds min, max and last', () => {
    const q = metricQuery(alarm, now)!;
    const s = summarizeMetric(q, [{ time: at('11:58'), value: 70 }, { time: at('11:56'), value: 3 }, { time: at('11:57'), value: Number.NaN }, { time: at('11:59'), value: 12 }], alarm);
    expect(s.points.map((p) => p.value)).toEqual([3, 70, 12]);
    expect(s).toMatchObject({ min: 3, max: 70, last: 12, lastAt: at('11:59'), threshold: 50, comparison: 'GreaterThanThreshold' });
    const empty = summarizeMetric(q, [], alarm);
    expect(empty.points).toEqual([]);
    expect(empty.min).toBeUndefined();
  });
});

describe('nextSteps', () => {
  const ecs = classifyAlarm({ name: 'cpu', namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'web api' }] });
  it.each([
    { what: 'possible', rollback: { status: 'ok' as const, value: { possible: true as const, from: 'a:2', to: 'a:1', skipped: [], warnings: [], containers: [], fields: [] } }, first: "opsctl rollback --cluster prod --service 'web api' --region eu-west-1 --dry-run" },
    { what: 'refused', rollback: { status: 'ok' as const, value: { possible: false as const, reason: 'service web api is DRAINING, not ACTIVE' } }, first: "aws ecs describe-services --cluster prod --services 'web api' --region eu-west-1" },
    { what: 'could not check', rollback: { status: 'failed' as const, message: 'throttled' }, first: "opsctl rollback --cluster prod --service 'web api' --region eu-west-1 --dry-run" },
  ])('$what → $first', ({ rollback, first }) => {
    const steps = nextSteps({ alarmName: "it's cpu", classification: ecs, rollback, region: 'eu-west-1' });
    expect(steps[0].command).toBe(first);
    expect(steps.at(-1)?.command).toBe("opsctl ask --alarm 'it'\\''s cpu' --region eu-west-1");
  });

  it.each([['web-api', 'web-api'], ['a b', "'a b'"], ['', "''"], ['x;rm -rf /', "'x;rm -rf /'"], ['arn:aws:ecs:us-east-1:1:x/y', 'arn:aws:ecs:us-east-1:1:x/y']])('shellArg(%j) → %s', (s, want) => {
    expect(shellArg(s)).toBe(want);
  });
});

describe('sparkline', () => {
  it.each([
    { values: [1, 2, 3, 4, 5, 6, 7, 8], want: '▁▂▃▄▅▆▇█' },
    { values: [5, 5, 5], want: '▁▁▁' },
    { values: [], want: '' },
    { values: [0, Number.NaN, 10], want: '▁█' },
  ])('$values → $want', ({ values, want }) => expect(sparkline(values)).toBe(want));

  it('squeezes a long series to the width and keeps a one-point spike', () => {
    const values = Array.from({ length: 600 }, (_, i) => (i === 333 ? 100 : 1));
    const line = sparkline(values, 60);
    expect(line).toHaveLength(60);
    expect([...line].filter((c) => c === '█')).toHaveLength(1);
  });
});

describe('span', () => {
  it.each([[0, '0 min'], [12 * 60_000, '12 min'], [-5 * 60_000, '5 min'], [65 * 60_000, '1 h 5 min'], [120 * 60_000, '2 h'], [50 * 3_600_000, '2 d 2 h']])('%d ms → %s', (ms, want) => {
    expect(span(ms)).toBe(want);
  });
});
