import { describe, expect, it } from 'vitest';
import { OpsctlError, EXIT } from '../../../src/core/errors.js';
import { chooseTarget, planRollback } from '../../../src/core/rollback/plan.js';
import { deployment, FakeEcs, taskDef } from './fake-ecs.js';

const revs = (...n: number[]) => n.map((r) => taskDef('web-api', r));

describe('chooseTarget', () => {
  it.each([
    { current: 5, active: [1, 2, 3, 4, 5], inactive: [], want: 4, skipped: [] },
    { current: 5, active: [1, 2, 5], inactive: [3, 4], want: 2, skipped: [4, 3] },
    { current: 3, active: [1, 3, 4, 5], inactive: [2], want: 1, skipped: [2] },
    { current: 5, active: [5, 3, 1, 4], inactive: [], want: 4, skipped: [] },
  ])('current $current, active $active → $want', ({ current, active, inactive, want, skipped }) => {
    expect(chooseTarget({ family: 'web-api', revision: current }, active, inactive)).toEqual({ revision: want, skipped });
  });

  it.each([
    { active: [1], inactive: [], msg: /no earlier revision/ },
    { active: [3, 4], inactive: [1, 2], msg: /deregistered/ },
  ])('refuses when nothing earlier is ACTIVE ($active)', ({ active, inactive, msg }) => {
    expect(() => chooseTarget({ family: 'web-api', revision: active[0] }, active, inactive)).toThrow(msg);
  });
});

type Case = { name: string; ecs: () => FakeEcs; to?: string; force?: boolean; cluster?: string; service?: string };

const refusals: Array<Case & { message: RegExp; exit: number }> = [
  { name: 'no earlier revision', ecs: () => new FakeEcs(revs(1), 'web-api:1'), message: /no earlier revision/, exit: EXIT.ABORTED },
  { name: 'target is current', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), to: 'web-api:2', message: /already runs web-api:2/, exit: EXIT.ABORTED },
  { name: 'service not ACTIVE', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2', { status: 'DRAINING' }), message: /DRAINING, not ACTIVE/, exit: EXIT.ABORTED },
  {
    name: 'deployment in progress',
    ecs: () => new FakeEcs(revs(1, 2), 'web-api:2', { deployments: [deployment('web-api:2', { rolloutState: 'IN_PROGRESS' })] }),
    message: /deployment is already in progress/, exit: EXIT.ABORTED,
  },
  {
    name: 'two deployments',
    ecs: () => new FakeEcs(revs(1, 2), 'web-api:2', { deployments: [deployment('web-api:2'), deployment('web-api:1', { status: 'ACTIVE' })] }),
    message: /in progress/, exit: EXIT.ABORTED,
  },
  { name: 'INACTIVE --to', ecs: () => new FakeEcs([...revs(2, 3), taskDef('web-api', 1, { status: 'INACTIVE' })], 'web-api:3'), to: '1', message: /web-api:1 is INACTIVE/, exit: EXIT.ABORTED },
  { name: 'other family', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), to: 'worker:1', message: /not a revision of web-api/, exit: EXIT.ABORTED },
  { name: 'malformed --to', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), to: 'web api', message: /not a task definition/, exit: EXIT.USAGE },
  { name: 'unknown --to', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), to: 'web-api:9', message: /not found/, exit: EXIT.AWS },
  { name: 'cluster not found', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), cluster: 'nope', message: /cluster nope not found/, exit: EXIT.AWS },
  { name: 'service not found', ecs: () => new FakeEcs(revs(1, 2), 'web-api:2'), service: 'nope', message: /service nope not found/, exit: EXIT.AWS },
];

describe('planRollback refusals', () => {
  it.each(refusals)('$name', async ({ ecs, to, force, cluster, service, message, exit }) => {
    const err = await planRollback(ecs(), { cluster: cluster ?? 'prod', service: service ?? 'web-api', to, force }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).message).toMatch(message);
    expect((err as OpsctlError).exitCode).toBe(exit);
    expect((err as OpsctlError).hint).toBeTruthy();
  });
});

describe('planRollback', () => {
  it.each([
    { name: 'latest earlier ACTIVE', defs: revs(1, 2, 3), current: 'web-api:3', to: undefined, want: 'web-api:2', skipped: [] },
    { name: 'skips INACTIVE', defs: [...revs(1, 4), taskDef('web-api', 2, { status: 'INACTIVE' }), taskDef('web-api', 3, { status: 'INACTIVE' })], current: 'web-api:4', to: undefined, want: 'web-api:1', skipped: ['web-api:3', 'web-api:2'] },
    { name: '--to family:rev', defs: revs(1, 2, 3), current: 'web-api:3', to: 'web-api:1', want: 'web-api:1', skipped: [] },
    { name: '--to bare revision', defs: revs(1, 2, 3), current: 'web-api:3', to: '1', want: 'web-api:1', skipped: [] },
    { name: '--to ARN', defs: revs(1, 2, 3), current: 'web-api:3', to: 'arn:aws:ecs:us-east-1:1:task-definition/web-api:2', want: 'web-api:2', skipped: [] },
  ])('$name → $want', async ({ defs, current, to, want, skipped }) => {
    const plan = await planRollback(new FakeEcs(defs, current), { cluster: 'prod', service: 'web-api', to });
    expect(plan.from).toBe(current);
    expect(plan.to).toBe(want);
    expect(plan.skipped).toEqual(skipped);
    expect(plan.desiredCount).toBe(2);
  });

  it('--force lets a running deployment through with a warning', async () => {
    const ecs = new FakeEcs(revs(1, 2), 'web-api:2', { deployments: [deployment('web-api:2', { rolloutState: 'IN_PROGRESS' })] });
    const plan = await planRollback(ecs, { cluster: 'prod', service: 'web-api', force: true });
    expect(plan.to).toBe('web-api:1');
    expect(plan.warnings.join()).toMatch(/--force/);
  });

  it('warns when --to rolls forward', async () => {
    const plan = await planRollback(new FakeEcs(revs(1, 2, 3), 'web-api:2'), { cluster: 'prod', service: 'web-api', to: '3' });
    expect(plan.warnings.join()).toMatch(/rolls forward/);
  });

  it('diffs images, env names, cpu/memory and task role without values', async () => {
    const old = taskDef('web-api', 1, { cpu: '512', taskRoleArn: 'arn:aws:iam::1:role/old', containers: [
      { name: 'app', image: 'repo/app:v1', envNames: ['DB_URL', 'LOG_LEVEL'] },
      { name: 'sidecar', image: 'envoy:1', envNames: [] },
    ] });
    const cur = taskDef('web-api', 2, { containers: [
      { name: 'app', image: 'repo/app:v2', envNames: ['FEATURE_X', 'LOG_LEVEL'] },
      { name: 'xray', image: 'xray:3', envNames: [] },
    ] });
    const plan = await planRollback(new FakeEcs([old, cur], 'web-api:2'), { cluster: 'prod', service: 'web-api' });
    expect(plan.containers).toEqual([
      { name: 'app', kind: 'changed', imageFrom: 'repo/app:v2', imageTo: 'repo/app:v1', envAdded: ['DB_URL'], envRemoved: ['FEATURE_X'] },
      { name: 'xray', kind: 'removed', imageFrom: 'xray:3', imageTo: undefined, envAdded: [], envRemoved: [] },
      { name: 'sidecar', kind: 'added', imageFrom: undefined, imageTo: 'envoy:1', envAdded: [], envRemoved: [] },
    ]);
    expect(plan.fields).toEqual([
      { field: 'cpu', from: '256', to: '512' },
      { field: 'taskRole', from: 'arn:aws:iam::123456789012:role/web', to: 'arn:aws:iam::1:role/old' },
    ]);
  });
});
