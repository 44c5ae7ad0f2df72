import { describe, expect, it } from 'vitest';
import { triageAlarm } from '../../../src/core/triage/triage.js';
import { fakeWorld, TG_ARN } from './fakes.js';

const ALARM = 'ALB-Target-5xx';
const TG = 'targetgroup/web-api/0123456789abcdef';

describe('triageAlarm: the ECS service behind an ALB alarm\'s target group', () => {
  it('exactly one service on the target group → triaged as that service, with its snapshot, rollback check and next command', async () => {
    const w = fakeWorld();
    const r = await triageAlarm(w.deps, { alarm: ALARM });
    expect(r.serviceLookup).toEqual({
      status: 'ok',
      value: { targetGroup: TG, matches: [{ cluster: 'prod', service: 'web-api', targetGroupArn: TG_ARN('web-api') }], clustersScanned: 2, servicesScanned: 2, failures: [] },
    });
    expect(r.classification).toMatchObject({ kind: 'lb-5xx', service: { cluster: 'prod', service: 'web-api', from: 'target-group' }, serviceHint: undefined });
    expect(r.service).toMatchObject({ status: 'ok', value: { cluster: 'prod', service: 'web-api', taskDefinition: 'web-api:4' } });
    expect(r.deploy).toMatchObject({ status: 'ok', value: { suspect: true } });
    expect(r.rollback).toMatchObject({ status: 'ok', value: { possible: true, from: 'web-api:4', to: 'web-api:2' } });
    expect(r.next[0].command).toBe('opsctl rollback --cluster prod --service web-api --dry-run');
    expect(w.calls.filter((c) => c.startsWith('list') && !c.startsWith('listTaskDefinitions'))).toEqual(['listClusters', 'listServices prod 200', 'listServices staging 199']);
    expect(w.calls).not.toContain('updateService');
  });

  it('several services on it → none picked; one triage command per candidate', async () => {
    const w = fakeWorld();
    w.others.push({ ...w.others[0], name: 'web-api-blue', loadBalancers: [{ targetGroupArn: TG_ARN('web-api') }] });
    const r = await triageAlarm(w.deps, { alarm: ALARM, region: 'eu-west-1' });
    expect(r.classification.service).toBeUndefined();
    expect(r.classification.serviceHint).toBe(`2 ECS services use target group ${TG}: pass --cluster and --service to pick one`);
    expect(r.service).toEqual({ status: 'skipped', reason: r.classification.serviceHint });
    expect(r.next.map((s) => s.command)).toEqual([
      `opsctl triage --alarm ${ALARM} --cluster prod --service web-api --region eu-west-1`,
      `opsctl triage --alarm ${ALARM} --cluster staging --service web-api-blue --region eu-west-1`,
      `opsctl ask --alarm ${ALARM} --region eu-west-1`,
    ]);
    expect(w.calls.some((c) => c.startsWith('describeService'))).toBe(false);
  });

  it('--service given alone picks among the candidates', async () => {
    const w = fakeWorld();
    w.others.push({ ...w.others[0], cluster: 'prod', name: 'web-api-blue', loadBalancers: [{ targetGroupArn: TG_ARN('web-api') }] });
    const r = await triageAlarm(w.deps, { alarm: ALARM, service: 'web-api' });
    expect(r.classification.service).toEqual({ cluster: 'prod', service: 'web-api', from: 'target-group' });
  });

  it('no service on it → the flags to pass, saying where triage looked', async () => {
    const w = fakeWorld();
    w.service.loadBalancers = [];
    const r = await triageAlarm(w.deps, { alarm: ALARM });
    expect(r.classification.serviceHint).toMatch(/^no ECS service uses target group targetgroup\/web-api\/0123456789abcdef \(2 clusters, 2 services searched\); .*pass --cluster CLUSTER --service SERVICE/);
    expect(r.next[0].command).toBe(`opsctl triage --alarm ${ALARM} --cluster CLUSTER --service SERVICE`);
  });

  it('the lookup failing is reported; metric and runbooks are still there', async () => {
    const r = await triageAlarm(fakeWorld('listClusters').deps, { alarm: ALARM });
    expect(r.serviceLookup).toEqual({ status: 'failed', message: 'access denied: listClusters', hint: 'grant it (listClusters)' });
    expect(r.service.status).toBe('skipped');
    expect([r.metric.status, r.runbooks.status, r.alarmAt.status]).toEqual(['ok', 'ok', 'ok']);
    expect(r.next[0].command).toBe(`opsctl triage --alarm ${ALARM} --cluster CLUSTER --service SERVICE`);
  });

  it('a service named by the flags needs no lookup', async () => {
    const w = fakeWorld();
    const r = await triageAlarm(w.deps, { alarm: ALARM, cluster: 'prod', service: 'web-api' });
    expect(r.serviceLookup).toEqual({ status: 'skipped', reason: 'the ECS service is already named' });
    expect(r.classification.service?.from).toBe('flags');
    expect(w.calls.some((c) => c.startsWith('listClusters') || c.startsWith('listServices'))).toBe(false);
  });
});
