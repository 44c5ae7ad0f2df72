import { getEventListeners } from 'node:events';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/cli/deps.js';
import type { Clock } from '../../../src/core/ports.js';
import { waitForRollout, type RolloutEvent } from '../../../src/core/rollback/rollout.js';
import { rolloutEventLine } from '../../../src/output/rollback-text.js';
import { applyRolloutEvent, RollbackProgress, type RollbackProgressProps } from '../../../src/ui/components/RollbackProgress.js';
import { deployment, FakeClock, FakeEcs, taskDef } from './fake-ecs.js';

const T1 = taskDef('web-api', 1).arn;
const opts = { cluster: 'prod', service: 'web-api', target: T1, timeoutMs: 600_000, pollMs: 5000 };

/** A service that stays IN_PROGRESS for `polls` describes, then completes. */
function slowRollout(polls: number): FakeEcs {
  const ecs = new FakeEcs([taskDef('web-api', 1), taskDef('web-api', 2)], 'web-api:2');
  ecs.service = { ...ecs.service, taskDefinition: T1 };
  ecs.onDescribe = (n, s) => ({ ...s, deployments: [deployment(T1, { rolloutState: n > polls ? 'COMPLETED' : 'IN_PROGRESS' })] });
  return ecs;
}

describe('rollback wait', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  afterEach(() => void process.off('warning', onWarning));

  it('the system clock sleep removes its abort listener: 60 polls on one signal leave none (today: 60, and a MaxListenersExceededWarning)', async () => {
    process.on('warning', onWarning);
    const signal = new AbortController().signal;
    // Injected time (no waiting on the wall clock); the real sleep, with 0 ms timers, is what is under test.
    let t = 0;
    const clock: Clock = { now: () => new Date(t), sleep: (ms, s) => ((t += 5000), systemClock.sleep(0 * ms, s)) };
    const r = await waitForRollout(slowRollout(60), clock, { ...opts, signal }, () => {});
    expect(r.state).toBe('completed');
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await new Promise((res) => setImmediate(res)); // warnings are emitted on the next tick
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('an aborted sleep still rejects at once', async () => {
    const c = new AbortController();
    const p = systemClock.sleep(60_000, c.signal);
    c.abort(new Error('interrupted'));
    await expect(p).rejects.toThrow('interrupted');
  });

  it('reports the elapsed time after every poll, not only when the status changes (today: "(0s)" throughout)', async () => {
    const events: RolloutEvent[] = [];
    await waitForRollout(slowRollout(4), new FakeClock(), opts, (e) => events.push(e));
    expect(events.filter((e) => e.type === 'tick').map((e) => e.elapsedMs)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    let props: RollbackProgressProps = { service: 'web-api', target: 'web-api:1', elapsedMs: 0, events: [] };
    for (const e of events) props = applyRolloutEvent(props, e, 0);
    expect(props.elapsedMs).toBe(20_000);
    const app = render(createElement(RollbackProgress, { ...props, status: undefined, measuredAt: undefined }));
    expect(app.lastFrame()).toContain('(20s)');
    app.unmount();
    expect(events.filter((e) => e.type === 'tick').map(rolloutEventLine).join('')).toBe(''); // no line per poll in plain text
  });

  it('honours --timeout as a deadline: with slow DescribeServices calls the wait still ends by it (today: one call late)', async () => {
    const clock = new FakeClock();
    const ecs = slowRollout(Infinity);
    const describe = ecs.describeService.bind(ecs);
    // Every DescribeServices takes 1.5 s (a slow API, SDK retries).
    ecs.describeService = async (c, s) => ((clock.t += 1500), describe(c, s));
    const start = clock.t;
    const r = await waitForRollout(ecs, clock, { ...opts, timeoutMs: 12_000 }, () => {});
    expect(r.state).toBe('timeout');
    expect(clock.t - start).toBeLessThanOrEqual(12_000);
    expect(clock.t - start).toBeGreaterThan(12_000 - opts.pollMs); // to the poll interval, not early
  });
});
