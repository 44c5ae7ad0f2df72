import type { CommandContext } from '../cli/program.js';
import type { Config } from '../config/schema.js';
import { parseDuration } from '../core/audit/query.js';
import { OpsctlError } from '../core/errors.js';
import { requireIncident } from '../core/incidents/resolve.js';
import { incidentRef, parseIncidentId } from '../core/incidents/text.js';
import { alarmOfIncident, closeAfterRollback } from '../core/incidents/verify.js';
import type { RollbackResult } from '../core/rollback/run.js';
import { whoAmI, withIncidents } from './incident-store.js';

export interface IncidentFlags {
  incident?: string;
  verifyAlarm?: string;
  verifyTimeout: string;
}

export interface IncidentLink {
  id: number;
  alarm: string;
  timeoutMs: number;
}

/** Checks --incident before anything changes: the incident exists, is open, and has an alarm to verify against. */
export async function prepareIncident(ctx: CommandContext, config: Config, flags: IncidentFlags): Promise<IncidentLink | undefined> {
  if (flags.incident === undefined) {
    if (flags.verifyAlarm !== undefined) throw new OpsctlError('usage', '--verify-alarm goes with --incident ID');
    return undefined;
  }
  const id = parseIncidentId(flags.incident);
  const timeoutMs = parseDuration(flags.verifyTimeout, '--verify-timeout');
  return withIncidents(ctx, config, async (store) => {
    const inc = await requireIncident(store, id);
    if (inc.status !== 'open') throw new OpsctlError('input', `${incidentRef(id)} is already resolved (${inc.resolution ?? ''})`, `reopen it first (opsctl incident reopen ${incidentRef(id)}) or roll back without --incident`);
    const alarm = flags.verifyAlarm ?? (await alarmOfIncident(store, id));
    if (!alarm) throw new OpsctlError('usage', `${incidentRef(id)} did not come from an alarm: say which one shows recovery with --verify-alarm NAME`);
    return { id, alarm, timeoutMs };
  });
}

/**
 * After the rollback: a completed one waits for the alarm and resolves the incident (or leaves it open with a
 * note and exit 14); anything else leaves the incident open with a note saying what happened.
 */
export async function finishIncident(ctx: CommandContext, config: Config, link: IncidentLink, result: RollbackResult): Promise<{ resolved: boolean; note: string }> {
  const ref = incidentRef(link.id);
  const p = result.plan;
  if (result.outcome === 'dry-run') return { resolved: false, note: `would resolve ${ref} once ${link.alarm} is OK (waiting up to ${Math.round(link.timeoutMs / 1000)} s)` };
  if (result.outcome !== 'completed') {
    const note = `rollback of ${p.service} to ${p.to}: ${result.outcome}${result.detail ? ` (${result.detail})` : ''}; ${ref} stays open`;
    await withIncidents(ctx, config, (s) => s.addNote(link.id, { at: ctx.deps.clock.now().toISOString(), who: whoAmI(ctx.io.env), text: note }));
    return { resolved: false, note };
  }
  ctx.io.stderr.write(`opsctl: waiting for alarm ${link.alarm} to be OK (up to ${Math.round(link.timeoutMs / 1000)} s) before resolving ${ref}\n`);
  const alarms = await ctx.deps.alarms(config);
  const out = await withIncidents(ctx, config, (store) =>
    closeAfterRollback({ store, alarms, clock: ctx.deps.clock }, { id: link.id, alarm: link.alarm, timeoutMs: link.timeoutMs, service: p.service, to: p.to, who: whoAmI(ctx.io.env), signal: ctx.io.signal }),
  );
  if (out.resolved) return { resolved: true, note: `${ref} resolved: ${out.resolution}; alarm ${link.alarm} is OK` };
  return { resolved: false, note: `${ref} stays open: alarm ${link.alarm} was still ${out.wait.state} after ${Math.round(out.wait.waitedMs / 1000)} s` };
}

/** Exit 14 when the rollback completed but the alarm did not recover. */
export function notRecovered(link: IncidentLink, note: string): OpsctlError {
  return new OpsctlError('not-recovered', note, `the rollback is done; look further (opsctl incident show ${incidentRef(link.id)}), or wait longer with --verify-timeout`);
}
