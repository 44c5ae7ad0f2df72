import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/core/audit/record.js';
import { EXIT, OpsctlError } from '../../../src/core/errors.js';
import { runRollback, type RollbackOptions } from '../../../src/core/rollback/run.js';
import { deployment, FakeClock, FakeEcs, taskDef } from './fake-ecs.js';

function setup(answer?: boolean, identityFails = false) {
  const ecs = new FakeEcs([taskDef('web-api', 1), taskDef('web-api', 2)], 'web-api:2');
  // The rollout completes on the first poll after the update.
  ecs.onDescribe = (_n, s) => (ecs.updates.length ? { ...s, deployments: [deployment(s.taskDefinition)] } : undefined);
  const records: AuditRecord[] = [];
  const asked: string[] = [];
  const deps = {
    ecs,
    clock: new FakeClock(),
    audit: { append: (r: AuditRecord) => void records.push(r) },
    identity: async () => {
      if (identityFails) throw new Error('no credentials');
      return { arn: 'arn:aws:iam::123456789012:user/alice', account: '123456789012' };
    },
    confirm: answer === undefined ? undefined : { ask: async (q: string) => (asked.push(q), answer) },
  };
  return { ecs, records, asked, deps };
}

const base: RollbackOptions = { cluster: 'prod', service: 'web-api', dryRun: false, yes: false, canPrompt: false, wait: true, timeoutMs: 60_000, pollMs: 1000, user: 'alice', region: 'us-east-1', reason: 'bad deploy' };
const view = { plan: () => {}, progress: () => {} };
const rejection = (p: Promise<unknown>): Promise<OpsctlError> =>
  p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as OpsctlError);
const trail = (rs: AuditRecord[]) => rs.map((r) => `${r.event}:${r.outcome}:${r.approval}`);

describe('runRollback', () => {
  it.each([
    { name: 'dry run', opts: { dryRun: true, yes: true }, answer: undefined, outcome: 'dry-run', updates: 0, trail: ['plan:dry-run:none'] },
    { name: '--yes', opts: { yes: true }, answer: undefined, outcome: 'completed', updates: 1, trail: ['plan:planned:none', 'decision:approved:--yes', 'outcome:completed:--yes'] },
    { name: 'tty yes', opts: { canPrompt: true }, answer: true, outcome: 'completed', updates: 1, trail: ['plan:planned:none', 'decision:approved:tty', 'outcome:completed:tty'] },
    { name: 'tty no', opts: { canPrompt: true }, answer: false, outcome: 'declined', updates: 0, trail: ['plan:planned:none', 'decision:declined:tty'] },
    { name: '--no-wait', opts: { yes: true, wait: false }, answer: undefined, outcome: 'started', updates: 1, trail: ['plan:planned:none', 'decision:approved:--yes', 'outcome:started:--yes'] },
  ])('$name → $outcome', async ({ opts, answer, outcome, updates, trail: want }) => {
    const { ecs, records, deps } = setup(answer);
    const r = await runRollback(deps, { ...base, ...opts }, view);
    expect(r.outcome).toBe(outcome);
    expect(ecs.updates.length).toBe(updates);
    expect(trail(records)).toEqual(want);
    expect(records.every((x) => x.id === r.id && x.from === 'web-api:2' && x.to === 'web-api:1' && x.reason === 'bad deploy' && x.account === '123456789012')).toBe(true);
  });

  it('asks the question naming the service and target', async () => {
    const { asked, deps } = setup(false);
    await runRollback(deps, { ...base, canPrompt: true }, view);
    expect(asked).toEqual(['Roll back web-api to web-api:1?']);
  });

  it('refuses without a terminal or --yes, changing nothing, and audits it', async () => {
    const { ecs, records, deps } = setup();
    const err = await rejection(runRollback(deps, base, view));
    expect(err.exitCode).toBe(EXIT.ABORTED);
    expect(err.hint).toMatch(/--yes/);
    expect(ecs.updates).toEqual([]);
    expect(trail(records)).toEqual(['plan:planned:none', 'decision:refused:none']);
  });

  it('aborts when the service changed after the plan was shown', async () => {
    const { ecs, records, deps } = setup();
    deps.confirm = { ask: async () => { ecs.service = { ...ecs.service, taskDefinition: taskDef('web-api', 1).arn }; return true; } };
    const err = await rejection(runRollback(deps, { ...base, canPrompt: true }, view));
    expect(err.exitCode).toBe(EXIT.ABORTED);
    expect(err.message).toMatch(/changed since the plan was shown/);
    expect(ecs.updates).toEqual([]);
    expect(trail(records)).toEqual(['plan:planned:none', 'decision:approved:tty', 'outcome:aborted:tty']);
  });

  it('audits a refused plan and a failed identity lookup', async () => {
    const { ecs, records, deps } = setup(undefined, true);
    ecs.service = { ...ecs.service, status: 'DRAINING' };
    await expect(runRollback(deps, { ...base, yes: true }, view)).rejects.toThrow(/not ACTIVE/);
    expect(trail(records)).toEqual(['plan:refused:none']);
    expect(records[0].caller).toBeUndefined();
    expect(records[0].detail).toMatch(/DRAINING/);
  });

  it('returns failed with the reason and audits it', async () => {
    const { ecs, records, deps } = setup();
    ecs.onDescribe = (_n, s) => (ecs.updates.length ? { ...s, deployments: [deployment(s.taskDefinition, { rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker tripped' })] } : undefined);
    const r = await runRollback(deps, { ...base, yes: true }, view);
    expect(r.outcome).toBe('failed');
    expect(records.at(-1)).toMatchObject({ event: 'outcome', outcome: 'failed' });
    expect(records.at(-1)?.detail).toMatch(/circuit breaker/);
  });

  it('audits an UpdateService error and rethrows it', async () => {
    const { ecs, records, deps } = setup();
    ecs.updateService = async () => { throw new OpsctlError('aws', 'access denied: ecs:UpdateService'); };
    await expect(runRollback(deps, { ...base, yes: true }, view)).rejects.toThrow(/ecs:UpdateService/);
    expect(trail(records).at(-1)).toBe('outcome:error:--yes');
  });
});
