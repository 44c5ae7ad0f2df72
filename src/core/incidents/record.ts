import { WILDCARD } from '../logs/mask.js';
import type { IncidentRecord, IncidentStore } from '../ports.js';
import { reportIncident, type ReportInput, type ReportResult } from './report.js';

/** What a new incident opens with: the runbook sections `ask` finds and, with an LLM, a grounded recommendation. */
export interface Advice {
  runbooks: IncidentRecord['runbooks'];
  recommendation?: string;
}

export interface AdviceDeps {
  /** Advice for a query (the `ask` retrieval, with --llm its grounded answer); errors are reported through onNote, not thrown. */
  advise?: (query: string) => Promise<Advice>;
  onNote?: (message: string) => void;
}

/** The query a new incident's runbook search uses: its service and failure lines without the variables. */
export function adviceQuery(r: ReportResult): string {
  return `${r.incident.service} ${r.fingerprint.template.replaceAll(WILDCARD, ' ').replaceAll(' | ', '. ')}`.replace(/\s+/g, ' ').trim();
}

/**
 * Reports a failure and, when it opens a NEW incident, attaches the runbook sections that match it (as `ask`
 * finds them) and, when asked, a grounded recommendation. A failing runbook search never loses the report: the incident is already stored.
 */
export async function recordIncident(store: IncidentStore, input: ReportInput, deps: AdviceDeps = {}): Promise<ReportResult> {
  const result = await reportIncident(store, input);
  if (result.status !== 'new' || !deps.advise) return result;
  try {
    const advice = await deps.advise(adviceQuery(result));
    if (advice.runbooks.length > 0 || advice.recommendation) {
      await store.setAdvice(result.incident.id, advice.runbooks, advice.recommendation);
      result.incident = { ...result.incident, runbooks: advice.runbooks, ...(advice.recommendation && { recommendation: advice.recommendation }) };
    }
  } catch (e) {
    deps.onNote?.(`runbook search skipped: ${(e as Error).message}`);
  }
  return result;
}
