import { describe, expect, it } from 'vitest';
import type { EcsServiceInfo } from '../../../src/core/ports.js';
import { rolloutStatus, waitForRollout, type RolloutEvent } from '../../../src/core/rollback/rollout.js';
import { deployment, FakeClock, FakeEcs, taskDef } from './fake-ecs.js';

const T1 = taskDef('web-api', 1).arn;
const T2 = taskDef('web-api', 2).arn;

function svc(over: Partial<EcsServiceInfo>): EcsServiceInfo {
  return { cluster: 'prod', name: 'web-api', status: 'ACTIVE', taskDefinition: T1, desiredCount: 2, runningCount: 2, pendingCount: 0, deployments: [], events: [], ...over };
}

describe('rolloutStatus', () => {
  it.each([
    { name: 'COMPLETED', s: svc({ deployments: [deployment(T1)] }), want: 'completed' },
    { name: 'FAILED', s: svc({ deployments: [deployment(T1, { rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' })] }), want: 'failed' },
    { name: 'IN_PROGRESS', s: svc({ deployments: [deployment(T1, { rolloutState: 'IN_PROGRESS' })] }), want: 'in-progress' },
    { name: 'no rolloutState, lone PRIMARY fully running', s: svc({ deployments: [deployment(T1, { rolloutState: undefined })] }), want: 'completed' },
    { name: 'no rolloutState, still pending', s: svc({ deployments: [deployment(T1, { rolloutState: undefined, runningCount: 1, pendingCount: 1 })] }), want: 'in-progress' },
    { name: 'no rolloutState, old deployment draining', s: svc({ deployments: [deployment(T1, { rolloutState: undefined }), deployment(T2, { status: 'ACTIVE' })] }), want: 'in-progress' },
    { name: 'moto: no deployment for target, service settled', s: svc({ deployments: [deployment(T2)] }), want: 'completed' },
    { name: 'moto: no deployment for target, tasks pending', s: svc({ runningCount: 0, pendingCount: 2, deployments: [deployment(T2)] }), want: 'in-progress' },
    { name: 'service moved to another revision', s: svc({ taskDefinition: T2, deployments: [deployment(T2), deployment(T1, { status: 'ACTIVE', rolloutState: 'FAILED' })] }), want: 'failed' },
  ])('$name → $want', ({ s, want }) => {
    expect(rolloutStatus(s, 'web-api:1').state).toBe(want);
  });
});

function walk(final: 'COMPLETED' | 'FAILED') {
  const ecs = new FakeEcs([taskDef('web-api', 1), taskDef('web-api', 2)], 'web-api:2');
  // Each DescribeServices moves the rollout one step: IN_PROGRESS (0/2) → IN_PROGRESS (1/2) → final.
  ecs.onDescribe = (n, s) => {
    const running = Math.min(n, 2);
    const state = n >= 3 ? final : 'IN_PROGRESS';
    return { ...s, events: [{ id: `e${n}`, createdAt: new Date(n * 1000), message: `step ${n}` }, ...s.events],
      deployments: [deployment(T1, { rolloutState: state, runningCount: final === 'FAILED' ? 0 : running, pendingCount: 2 - running, failedTasks: final === 'FAILED' ? n : 0, rolloutStateReason: state === 'FAILED' ? 'tasks failed to start' : undefined })] };
  };
  ecs.service = { ...ecs.service, taskDefinition: T1, events: [{ id: 'old', message: 'before the update' }] };
  return ecs;
}

describe('waitForRollout', () => {
  const opts = { cluster: 'prod', service: 'web-api', target: T1, timeoutMs: 600_000, pollMs: 5000, seenEventIds: ['old'] };

  it('walks IN_PROGRESS → COMPLETED, reporting progress and new events in order', async () => {
    const events: RolloutEvent[] = [];
    const clock = new FakeClock();
    const r = await waitForRollout(walk('COMPLETED'), clock, opts, (e) => events.push(e));
    expect(r.state).toBe('completed');
    expect(events.filter((e) => e.type === 'service-event').map((e) => e.type === 'service-event' && e.message)).toEqual(['step 1', 'step 2', 'step 3']);
    expect(events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status.state)).toEqual(['in-progress', 'in-progress', 'completed']);
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  it('walks IN_PROGRESS → FAILED with the reason', async () => {
    const r = await waitForRollout(walk('FAILED'), new FakeClock(), opts, () => {});
    expect(r.state).toBe('failed');
    expect(r.detail).toMatch(/tasks failed to start/);
  });

  it('times out when the deployment never settles, sleeping no longer than the timeout', async () => {
    const ecs = walk('COMPLETED');
    ecs.onDescribe = (_n, s) => ({ ...s, deployments: [deployment(T1, { rolloutState: 'IN_PROGRESS' })] });
    const clock = new FakeClock();
    const r = await waitForRollout(ecs, clock, { ...opts, timeoutMs: 12_000 }, () => {});
    expect(r.state).toBe('timeout');
    expect(clock.sleeps).toEqual([5000, 5000, 2000]);
    expect(ecs.describeCalls).toBe(4);
  });
});
