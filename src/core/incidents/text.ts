import { redact } from '../safety/redact.js';
import { OpsctlError } from '../errors.js';

/** Stored occurrence text is capped: the fingerprint needs the first failure lines, not a whole log. */
export const MAX_STORED_TEXT = 4000;

/**
 * Checks a report's text before anything is stored: empty or whitespace-only text and binary input (NUL bytes,
 * many control characters or undecodable bytes) are refused with a one-line error (exit 4).
 */
export function checkReportText(text: string, from: string): string {
  if (text.trim() === '') throw new OpsctlError('input', `${from}: nothing to report (the text is empty)`, 'pass the failure text with --log TEXT, --log-file FILE or - (stdin)');
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) control += 1000;
    else if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control > 0 && control / text.length > 0.01) {
    throw new OpsctlError('input', `${from}: looks like binary data, not a log`, 'report the text of the failure (e.g. the log lines), not a binary file');
  }
  return text;
}

/** The text an occurrence keeps: secrets, emails and addresses masked (logs carry them), capped. */
export function storedText(text: string): string {
  const t = text.length > MAX_STORED_TEXT ? `${text.slice(0, MAX_STORED_TEXT)}…` : text;
  return redact(t).text;
}

/** "INC-12", "inc-12" or "12" → 12; anything else is a usage error. */
export function parseIncidentId(raw: string): number {
  const m = /^(?:inc-)?(\d{1,12})$/i.exec(raw.trim());
  if (!m || Number(m[1]) < 1) throw new OpsctlError('usage', `not an incident id: "${raw}"`, 'ids look like INC-12 (see opsctl incident list)');
  return Number(m[1]);
}

/** The id as people write it. */
export function incidentRef(id: number): string {
  return `INC-${id}`;
}

/** The text an alarm reports: its name split into words, its metric and description (its numbers vary; these do not). */
export function alarmReportText(a: { name: string; metricName?: string; namespace?: string; description?: string }): string {
  return [`alarm ${a.name.replace(/[-_.]+/g, ' ')}`, a.namespace && a.metricName ? `${a.namespace} ${a.metricName}` : a.metricName, a.description].filter(Boolean).join('\n');
}
