import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps, type Deps } from '../../src/cli/deps.js';
import type { Clock } from '../../src/core/ports.js';
import { motoCloudWatch } from '../helpers/alarms.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { hasMoto, useEnv, type Moto } from '../helpers/moto.js';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { seedAlarms } from '../core/triage/moto-alarms.js';

const ALARM = 'web-api-CPU-High';
const tmp = tempDirs('opsctl-incident-loop-');
let moto: Moto;
let cwd = '';
let restore: (() => void) | undefined;

/** Virtual time: sleeping advances it at once, so a 10-minute verify timeout passes without waiting. */
function virtualClock(): Clock & { slept: number[] } {
  let now = Date.parse('2026-11-02T10:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
}

async function setAlarm(state: 'OK' | 'ALARM'): Promise<void> {
  const cw = motoCloudWatch(moto);
  await cw.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: `test set ${state}` }));
  cw.destroy();
}

/** Deps whose alarm source sets the alarm back to OK in moto right after the first poll has seen it in ALARM. */
function recoveringDeps(clock: Clock, polls: string[]): Deps {
  const base = defaultDeps();
  return {
    ...base,
    clock,
    alarms: async (config) => {
      const real = await base.alarms(config);
      return {
        describeAlarm: async (name) => {
          const a = await real.describeAlarm(name);
          polls.push(a.state ?? '?');
          if (polls.length === 1) await setAlarm('OK');
          return a;
        },
      };
    },
  };
}

function opsctl(args: string[], deps?: Deps) {
  restore = useEnv(moto.env);
  return runOpsctl(args, { cwd, env: { XDG_STATE_HOME: join(cwd, 'state') }, deps });
}
const triage = () => opsctl(['triage', '--alarm', ALARM, '--record', '--json', '--runbooks', BUNDLED_RUNBOOKS, '--index-dir', join(cwd, 'index')]);

describe.skipIf(!hasMoto)('incident loop against moto: triage → rollback --incident → alarm OK → resolved → regression', () => {
  beforeAll(async () => {
    [moto, cwd] = await Promise.all([startSeededMoto(), tmp.make()]);
    await seedAlarms(moto);
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
  afterAll(async () => {
    await moto?.stop();
    await tmp.cleanup();
  });

  it('closes the loop, then catches the regression and names the rollback', async () => {
    // 1. triage records a new incident and its next command carries it.
    const t1 = await triage();
    expect(t1.code, t1.stderr).toBe(0);
    const j1 = JSON.parse(t1.stdout);
    expect(j1.incident).toMatchObject({ schema: 'opsctl.incident/v1', status: 'new', incident: { id: 'INC-1', service: 'web-api', status: 'open' } });
    expect(j1.incident.incident.runbooks.length).toBeGreaterThan(0);
    expect(j1.next[0].command).toBe('opsctl rollback --cluster prod --service web-api --incident INC-1 --dry-run');

    // 2. the rollback completes; the first poll sees ALARM, moto then says OK, and the incident is resolved.
    const polls: string[] = [];
    const r = await opsctl(['rollback', '--cluster', 'prod', '--service', 'web-api', '--yes', '--incident', 'INC-1', '--poll', '1s'], recoveringDeps(virtualClock(), polls));
    expect(r.code, r.stderr).toBe(0);
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:2', desired: 2 });
    expect(polls).toEqual(['ALARM', 'OK']);
    expect(r.stdout).toContain('INC-1 resolved: rolling back web-api to web-api:2; alarm web-api-CPU-High is OK');
    const shown = JSON.parse((await opsctl(['incident', 'show', 'INC-1', '--json'])).stdout);
    expect(shown.incident).toMatchObject({ status: 'resolved', resolved: { resolution: 'rolling back web-api to web-api:2' } });

    // 3. the same failure again: a regression that says what fixed it last time.
    await setAlarm('ALARM');
    const t2 = await triage();
    const j2 = JSON.parse(t2.stdout);
    expect(j2.incident).toMatchObject({ status: 'regression', incident: { id: 'INC-2', regressionOf: 'INC-1' }, previous: { id: 'INC-1', resolved: { resolution: 'rolling back web-api to web-api:2' } } });
    const text = await opsctl(['triage', '--alarm', ALARM, '--record', '--runbooks', BUNDLED_RUNBOOKS, '--index-dir', join(cwd, 'index')]);
    expect(text.stdout).toMatch(/^seen before: INC-2 \(open since 2026-/);
    expect((await opsctl(['incident', 'show', 'INC-2'])).stdout).toMatch(/regression of INC-1 \(resolved \d{4}-\d\d-\d\d by rolling back web-api to web-api:2\)/);
  });

  it('an alarm that stays in ALARM: the rollback is done, the incident stays open with a note, exit 14', async () => {
    await setAlarm('ALARM');
    const clock = virtualClock();
    const r = await opsctl(['rollback', '--cluster', 'prod', '--service', 'web-api', '--yes', '--incident', 'INC-2', '--to', '1', '--poll', '1s'], { ...defaultDeps(), clock });
    expect(r.code, r.stderr).toBe(14);
    expect(r.stderr).toMatch(/INC-2 stays open: alarm web-api-CPU-High was still ALARM after 600 s/);
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:1', desired: 2 });
    const shown = JSON.parse((await opsctl(['incident', 'show', 'INC-2', '--json'])).stdout);
    expect(shown.incident.status).toBe('open');
    expect(shown.notes.at(-1).text).toMatch(/completed, but alarm web-api-CPU-High was still ALARM/);
    // Backoff: growing waits (5 s, 7.5 s, ...), capped, the last one landing on the deadline.
    const waits = clock.slept.filter((ms) => ms >= 5000);
    expect(waits.slice(0, 3)).toEqual([5000, 7500, 11250]);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(600_000);
  });

  it('incident report --alarm folds the alarm into the open incident it matches', async () => {
    const r = await opsctl(['incident', 'report', '--service', 'web-api', '--alarm', ALARM, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'existing', incident: { id: 'INC-2' } });
    const shown = JSON.parse((await opsctl(['incident', 'show', 'INC-2', '--json'])).stdout);
    expect(shown.occurrences.at(-1).source).toBe(`alarm:${ALARM}`);
  });
});
