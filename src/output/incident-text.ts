import type { ReportResult } from '../core/incidents/report.js';
import { incidentRef } from '../core/incidents/text.js';
import type { IncidentNote, IncidentOccurrence, IncidentRecord } from '../core/ports.js';

/** Log text is untrusted: control characters (terminal escapes) never reach the terminal. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '?');

/** "resolved 2026-11-02 by rolling back web-api to :41" (a resolution that says how reads after "by"), else "by who: what". */
export function resolvedPhrase(i: IncidentRecord): string {
  const how = plain(i.resolution ?? '');
  if (/^[a-z]+ing\b/i.test(how)) return `resolved ${day(i.resolvedAt)} by ${how}`;
  return `resolved ${day(i.resolvedAt)} by ${plain(i.resolvedBy ?? '?')}: ${how}`;
}

const times = (n: number) => `${n} occurrence${n === 1 ? '' : 's'}`;

/** The line triage and diagnose print at the top with --record, and the first line of `incident report`. */
export function seenBeforeLine(r: ReportResult): string {
  const inc = r.incident;
  if (r.status === 'existing') return `seen before: ${incidentRef(inc.id)} (open since ${day(inc.createdAt)}), ${times(inc.occurrences)}: ${plain(inc.title)}`;
  if (r.status === 'regression' && r.previous) {
    const p = r.previous;
    return `seen before: ${incidentRef(p.id)}, ${times(p.occurrences)}, ${resolvedPhrase(p)} — regression: opened ${incidentRef(inc.id)}`;
  }
  return `new incident: ${incidentRef(inc.id)} (${plain(inc.service)}): ${plain(inc.title)}`;
}

/** `incident report` as text: the status line, then the runbook sections of a new incident. */
export function reportText(r: ReportResult): string {
  const out = [seenBeforeLine(r)];
  if (r.status !== 'new') out.push(`  similarity ${r.similarity.toFixed(2)}`);
  for (const rb of r.incident.runbooks) out.push(`  runbook: ${plain(rb.citation)} (${rb.relevance.toFixed(2)})`);
  if (r.incident.recommendation) out.push('', plain(r.incident.recommendation));
  return `${out.join('\n')}\n`;
}

/** One line per incident, newest activity visible at a glance. */
export function listText(items: IncidentRecord[]): string {
  if (items.length === 0) return 'no incidents\n';
  const rows = items.map((i) => `${incidentRef(i.id).padEnd(8)} ${i.status.padEnd(8)} ${plain(i.service).padEnd(16)} ${String(i.occurrences).padStart(4)}×  last ${i.lastSeenAt.slice(0, 16).replace('T', ' ')}  ${plain(i.title).slice(0, 80)}`);
  return `${rows.join('\n')}\n`;
}

export function showText(i: IncidentRecord, occurrences: IncidentOccurrence[], notes: IncidentNote[], previous?: IncidentRecord): string {
  const out = [`${incidentRef(i.id)} · ${plain(i.service)} · ${i.status} · ${times(i.occurrences)}`, `  ${plain(i.title)}`, `  opened ${i.createdAt}, last seen ${i.lastSeenAt}`];
  if (i.status === 'resolved') out.push(`  ${resolvedPhrase(i)}`);
  if (previous) out.push(`  regression of ${incidentRef(previous.id)} (${previous.status === 'resolved' ? resolvedPhrase(previous) : 'open'})`);
  for (const rb of i.runbooks) out.push(`  runbook: ${plain(rb.citation)}`);
  if (i.recommendation) out.push('', plain(i.recommendation));
  if (occurrences.length) out.push('', 'occurrences:');
  for (const o of occurrences) out.push(`  ${o.at} ${plain(o.source)} ${plain(o.who)}: ${plain(o.text.split('\n').find((l) => l.trim()) ?? '').slice(0, 120)}`);
  if (notes.length) out.push('', 'notes:');
  for (const n of notes) out.push(`  ${n.at} ${plain(n.who)}: ${plain(n.text)}`);
  return `${out.join('\n')}\n`;
}
