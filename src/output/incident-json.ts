import type { ReportResult } from '../core/incidents/report.js';
import { incidentRef } from '../core/incidents/text.js';
import type { IncidentNote, IncidentOccurrence, IncidentRecord } from '../core/ports.js';

/** Version of every `opsctl incident … --json` document (and of the incident lines `export --format jsonl` writes). */
export const INCIDENT_SCHEMA = 'opsctl.incident/v1';

/** One incident as JSON: `id` is the "INC-12" people type; `number` the bare integer. */
export function incidentJson(i: IncidentRecord) {
  return {
    id: incidentRef(i.id),
    number: i.id,
    service: i.service,
    status: i.status,
    title: i.title,
    template: i.template,
    occurrences: i.occurrences,
    createdAt: i.createdAt,
    lastSeenAt: i.lastSeenAt,
    regressionOf: i.regressionOf === undefined ? null : incidentRef(i.regressionOf),
    resolved: i.status === 'resolved' ? { at: i.resolvedAt ?? null, by: i.resolvedBy ?? null, resolution: i.resolution ?? null } : null,
    runbooks: i.runbooks,
    recommendation: i.recommendation ?? null,
  };
}

/** `incident report --json` (and the `incident` member of triage/diagnose --record): status new|existing|regression. */
export function reportJson(r: ReportResult) {
  return {
    schema: INCIDENT_SCHEMA,
    command: 'report',
    status: r.status,
    similarity: r.similarity,
    incident: incidentJson(r.incident),
    previous: r.previous ? incidentJson(r.previous) : null,
    fingerprint: { key: r.fingerprint.key, terms: r.fingerprint.terms },
  };
}

export function listJson(items: IncidentRecord[]) {
  return { schema: INCIDENT_SCHEMA, command: 'list', count: items.length, incidents: items.map(incidentJson) };
}

export function showJson(i: IncidentRecord, occurrences: IncidentOccurrence[], notes: IncidentNote[], previous?: IncidentRecord) {
  return { schema: INCIDENT_SCHEMA, command: 'show', incident: incidentJson(i), previous: previous ? incidentJson(previous) : null, occurrences, notes };
}

export function changedJson(command: 'note' | 'resolve' | 'reopen', i: IncidentRecord) {
  return { schema: INCIDENT_SCHEMA, command, incident: incidentJson(i) };
}
