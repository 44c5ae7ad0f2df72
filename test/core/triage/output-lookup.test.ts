import { describe, expect, it } from 'vitest';
import { SCAN_LIMITS } from '../../../src/core/triage/find-service.js';
import { triageAlarm } from '../../../src/core/triage/triage.js';
import { triageJson } from '../../../src/output/triage-json.js';
import { triageText } from '../../../src/output/triage-text.js';
import { fakeWorld, TG_ARN, type FakeWorld } from './fakes.js';

const TG = 'targetgroup/web-api/0123456789abcdef';

function sibling(w: FakeWorld, cluster: string, name: string, tg = 'web-api') {
  w.others.push({ ...w.others[0], cluster, name, loadBalancers: [{ targetGroupArn: TG_ARN(tg) }] });
}

async function text(alarm: string, change: (w: FakeWorld) => void = () => {}, fail?: 'listClusters' | 'listServices') {
  const w = fakeWorld(fail);
  change(w);
  return triageText(await triageAlarm(w.deps, { alarm }), 'runbooks');
}

describe('triage presenters: the target group lookup', () => {
  it.each<{ what: string; alarm?: string; change?: (w: FakeWorld) => void; fail?: 'listClusters' | 'listServices'; lines: string[]; not?: string[] }>([
    {
      what: 'found',
      lines: ["  ECS service: prod/web-api (named by the alarm's target group)", `  target group ${TG}: 1 ECS service uses it (2 clusters, 2 services searched)\n`, 'Rollback: possible, web-api:4 → web-api:2'],
    },
    {
      what: 'several candidates with the flags to pick each',
      change: (w) => sibling(w, 'staging', "web api'blue"),
      lines: [
        `  ECS service: unknown: 2 ECS services use target group ${TG}: pass --cluster and --service to pick one`,
        `  target group ${TG}: 2 ECS services use it (2 clusters, 3 services searched)`,
        '    prod/web-api: pick it with --cluster prod --service web-api',
        `    staging/web api'blue: pick it with --cluster staging --service 'web api'\\''blue'`,
        'Next:\n  opsctl triage --alarm ALB-Target-5xx --cluster prod --service web-api\n',
      ],
      not: ['Rollback:'],
    },
    {
      what: 'none found, with where it looked',
      change: (w) => { w.service.loadBalancers = []; },
      lines: [`  ECS service: unknown: no ECS service uses target group ${TG} (2 clusters, 2 services searched); `, `  target group ${TG}: no ECS services use it (2 clusters, 2 services searched)`],
    },
    {
      what: 'capped',
      change: (w) => { for (let i = 0; i < SCAN_LIMITS.clusters; i++) sibling(w, `c${i}`, 'svc', 'other'); },
      lines: [`    search capped: only ${SCAN_LIMITS.clusters} of ${SCAN_LIMITS.clusters + 2} clusters were searched; pass --cluster to search one cluster fully`],
    },
    {
      what: 'failed',
      fail: 'listClusters',
      lines: ['  target group lookup: could not check: access denied: listClusters\n  hint: grant it (listClusters)', '  ECS service: unknown: the alarm does not name'],
    },
    {
      what: 'not done: a load balancer alarm without a TargetGroup dimension',
      alarm: 'ALB-5xx-High',
      lines: ['  target group lookup: not done: the alarm has no TargetGroup dimension'],
    },
    {
      what: 'nothing about it for an ECS alarm that names its service',
      alarm: 'web-api-CPU-High',
      lines: ["ECS service: prod/web-api (named by the alarm's dimensions)"],
      not: ['target group'],
    },
  ])('text: $what', async ({ alarm = 'ALB-Target-5xx', change, fail, lines, not = [] }) => {
    const t = await text(alarm, change, fail);
    for (const l of lines) expect(t).toContain(l);
    for (const l of not) expect(t).not.toContain(l);
  });

  it('text: a cluster that could not be searched is named; the others still count', async () => {
    const w = fakeWorld();
    sibling(w, 'locked', 'x', 'other');
    const list = w.deps.ecs.listServices.bind(w.deps.ecs);
    w.deps.ecs.listServices = async (cluster, limit) => {
      if (cluster === 'locked') throw new Error('access denied: ecs:ListServices');
      return list(cluster, limit);
    };
    const t = triageText(await triageAlarm(w.deps, { alarm: 'ALB-Target-5xx' }), 'runbooks');
    expect(t).toContain(`  target group ${TG}: 1 ECS service uses it (2 clusters, 2 services searched)\n    could not search cluster locked: access denied: ecs:ListServices\n`);
  });

  it('json: classification.service.from "target-group" and serviceLookup with matches, scope, capped null', async () => {
    const j = triageJson(await triageAlarm(fakeWorld().deps, { alarm: 'ALB-Target-5xx' }), 'runbooks');
    expect(j.classification.service).toEqual({ cluster: 'prod', service: 'web-api', from: 'target-group' });
    expect(j.serviceLookup).toEqual({
      status: 'ok',
      value: { targetGroup: TG, matches: [{ cluster: 'prod', service: 'web-api', targetGroupArn: TG_ARN('web-api') }], clustersScanned: 2, servicesScanned: 2, capped: null, failures: [] },
    });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('json: a skipped lookup says why', async () => {
    const j = triageJson(await triageAlarm(fakeWorld().deps, { alarm: 'web-api-CPU-High' }), 'runbooks');
    expect(j.serviceLookup).toEqual({ status: 'skipped', reason: 'the ECS service is already named' });
  });
});
