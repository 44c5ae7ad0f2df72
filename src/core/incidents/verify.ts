import type { AlarmSource, Clock, IncidentStore } from '../ports.js';
import { requireIncident } from './resolve.js';
import { incidentRef } from './text.js';

/** First wait between DescribeAlarms polls, growth per poll and cap: quick at first, gentle on the API later. */
export const VERIFY_BACKOFF = { firstMs: 5_000, factor: 1.5, maxMs: 60_000 } as const;

export interface AlarmWait {
  recovered: boolean;
  /** The last state seen (OK, ALARM, INSUFFICIENT_DATA, or unknown). */
  state: string;
  polls: number;
  waitedMs: number;
}

/**
 * Polls the alarm (DescribeAlarms) until it is OK or `timeoutMs` has passed, with backoff (5 s, ×1.5, at
 * most 60 s; the last poll lands on the deadline). Time comes from the injected clock.
 */
export async function waitForAlarmOk(alarms: AlarmSource, clock: Clock, name: string, timeoutMs: number, signal?: AbortSignal): Promise<AlarmWait> {
  const start = clock.now().getTime();
  let delay: number = VERIFY_BACKOFF.firstMs;
  let polls = 0;
  for (;;) {
    const state = (await alarms.describeAlarm(name)).state ?? 'unknown';
    polls++;
    const waited = clock.now().getTime() - start;
    if (state === 'OK') return { recovered: true, state, polls, waitedMs: waited };
    if (waited >= timeoutMs || signal?.aborted) return { recovered: false, state, polls, waitedMs: waited };
    await clock.sleep(Math.min(delay, timeoutMs - waited), signal);
    delay = Math.round(Math.min(delay * VERIFY_BACKOFF.factor, VERIFY_BACKOFF.maxMs));
  }
}

/** The alarm an incident came from: the latest occurrence reported by `triage --alarm` or `incident report --alarm`. */
export async function alarmOfIncident(store: IncidentStore, id: number): Promise<string | undefined> {
  const occ = await store.occurrences(id);
  for (let i = occ.length - 1; i >= 0; i--) {
    const m = /^(?:triage|alarm):(.+)$/.exec(occ[i].source);
    if (m) return m[1];
  }
  return undefined;
}

export interface RecoveryOutcome {
  resolved: boolean;
  wait: AlarmWait;
  resolution: string;
}

/**
 * After a completed rollback: waits for the alarm to be OK, then resolves the incident with how it was fixed
 * ("rolling back web-api to web-api:41"); when it does not recover, the incident stays open with a note saying
 * so, and the caller exits with NOT_RECOVERED.
 */
export async function closeAfterRollback(
  deps: { store: IncidentStore; alarms: AlarmSource; clock: Clock },
  opts: { id: number; alarm: string; timeoutMs: number; service: string; to: string; who: string; signal?: AbortSignal },
): Promise<RecoveryOutcome> {
  const resolution = `rolling back ${opts.service} to ${opts.to}`;
  const wait = await waitForAlarmOk(deps.alarms, deps.clock, opts.alarm, opts.timeoutMs, opts.signal);
  const at = deps.clock.now().toISOString();
  if (wait.recovered) {
    const inc = await requireIncident(deps.store, opts.id);
    // Someone may have resolved it by hand meanwhile; their resolution stands.
    if (inc.status === 'open') await deps.store.setStatus(opts.id, 'open', 'resolved', { at, by: opts.who, text: resolution });
    await deps.store.addNote(opts.id, { at, who: opts.who, text: `${resolution}: alarm ${opts.alarm} back to OK after ${Math.round(wait.waitedMs / 1000)} s` });
    return { resolved: true, wait, resolution };
  }
  await deps.store.addNote(opts.id, { at, who: opts.who, text: `${resolution} completed, but alarm ${opts.alarm} was still ${wait.state} after ${Math.round(wait.waitedMs / 1000)} s; ${incidentRef(opts.id)} stays open` });
  return { resolved: false, wait, resolution };
}
