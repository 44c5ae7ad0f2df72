import type { Clock, EcsDeployment, EcsGateway, EcsServiceInfo } from '../ports.js';
import { sameTaskDef } from './task-def-ref.js';

export type RolloutState = 'completed' | 'failed' | 'in-progress';

export interface RolloutStatus {
  state: RolloutState;
  /** Why it failed or what it is doing, in one line. */
  detail: string;
  deployment?: EcsDeployment;
}

/**
 * Reads a service's state for a rollout to `target`. ECS reports rolloutState on the deployment; when it is
 * absent (older controllers, moto, which never runs a deployment) a lone PRIMARY deployment with every task
 * running counts as completed. A service that no longer points at the target was rolled back or overridden.
 */
export function rolloutStatus(svc: EcsServiceInfo, target: string): RolloutStatus {
  const dep = svc.deployments.find((d) => sameTaskDef(d.taskDefinition, target));
  const counts = (d: { runningCount: number; desiredCount: number; pendingCount: number }) =>
    `${d.runningCount}/${d.desiredCount} running, ${d.pendingCount} pending`;
  if (!sameTaskDef(svc.taskDefinition, target) && (!dep || dep.status !== 'PRIMARY')) {
    const why = dep?.rolloutState === 'FAILED' && dep.rolloutStateReason ? `: ${dep.rolloutStateReason}` : '';
    return { state: 'failed', detail: `the service now runs ${svc.taskDefinition.split('/').pop()}${why}`, deployment: dep };
  }
  if (dep) {
    const reason = dep.rolloutStateReason ? ` (${dep.rolloutStateReason})` : '';
    if (dep.rolloutState === 'COMPLETED') return { state: 'completed', detail: `${counts(dep)}${reason}`, deployment: dep };
    if (dep.rolloutState === 'FAILED') return { state: 'failed', detail: `deployment failed${reason}, ${dep.failedTasks} failed tasks`, deployment: dep };
    const settled = !dep.rolloutState && dep.status === 'PRIMARY' && svc.deployments.length === 1 && dep.runningCount >= dep.desiredCount && dep.pendingCount === 0;
    return { state: settled ? 'completed' : 'in-progress', detail: counts(dep), deployment: dep };
  }
  // The service points at the target but lists no deployment for it (moto does this): judge by the service.
  const settled = svc.runningCount >= svc.desiredCount && svc.pendingCount === 0;
  return { state: settled ? 'completed' : 'in-progress', detail: counts(svc) };
}

export type RolloutEvent =
  | { type: 'status'; status: RolloutStatus; elapsedMs: number }
  /** After every poll, changed or not: lets a live view keep its elapsed time current. */
  | { type: 'tick'; elapsedMs: number }
  | { type: 'service-event'; at?: Date; message: string };

export interface WaitOptions {
  cluster: string;
  service: string;
  target: string;
  timeoutMs: number;
  /** Time between DescribeServices calls. */
  pollMs: number;
  /** Service event ids already seen before the update; only newer events are reported. */
  seenEventIds?: Iterable<string>;
  signal?: AbortSignal;
}

export interface WaitResult {
  state: 'completed' | 'failed' | 'timeout';
  detail: string;
  elapsedMs: number;
}

/**
 * Polls the service until the rollout to `target` completes or fails, or `timeoutMs` passes. Reports each
 * status change and each new service event (oldest first) through `onEvent`, and a tick after every poll.
 * Sleeps via the Clock port. The timeout is a deadline: the last poll is timed (by the latency of the one
 * before) to return by it, instead of starting at it and ending one DescribeServices call late.
 */
export async function waitForRollout(ecs: EcsGateway, clock: Clock, opts: WaitOptions, onEvent: (e: RolloutEvent) => void): Promise<WaitResult> {
  const start = clock.now().getTime();
  const seen = new Set(opts.seenEventIds ?? []);
  let last = '';
  for (;;) {
    const before = clock.now().getTime();
    const svc = await ecs.describeService(opts.cluster, opts.service);
    const elapsedMs = clock.now().getTime() - start;
    const latency = clock.now().getTime() - before;
    for (const ev of [...svc.events].reverse()) {
      if (seen.has(ev.id)) continue;
      seen.add(ev.id);
      onEvent({ type: 'service-event', at: ev.createdAt, message: ev.message });
    }
    const status = rolloutStatus(svc, opts.target);
    const key = `${status.state}|${status.detail}`;
    if (key !== last) onEvent({ type: 'status', status, elapsedMs });
    last = key;
    onEvent({ type: 'tick', elapsedMs });
    if (status.state !== 'in-progress') return { state: status.state, detail: status.detail, elapsedMs };
    // The next poll must end by the deadline; if it cannot even start in time, this was the last one.
    const room = opts.timeoutMs - elapsedMs - latency;
    if (elapsedMs >= opts.timeoutMs || room <= 0) return { state: 'timeout', detail: `still in progress after ${Math.round(elapsedMs / 1000)}s: ${status.detail}`, elapsedMs };
    await clock.sleep(Math.min(opts.pollMs, room), opts.signal);
  }
}
