import { describe, expect, it } from 'vitest';
import { triageAlarm } from '../../../src/core/triage/triage.js';
import type { TriageReport } from '../../../src/core/triage/types.js';
import { ALARM_AT, fakeWorld, NOW, type FailPoint } from './fakes.js';

type Part = 'alarmAt' | 'metric' | 'service' | 'deploy' | 'rollback' | 'runbooks';
const PARTS: Part[] = ['alarmAt', 'metric', 'service', 'deploy', 'rollback', 'runbooks'];

function statuses(r: TriageReport): Record<Part, string> {
  return Object.fromEntries(PARTS.map((p) => [p, r[p].status])) as Record<Part, string>;
}

describe('triageAlarm with fakes', () => {
  it('an ECS CPU alarm: every source answers; the report leads to the rollback dry run and changes nothing', async () => {
    const w = fakeWorld();
    const r = await triageAlarm(w.deps, { alarm: 'web-api-CPU-High' });
    expect(statuses(r)).toEqual({ alarmAt: 'ok', metric: 'ok', service: 'ok', deploy: 'ok', rollback: 'ok', runbooks: 'ok' });
    expect(r.alarmAt).toEqual({ status: 'ok', value: ALARM_AT });
    expect(r.metric.status === 'ok' && r.metric.value).toMatchObject({ min: 20, max: 96, last: 96, threshold: 80, statistic: 'Average', periodSeconds: 60 });
    expect(r.metric.status === 'ok' && r.metric.value.points.map((p) => p.value)).toEqual([20, 40, 88, 93, 96]);
    expect(r.service.status === 'ok' && r.service.value).toMatchObject({ cluster: 'prod', service: 'web-api', taskDefinition: 'web-api:4' });
    expect(r.service.status === 'ok' && r.service.value.events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(r.service.status === 'ok' && r.service.value.deployments[0].taskDefinition).toBe('web-api:4');
    // Rollout started 13 min before the alarm, registration 12 min before: the later one counts.
    expect(r.deploy.status === 'ok' && r.deploy.value).toMatchObject({ taskDefinition: 'web-api:4', minutesBeforeAlarm: 12, suspect: true });
    expect(r.rollback).toMatchObject({ status: 'ok', value: { possible: true, from: 'web-api:4', to: 'web-api:2', skipped: ['web-api:3'] } });
    expect(r.next[0]).toEqual({ command: 'opsctl rollback --cluster prod --service web-api --dry-run', why: expect.stringContaining('web-api:4 to web-api:2') });
    expect(w.calls).toContain(`series AWS/ECS CPUUtilization Average 60 ${new Date(NOW.getTime() - 3_600_000).toISOString()}..${NOW.toISOString()}`);
    expect(w.calls.find((c) => c.startsWith('runbooks '))).toMatch(/^runbooks web api CPU High CPUUtilization ECS service tasks deploy roll back/);
    expect(w.calls).not.toContain('updateService');
  });

  const failures: Array<{ fail: FailPoint; failed: Part[]; skipped?: Part[] }> = [
    { fail: 'series', failed: ['metric'] },
    { fail: 'lastAlarmAt', failed: ['alarmAt'] },
    { fail: 'describeService', failed: ['service', 'rollback'], skipped: ['deploy'] },
    { fail: 'describeTaskDefinition:current', failed: ['deploy'] },
    { fail: 'listTaskDefinitions', failed: ['rollback'] },
    { fail: 'runbooks', failed: ['runbooks'] },
  ];
  it.each(failures)('$fail failing → only $failed fail, the rest is still reported', async ({ fail, failed, skipped = [] }) => {
    const r = await triageAlarm(fakeWorld(fail).deps, { alarm: 'web-api-CPU-High' });
    const want = Object.fromEntries(PARTS.map((p) => [p, failed.includes(p) ? 'failed' : skipped.includes(p) ? 'skipped' : 'ok']));
    expect(statuses(r)).toEqual(want);
    for (const p of failed) expect(r[p]).toEqual({ status: 'failed', message: `access denied: ${fail}`, hint: `grant it (${fail})` });
    expect(r.next.length).toBeGreaterThan(0);
  });

  it('a failing alarm history leaves the deploy time without a comparison', async () => {
    const r = await triageAlarm(fakeWorld('lastAlarmAt').deps, { alarm: 'web-api-CPU-High' });
    const d = r.deploy.status === 'ok' ? r.deploy.value : undefined;
    expect(d?.deployedAt).toBeInstanceOf(Date);
    expect(d?.suspect).toBe(false);
    expect(d?.minutesBeforeAlarm).toBeUndefined();
  });

  it('a plain Error (not an OpsctlError) from a source is reported with its message', async () => {
    const r = await triageAlarm(fakeWorld('runbooks', () => new Error('index is locked')).deps, { alarm: 'web-api-CPU-High' });
    expect(r.runbooks).toEqual({ status: 'failed', message: 'index is locked' });
  });

  it('a rollback that would refuse says why instead of suggesting it', async () => {
    const w = fakeWorld();
    w.service.deployments.push({ ...w.service.deployments[0], id: 'd-3', status: 'ACTIVE', rolloutState: 'IN_PROGRESS' });
    const r = await triageAlarm(w.deps, { alarm: 'web-api-CPU-High' });
    expect(r.rollback).toMatchObject({ status: 'ok', value: { possible: false, reason: expect.stringMatching(/deployment is already in progress/) } });
    expect(r.next[0].command).toBe('aws ecs describe-services --cluster prod --services web-api');
    expect(r.next[0].why).toMatch(/^no rollback to suggest: a deployment is already in progress/);
    expect(r.next.some((s) => s.command.startsWith('opsctl rollback'))).toBe(false);
  });

  it('an ALB alarm without hints: no ECS call, the flags to pass are the next step', async () => {
    const w = fakeWorld();
    const r = await triageAlarm(w.deps, { alarm: 'ALB-5xx-High', region: 'eu-west-1' });
    expect(statuses(r)).toEqual({ alarmAt: 'ok', metric: 'ok', service: 'skipped', deploy: 'skipped', rollback: 'skipped', runbooks: 'ok' });
    expect(w.calls.filter((c) => /^(describeService|listTaskDefinitions|describeTaskDefinition)/.test(c))).toEqual([]);
    expect(r.next.map((s) => s.command)).toEqual([
      'opsctl triage --alarm ALB-5xx-High --cluster CLUSTER --service SERVICE --region eu-west-1',
      'opsctl ask --alarm ALB-5xx-High --region eu-west-1',
    ]);
  });

  it('an ALB alarm with hints checks that service', async () => {
    const r = await triageAlarm(fakeWorld().deps, { alarm: 'ALB-5xx-High', cluster: 'prod', service: 'web-api' });
    expect(r.rollback).toMatchObject({ status: 'ok', value: { possible: true, to: 'web-api:2' } });
  });

  it('a composite alarm has no metric to read', async () => {
    const w = fakeWorld();
    const r = await triageAlarm(w.deps, { alarm: 'Checkout-Broken' });
    expect(r.metric).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/composite/) });
    expect(w.calls.some((c) => c.startsWith('series'))).toBe(false);
  });

  it('a missing alarm is fatal (OpsctlError aws) and nothing else is called', async () => {
    const w = fakeWorld();
    await expect(triageAlarm(w.deps, { alarm: 'Nope' })).rejects.toMatchObject({ code: 'aws', message: expect.stringMatching(/no CloudWatch alarm named Nope/) });
    expect(w.calls).toEqual(['describeAlarm Nope']);
  });
});
