import { WILDCARD } from '../logs/mask.js';
import type { IncidentRecord, IncidentStore } from '../ports.js';
import { reportIncident, type ReportInput, type ReportResult } from './report.js';

export interface AdviceDeps {
  /** Runbook sections for a query (the `ask` retrieval); errors are reported through onNote, not thrown. */
  runbooks?: (query: string) => Promise<IncidentRecord['runbooks']>;
  onNote?: (message: string) => void;
}

/** The query a new incident's runbook search uses: its service and failure lines without the variables. */
export function adviceQuery(r: ReportResult): string {
  return `${r.incident.service} ${r.fingerprint.template.replaceAll(WILDCARD, ' ').replaceAll(' | ', '. ')}`.replace(/\s+/g, ' ').trim();
}

/**
 * Reports a failure and, when it opens a NEW incident, attaches the runbook sections that match it (as `ask`
 * finds them). A failing runbook search never loses the report: the incident is already stored.
 */
export async function recordIncident(store: IncidentStore, input: ReportInput, deps: AdviceDeps = {}): Promise<ReportResult> {
  const result = await reportIncident(store, input);
  if (result.status !== 'new' || !deps.runbooks) return result;
  try {
    const runbooks = await deps.runbooks(adviceQuery(result));
    if (runbooks.length > 0) {
      await store.setAdvice(result.incident.id, runbooks);
      result.incident = { ...result.incident, runbooks };
    }
  } catch (e) {
    deps.onNote?.(`runbook search skipped: ${(e as Error).message}`);
  }
  return result;
}
