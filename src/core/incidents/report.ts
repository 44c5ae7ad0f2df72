import { OpsctlError } from '../errors.js';
import type { IncidentRecord, IncidentStore } from '../ports.js';
import { decide, DEFAULT_THRESHOLD, minShared, type ReportStatus } from './decide.js';
import { fingerprint, type Fingerprint } from './fingerprint.js';
import { checkReportText, storedText } from './text.js';

/** Candidates a report is compared with: those sharing the most terms (ordered by Dice in SQL; the similarity itself is computed in decide). */
export const MAX_CANDIDATES = 64;

export interface ReportInput {
  service: string;
  text: string;
  /** log | log-file | stdin | alarm | triage | diagnose | ingest. */
  source: string;
  who: string;
  at: Date;
  threshold?: number;
}

export interface ReportResult {
  status: ReportStatus;
  /** The incident the report now belongs to (new or regression: just opened; existing: the one it joined). */
  incident: IncidentRecord;
  /** regression: the resolved incident it came back from (how and when it was fixed). */
  previous?: IncidentRecord;
  similarity: number;
  fingerprint: Fingerprint;
}

/**
 * Reports a failure into incident memory: existing (fold into the open incident it matches: one more
 * occurrence), regression (it matches a resolved one: open a new incident linked to it) or new. The comparison
 * and the write happen in one transaction holding the service's lock, so concurrent reports of one failure
 * make one incident.
 */
export async function reportIncident(store: IncidentStore, input: ReportInput): Promise<ReportResult> {
  const service = input.service.trim();
  if (service === '') throw new OpsctlError('usage', 'incident report needs --service NAME', 'the service the failure belongs to, e.g. --service web-api');
  const threshold = input.threshold ?? DEFAULT_THRESHOLD;
  checkReportText(input.text, input.source);
  const fp = fingerprint(input.text, service);
  if (fp.terms.length === 0) {
    throw new OpsctlError('input', `${input.source}: nothing in the text names a failure (only numbers, ids or punctuation)`, 'report the failure message itself, e.g. the error line of the log');
  }
  const occurrence = { at: input.at.toISOString(), source: input.source, who: input.who, text: storedText(input.text) };
  const signature = { key: fp.key, terms: fp.terms };
  return store.reportTx(service, async (tx) => {
    const decision = decide(fp.terms, await tx.candidates(service, fp.terms, MAX_CANDIDATES, minShared(fp.terms.length, threshold)), threshold);
    if (decision.status === 'existing' && decision.match) {
      const incident = await tx.addOccurrence(decision.match.id, occurrence, signature);
      return { status: 'existing', incident, similarity: decision.similarity, fingerprint: fp };
    }
    const title = fp.template.split(' | ')[0].slice(0, 160);
    const incident = await tx.create(
      { service, template: fp.template, terms: fp.terms, title, runbooks: [], regressionOf: decision.match?.id },
      occurrence,
      signature,
    );
    return { status: decision.status, incident, previous: decision.match, similarity: decision.similarity, fingerprint: fp };
  });
}
