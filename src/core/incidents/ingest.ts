import { isOpsctlError } from '../errors.js';
import type { IncidentStore } from '../ports.js';
import { reportIncident, type ReportResult } from './report.js';

export interface IngestCounts {
  new: number;
  existing: number;
  regression: number;
  rejected: number;
}

/**
 * Reports one JSON Lines record ({service, text (or log, message), at?, source?, who?}). A bad line (not JSON, no service or
 * text, empty or binary text) returns why, so one bad line does not stop a bulk import; store errors throw.
 */
export async function ingestLine(store: IncidentStore, line: string, n: number, opts: { who: string; now: Date; threshold: number }): Promise<ReportResult | string> {
  let rec: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
    rec = v as Record<string, unknown>;
  } catch {
    return 'not valid JSON';
  }
  if (typeof rec.service !== 'string' || rec.service.trim() === '') return 'no "service"';
  // "log" and "message" are accepted for "text": what exports from other tools tend to call it.
  const text = [rec.text, rec.log, rec.message].find((v) => typeof v === 'string') as string | undefined;
  if (text === undefined) return 'no "text"';
  const at = typeof rec.at === 'string' && Number.isFinite(Date.parse(rec.at)) ? new Date(rec.at) : opts.now;
  try {
    return await reportIncident(store, {
      service: rec.service, text, at, threshold: opts.threshold,
      source: typeof rec.source === 'string' ? rec.source : 'ingest',
      who: typeof rec.who === 'string' ? rec.who : opts.who,
    });
  } catch (e) {
    if (isOpsctlError(e) && (e.code === 'input' || e.code === 'usage')) return `${e.message} (line ${n})`;
    throw e;
  }
}
