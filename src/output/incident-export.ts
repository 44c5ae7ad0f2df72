import type { IncidentRecord } from '../core/ports.js';
import { incidentJson, INCIDENT_SCHEMA } from './incident-json.js';

/** One JSON document per line, each with the schema, so a file can be read back line by line. */
export function exportJsonlLine(i: IncidentRecord): string {
  return `${JSON.stringify({ schema: INCIDENT_SCHEMA, ...incidentJson(i) })}\n`;
}

export const CSV_HEADER = 'id,service,status,occurrences,created_at,last_seen_at,resolved_at,resolved_by,resolution,regression_of,title\n';

/**
 * A CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) gets a leading apostrophe, and is quoted: log text is untrusted.
 */
export function csvCell(value: string | number | undefined | null): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportCsvLine(i: IncidentRecord): string {
  const j = incidentJson(i);
  return `${[j.id, i.service, i.status, i.occurrences, i.createdAt, i.lastSeenAt, i.resolvedAt, i.resolvedBy, i.resolution, j.regressionOf, i.title].map(csvCell).join(',')}\n`;
}
