import { describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import type { AlarmInfo, EcsGateway, EcsServiceInfo, EcsServiceList } from '../../../src/core/ports.js';
import { classifyAlarm, type ServiceHints } from '../../../src/core/triage/classify.js';
import { applyLookup, findServicesByTargetGroup, lookupRequest, matchTargetGroup, targetGroupOf, usesTargetGroup, type ServiceLookup } from '../../../src/core/triage/find-service.js';
import type { Gathered } from '../../../src/core/triage/types.js';

const ARN = (path: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${path}`;
const TG = 'targetgroup/web/0123456789abcdef';

function alarm(namespace: string | undefined, dims: Record<string, string>): AlarmInfo {
  return { name: 'A', namespace, metricName: 'HTTPCode_Target_5XX_Count', dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })) };
}

function svc(cluster: string, name: string, ...targetGroups: string[]): EcsServiceInfo {
  return {
    cluster, name, status: 'ACTIVE', taskDefinition: `${name}:1`, desiredCount: 1, runningCount: 1, pendingCount: 0, deployments: [], events: [],
    loadBalancers: targetGroups.map((tg) => ({ targetGroupArn: ARN(tg) })),
  };
}

describe('targetGroupOf', () => {
  it.each([
    { what: 'ALB dimension as CloudWatch writes it', ns: 'AWS/ApplicationELB', value: TG, want: TG },
    { what: 'NLB', ns: 'AWS/NetworkELB', value: 'targetgroup/tcp/42', want: 'targetgroup/tcp/42' },
    { what: 'bare NAME/ID gets the prefix', ns: 'AWS/ApplicationELB', value: 'web/0123456789abcdef', want: TG },
    { what: 'whole ARN is cut to the path', ns: 'AWS/ApplicationELB', value: ARN(TG), want: TG },
    { what: 'spaces are trimmed', ns: 'AWS/ApplicationELB', value: `  ${TG} `, want: TG },
    { what: 'empty value', ns: 'AWS/ApplicationELB', value: ' ', want: undefined },
    { what: 'not a load balancer namespace', ns: 'AWS/ECS', value: TG, want: undefined },
    { what: 'composite alarm (no namespace)', ns: undefined, value: TG, want: undefined },
  ])('$what', ({ ns, value, want }) => {
    expect(targetGroupOf(alarm(ns, { LoadBalancer: 'app/prod/1', TargetGroup: value }))).toBe(want);
  });

  it('an alarm with only a LoadBalancer dimension has none', () => {
    expect(targetGroupOf(alarm('AWS/ApplicationELB', { LoadBalancer: 'app/prod/1' }))).toBeUndefined();
  });
});

describe('usesTargetGroup', () => {
  it.each([
    { what: 'same target group', arn: ARN('targetgroup/web/1'), tg: 'targetgroup/web/1', want: true },
    { what: 'name that ends like it (xweb)', arn: ARN('targetgroup/xweb/1'), tg: 'targetgroup/web/1', want: false },
    { what: 'id that ends like it (11 vs 1)', arn: ARN('targetgroup/web/11'), tg: 'targetgroup/web/1', want: false },
    { what: 'longer id asked (1 vs 11)', arn: ARN('targetgroup/web/1'), tg: 'targetgroup/web/11', want: false },
    { what: 'other name, same id', arn: ARN('targetgroup/api/1'), tg: 'targetgroup/web/1', want: false },
    { what: 'classic load balancer (no ARN)', arn: undefined, tg: 'targetgroup/web/1', want: false },
  ])('$what → $want', ({ arn, tg, want }) => {
    expect(usesTargetGroup(arn, tg)).toBe(want);
  });
});

describe('matchTargetGroup', () => {
  const services = [svc('prod', 'web', TG), svc('prod', 'api', 'targetgroup/api/1'), svc('prod', 'both', 'targetgroup/api/1', TG), svc('prod', 'classic'), svc('prod', 'xweb', 'targetgroup/xweb/0123456789abcdef')];
  it.each([
    { what: 'every service on the target group, whichever attachment', service: undefined, want: ['web', 'both'] },
    { what: '--service narrows it', service: 'both', want: ['both'] },
    { what: '--service not on it', service: 'api', want: [] },
  ])('$what', ({ service, want }) => {
    const m = matchTargetGroup(services, TG, service);
    expect(m.map((x) => x.service)).toEqual(want);
    for (const x of m) expect(x).toEqual({ cluster: 'prod', service: x.service, targetGroupArn: ARN(TG) });
  });
});

describe('lookupRequest', () => {
  const lb = { LoadBalancer: 'app/prod/1' };
  it.each<{ what: string; a: AlarmInfo; hints?: ServiceHints; want: unknown }>([
    { what: 'ALB alarm with a target group', a: alarm('AWS/ApplicationELB', { ...lb, TargetGroup: TG }), want: { targetGroup: TG } },
    { what: '--cluster alone narrows the search', a: alarm('AWS/ApplicationELB', { ...lb, TargetGroup: TG }), hints: { cluster: 'prod' }, want: { targetGroup: TG, cluster: 'prod' } },
    { what: '--service alone narrows the search', a: alarm('AWS/ApplicationELB', { ...lb, TargetGroup: TG }), hints: { service: 'web' }, want: { targetGroup: TG, service: 'web' } },
    { what: 'both flags name the service', a: alarm('AWS/ApplicationELB', { ...lb, TargetGroup: TG }), hints: { cluster: 'prod', service: 'web' }, want: { skip: 'the ECS service is already named' } },
    { what: 'only a LoadBalancer dimension', a: alarm('AWS/ApplicationELB', lb), want: { skip: expect.stringMatching(/^the alarm has no TargetGroup dimension/) } },
    { what: 'ECS alarm without dimensions', a: alarm('AWS/ECS', {}), want: { skip: 'not a load balancer alarm' } },
    { what: 'RDS alarm', a: alarm('AWS/RDS', { DBInstanceIdentifier: 'db' }), want: { skip: 'not a load balancer alarm' } },
  ])('$what', ({ a, hints = {}, want }) => {
    expect(lookupRequest(a, classifyAlarm(a, hints), hints)).toEqual(want);
  });
});

describe('applyLookup', () => {
  const a = alarm('AWS/ApplicationELB', { LoadBalancer: 'app/prod/1', TargetGroup: TG });
  const c = classifyAlarm(a);
  const ok = (matches: string[], over: Partial<ServiceLookup> = {}): Gathered<ServiceLookup> => ({
    status: 'ok',
    value: { targetGroup: TG, matches: matches.map((m) => ({ cluster: m.split('/')[0], service: m.split('/')[1], targetGroupArn: ARN(TG) })), clustersScanned: 2, servicesScanned: 14, failures: [], ...over },
  });
  it.each<{ what: string; lookup: Gathered<ServiceLookup>; service?: object; hint?: RegExp }>([
    { what: 'one match is the service', lookup: ok(['prod/web']), service: { cluster: 'prod', service: 'web', from: 'target-group' } },
    { what: 'one match in a capped search still is', lookup: ok(['prod/web'], { capped: 'only 10 of 12 clusters were searched' }), service: { cluster: 'prod', service: 'web', from: 'target-group' } },
    { what: 'several: none picked', lookup: ok(['prod/web', 'staging/web']), hint: /^2 ECS services use target group targetgroup\/web\/0123456789abcdef: pass --cluster and --service to pick one$/ },
    { what: 'none: where it looked, then the flags', lookup: ok([]), hint: /^no ECS service uses target group targetgroup\/web\/\w+ \(2 clusters, 14 services searched\); the alarm does not name .* pass --cluster CLUSTER --service SERVICE/ },
    { what: 'none in a capped search says so', lookup: ok([], { capped: 'x', clustersScanned: 1, servicesScanned: 1 }), hint: /\(1 cluster, 1 service searched, search capped\)/ },
    { what: 'failed: unchanged', lookup: { status: 'failed', message: 'access denied' }, hint: /^the alarm does not name/ },
    { what: 'skipped: unchanged', lookup: { status: 'skipped', reason: 'x' }, hint: /^the alarm does not name/ },
  ])('$what', ({ lookup, service, hint }) => {
    const out = applyLookup(c, lookup);
    expect(out.service).toEqual(service);
    if (hint) expect(out.serviceHint).toMatch(hint);
    else expect(out.serviceHint).toBeUndefined();
    expect(out.kind).toBe('lb-5xx');
    expect(c.service).toBeUndefined(); // the input is not changed
  });
});

/** A gateway over named clusters; a cluster given as an Error fails to list. */
function gateway(clusters: Record<string, EcsServiceInfo[] | Error>, listFails?: Error): EcsGateway & { calls: string[] } {
  const calls: string[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('the lookup only lists');
  };
  return {
    calls, describeService: unused, describeTaskDefinition: unused, listTaskDefinitions: unused, updateService: unused,
    async listClusters() {
      calls.push('listClusters');
      if (listFails) throw listFails;
      return Object.keys(clusters);
    },
    async listServices(cluster, limit = Infinity): Promise<EcsServiceList> {
      calls.push(`listServices ${cluster} ${limit}`);
      const s = clusters[cluster];
      if (!s) throw new OpsctlError('aws', `cluster ${cluster} not found`, 'check --cluster');
      if (s instanceof Error) throw s;
      return { services: s.slice(0, limit), truncated: s.length > limit };
    },
  };
}

describe('findServicesByTargetGroup', () => {
  const world = {
    prod: [svc('prod', 'web', TG), svc('prod', 'api', 'targetgroup/api/1')],
    staging: [svc('staging', 'web', 'targetgroup/web/fedcba9876543210')],
    batch: [svc('batch', 'worker')],
  };
  const big = { clusters: 10, services: 200 };

  it('scans every cluster and finds the one service on the target group', async () => {
    const g = gateway(world);
    const l = await findServicesByTargetGroup(g, { targetGroup: TG }, big);
    expect(l).toEqual({ targetGroup: TG, matches: [{ cluster: 'prod', service: 'web', targetGroupArn: ARN(TG) }], clustersScanned: 3, servicesScanned: 4, failures: [] });
    expect(g.calls).toEqual(['listClusters', 'listServices prod 200', 'listServices staging 198', 'listServices batch 197']);
  });

  it('one cluster failing is recorded; the others are still scanned', async () => {
    const l = await findServicesByTargetGroup(gateway({ ...world, staging: new Error('throttled') }), { targetGroup: TG }, big);
    expect(l.matches.map((m) => m.service)).toEqual(['web']);
    expect(l).toMatchObject({ clustersScanned: 2, servicesScanned: 3, failures: [{ cluster: 'staging', message: 'throttled' }] });
    expect(l.capped).toBeUndefined();
  });

  it('every cluster failing throws the first error (not "no service uses it")', async () => {
    const first = new OpsctlError('aws', 'access denied: ecs:ListServices', 'grant ecs:ListServices');
    await expect(findServicesByTargetGroup(gateway({ a: first, b: new Error('second') }), { targetGroup: TG }, big)).rejects.toBe(first);
  });

  it('ListClusters failing throws', async () => {
    await expect(findServicesByTargetGroup(gateway(world, new Error('denied')), { targetGroup: TG }, big)).rejects.toThrow('denied');
  });

  it('no clusters at all is an empty search, not a failure', async () => {
    expect(await findServicesByTargetGroup(gateway({}), { targetGroup: TG }, big)).toMatchObject({ matches: [], clustersScanned: 0, failures: [] });
  });

  it('caps the clusters: the rest are not listed and the result says so', async () => {
    const g = gateway(world);
    const l = await findServicesByTargetGroup(g, { targetGroup: TG }, { clusters: 2, services: 200 });
    expect(l.capped).toBe('only 2 of 3 clusters were searched');
    expect(g.calls).not.toContain('listServices batch 197');
    expect(l.clustersScanned).toBe(2);
  });

  it('caps the services across clusters: the next cluster gets what is left, a truncated one stops the scan', async () => {
    const g = gateway(world);
    const l = await findServicesByTargetGroup(g, { targetGroup: TG }, { clusters: 10, services: 2 });
    expect(g.calls).toEqual(['listClusters', 'listServices prod 2']);
    expect(l.capped).toBe('the search stopped after 2 services, before cluster staging');
    const g2 = gateway({ a: [svc('a', 'x')], b: [svc('b', 'y'), svc('b', 'web', TG)] });
    const l2 = await findServicesByTargetGroup(g2, { targetGroup: TG }, { clusters: 10, services: 2 });
    expect(g2.calls).toEqual(['listClusters', 'listServices a 2', 'listServices b 1']);
    expect(l2).toMatchObject({ matches: [], servicesScanned: 2, capped: 'the search stopped after 2 services, in cluster b' });
  });

  it('--cluster restricts the scan to that cluster without listing clusters; --service narrows the matches', async () => {
    const g = gateway({ ...world, staging: [...world.staging, svc('staging', 'web-b', TG), svc('staging', 'web-c', TG)] });
    const l = await findServicesByTargetGroup(g, { targetGroup: TG, cluster: 'staging', service: 'web-c' }, big);
    expect(g.calls).toEqual(['listServices staging 200']);
    expect(l.matches.map((m) => `${m.cluster}/${m.service}`)).toEqual(['staging/web-c']);
    await expect(findServicesByTargetGroup(gateway(world), { targetGroup: TG, cluster: 'nope' }, big)).rejects.toThrow('cluster nope not found');
  });
});
