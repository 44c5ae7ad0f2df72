import { OpsctlError } from '../errors.js';
import type { AuditRecord } from './record.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses "90s", "10m", "2h", "7d", "1w" (or plain milliseconds) into milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!m) throw new OpsctlError('usage', `${flag}: not a duration: "${text}"`, 'use e.g. 30s, 10m, 2h, 7d');
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']);
}

/** Records no older than `sinceMs` before `now`, oldest first (file order is kept for equal times). */
export function recordsSince(records: AuditRecord[], sinceMs: number | undefined, now: Date): AuditRecord[] {
  const floor = sinceMs === undefined ? -Infinity : now.getTime() - sinceMs;
  return records
    .map((r, i) => ({ r, i, t: Date.parse(r.time) }))
    .filter((x) => x.t >= floor)
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.r);
}
