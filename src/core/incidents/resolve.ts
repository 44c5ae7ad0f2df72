import { OpsctlError } from '../errors.js';
import type { IncidentRecord, IncidentStore } from '../ports.js';
import { incidentRef } from './text.js';

/** The incident, or an OpsctlError (exit 4) naming the id and how to find the right one. */
export async function requireIncident(store: IncidentStore, id: number): Promise<IncidentRecord> {
  const found = await store.get(id);
  if (!found) throw new OpsctlError('input', `no incident ${incidentRef(id)} in ${store.where}`, 'list incidents with: opsctl incident list');
  return found;
}

/**
 * Resolves an open incident with how it was fixed. A resolved incident is refused (its first resolution is
 * kept), as is an empty resolution: a regression later shows this text as "what fixed it last time".
 */
export async function resolveIncident(store: IncidentStore, id: number, resolution: { text: string; by: string; at: Date }): Promise<IncidentRecord> {
  if (resolution.text.trim() === '') throw new OpsctlError('usage', 'resolve needs --resolution TEXT', 'say what fixed it, e.g. --resolution "rolled back web-api to :41"');
  const inc = await requireIncident(store, id);
  const ok = inc.status === 'open' && (await store.setStatus(id, 'open', 'resolved', { at: resolution.at.toISOString(), by: resolution.by, text: resolution.text.trim() }));
  if (!ok) {
    const again = (await store.get(id)) ?? inc;
    throw new OpsctlError('input', `${incidentRef(id)} is already resolved (${again.resolvedAt?.slice(0, 10) ?? '?'} by ${again.resolvedBy ?? '?'}: ${again.resolution ?? ''})`, `reopen it first: opsctl incident reopen ${incidentRef(id)}`);
  }
  return requireIncident(store, id);
}

/** Reopens a resolved incident (the old resolution is kept as a note so its history stays readable). */
export async function reopenIncident(store: IncidentStore, id: number, who: string, at: Date): Promise<IncidentRecord> {
  const inc = await requireIncident(store, id);
  if (inc.status === 'open' || !(await store.setStatus(id, 'resolved', 'open'))) {
    throw new OpsctlError('input', `${incidentRef(id)} is already open`, `resolve it with: opsctl incident resolve ${incidentRef(id)} --resolution TEXT`);
  }
  await store.addNote(id, { at: at.toISOString(), who, text: `reopened (was resolved ${inc.resolvedAt ?? '?'} by ${inc.resolvedBy ?? '?'}: ${inc.resolution ?? ''})` });
  return requireIncident(store, id);
}

/** Adds a note to an incident (open or resolved). */
export async function noteIncident(store: IncidentStore, id: number, note: { text: string; who: string; at: Date }): Promise<void> {
  if (note.text.trim() === '') throw new OpsctlError('usage', 'a note needs text', 'example: opsctl incident note INC-3 "paged the db team"');
  await requireIncident(store, id);
  await store.addNote(id, { at: note.at.toISOString(), who: note.who, text: note.text.trim() });
}
