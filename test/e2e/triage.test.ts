import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { hasMoto, useEnv, type Moto } from '../helpers/moto.js';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { CPU_VALUES, seedAlarms } from '../core/triage/moto-alarms.js';
import { seedTargetGroupService, STOREFRONT_TG } from '../core/triage/moto-lb.js';

// The CloudWatch and ECS providers read AWS settings the SDK way (process.env), so each run sets process.env.
const tmp = tempDirs('opsctl-triage-');
let moto: Moto;
let cwd = '';
let restore: (() => void) | undefined;

/** Runs triage against moto with the bundled runbooks and a temp index (built on the first run). */
function triage(args: string[]) {
  restore = useEnv(moto.env);
  return runOpsctl(['triage', ...args, '--runbooks', BUNDLED_RUNBOOKS, '--index-dir', join(cwd, 'index')], { cwd });
}

describe.skipIf(!hasMoto)('opsctl triage against moto', () => {
  beforeAll(async () => {
    [moto, cwd] = await Promise.all([startSeededMoto(), tmp.make()]);
    await seedAlarms(moto);
    await seedTargetGroupService(moto);
  });

  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  afterAll(async () => {
    await moto?.stop();
    await tmp.cleanup();
  });

  it('an ECS CPU alarm → the service, its metric, the rollback dry run and runbook sections (JSON)', async () => {
    const r = await triage(['--alarm', 'web-api-CPU-High', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('opsctl.triage/v1');
    expect(j.classification).toMatchObject({ kind: 'ecs-cpu', deployRelated: true, service: { cluster: 'prod', service: 'web-api', from: 'alarm' } });
    expect(j.metric.status).toBe('ok');
    expect(j.metric.value.points.map((p: { value: number }) => p.value)).toEqual(CPU_VALUES);
    expect(j.metric.value).toMatchObject({ min: Math.min(...CPU_VALUES), max: Math.max(...CPU_VALUES), last: CPU_VALUES.at(-1), threshold: 80 });
    expect(j.alarmAt.status).toBe('ok');
    expect(Date.parse(j.alarmAt.value)).toBeGreaterThan(0);
    expect(j.service.value).toMatchObject({ cluster: 'prod', service: 'web-api', status: 'ACTIVE', taskDefinition: 'web-api:4' });
    // web-api:3 is deregistered, so the rollback target is web-api:2.
    expect(j.rollback.value).toMatchObject({ possible: true, from: 'web-api:4', to: 'web-api:2', skipped: ['web-api:3'] });
    expect(j.next[0].command).toBe('opsctl rollback --cluster prod --service web-api --dry-run');
    expect(j.runbooks.status).toBe('ok');
    expect(j.runbooks.value.sections.length).toBeGreaterThan(0);
    expect(j.runbooks.value.sections[0].file).toMatch(/ecs-tasks-failing\.md$/);
    // Triage changes nothing.
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
  });

  it('plain text names the service, draws the metric and ends with the exact next command', async () => {
    const r = await triage(['--alarm', 'web-api-CPU-High']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.includes('\u001b')).toBe(false);
    expect(r.stdout).toMatch(/^Alarm web-api-CPU-High: ALARM/);
    expect(r.stdout).toContain('ECS service: prod/web-api');
    expect(r.stdout).toMatch(/[▁▂▃▄▅▆▇█]{10}\s+min 20\s+max 96\s+last 96/);
    expect(r.stdout).toContain('Rollback: possible, web-api:4 → web-api:2');
    expect(r.stdout).toMatch(/Runbooks:\n\s+1\. .*ecs-tasks-failing\.md:\d+-\d+/);
    expect(r.stdout).toMatch(/Next:\n {2}opsctl rollback --cluster prod --service web-api --dry-run\n/);
  });

  it('an ALB 5xx alarm → alb-5xx.md first, and which flags name the ECS service', async () => {
    const r = await triage(['--alarm', 'ALB-5xx-High', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.classification).toMatchObject({ kind: 'lb-5xx', service: null, resource: 'app/prod-public-alb/0123456789abcdef' });
    expect(j.runbooks.value.sections[0].file).toMatch(/alb-5xx\.md$/);
    expect(j.service).toMatchObject({ status: 'skipped' });
    expect(j.next[0].command).toBe('opsctl triage --alarm ALB-5xx-High --cluster CLUSTER --service SERVICE');
    expect(j.metric).toMatchObject({ status: 'ok', value: { points: [], min: null } });
  });

  it('an ALB 5xx alarm with --cluster/--service hints → that service and its rollback', async () => {
    const r = await triage(['--alarm', 'ALB-5xx-High', '--cluster', 'prod', '--service', 'web-api', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.classification.service).toEqual({ cluster: 'prod', service: 'web-api', from: 'flags' });
    expect(j.rollback.value).toMatchObject({ possible: true, to: 'web-api:2' });
    expect(j.next[0].command).toBe('opsctl rollback --cluster prod --service web-api --dry-run');
  });

  it('an ALB alarm naming only its target group → the one ECS service on it, its rollback and the next command (JSON)', async () => {
    const r = await triage(['--alarm', 'Storefront-Target-5xx', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.serviceLookup).toMatchObject({ status: 'ok', value: { targetGroup: STOREFRONT_TG, clustersScanned: 2, servicesScanned: 3, capped: null, failures: [] } });
    // The decoy on targetgroup/xstorefront/… (same suffix) is not a match.
    expect(j.serviceLookup.value.matches).toEqual([{ cluster: 'edge', service: 'storefront', targetGroupArn: expect.stringMatching(new RegExp(`:${STOREFRONT_TG}$`)) }]);
    expect(j.classification).toMatchObject({ kind: 'lb-5xx', service: { cluster: 'edge', service: 'storefront', from: 'target-group' }, serviceHint: null });
    expect(j.service.value).toMatchObject({ cluster: 'edge', service: 'storefront', taskDefinition: 'storefront:2' });
    expect(j.rollback.value).toMatchObject({ possible: true, from: 'storefront:2', to: 'storefront:1' });
    expect(j.next[0].command).toBe('opsctl rollback --cluster edge --service storefront --dry-run');
  });

  it('a hinted service that does not exist is reported, not fatal', async () => {
    const r = await triage(['--alarm', 'ALB-5xx-High', '--cluster', 'prod', '--service', 'nope']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Service: could not check: .*nope/);
    expect(r.stdout).toMatch(/Runbooks:\n\s+1\. .*alb-5xx\.md/);
  });

  it('an RDS alarm → runbooks only, no ECS', async () => {
    const r = await triage(['--alarm', 'RDS-CPU-High', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.classification).toMatchObject({ kind: 'rds', deployRelated: false, service: null });
    expect(j.runbooks.value.sections[0].file).toMatch(/rds-cpu-spike\.md$/);
    expect(j.next.map((s: { command: string }) => s.command)).toEqual(['opsctl ask --alarm RDS-CPU-High']);
  });

  it('a missing alarm → AWS 8 with a hint, nothing on stdout', async () => {
    const r = await triage(['--alarm', 'No-Such-Alarm']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^opsctl: no CloudWatch alarm named No-Such-Alarm in us-east-1\n {2}hint: .*describe-alarms/);
    expect(r.stdout).toBe('');
  });

  it('the index lock held by another `opsctl index`: answers from the last good index, one warning line (issue 17)', async () => {
    const copy = await tmp.withCopy(BUNDLED_RUNBOOKS);
    const args = ['triage', '--alarm', 'RDS-CPU-High', '--json', '--runbooks', join(copy, 'runbooks'), '--index-dir', join(copy, 'idx')];
    restore = useEnv(moto.env);
    expect((await runOpsctl(args, { cwd: copy })).code).toBe(0);
    appendFileSync(join(copy, 'runbooks', 'rds-cpu-spike.md'), '\nAlso check the slow query log.\n');
    // The parent of this test process is alive and is not us: exactly a concurrent `opsctl index`.
    writeFileSync(join(copy, 'idx', 'lock'), JSON.stringify({ pid: process.ppid, since: new Date().toISOString() }));
    const r = await runOpsctl(args, { cwd: copy });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runbooks.value.sections[0].file).toMatch(/rds-cpu-spike\.md$/);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('opsctl: warning: answering from the last good index'))).toHaveLength(1);
  });

  it('no --alarm → usage 2 with an example', async () => {
    const r = await runOpsctl(['triage'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/triage needs --alarm NAME\n {2}hint: example: opsctl triage --alarm/);
  });
});
