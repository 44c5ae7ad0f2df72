import type { IncidentCandidate, IncidentRecord } from '../../core/ports.js';

/**
 * The incident schema, one list of migrations for both backends: `{{ID}}` becomes the dialect's auto-increment
 * key. A migration is applied once, in a transaction, and its number recorded in schema_version; a database
 * from a newer opsctl (a higher version) is refused rather than guessed at.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
CREATE TABLE incidents (
  id {{ID}},
  service TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  title TEXT NOT NULL,
  template TEXT NOT NULL,
  terms TEXT NOT NULL,
  nterms INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  occurrences INTEGER NOT NULL,
  regression_of BIGINT REFERENCES incidents(id),
  resolved_at TEXT,
  resolved_by TEXT,
  resolution TEXT,
  runbooks TEXT NOT NULL DEFAULT '[]',
  recommendation TEXT
);
CREATE INDEX incidents_service_status ON incidents (service, status);
CREATE INDEX incidents_last_seen ON incidents (last_seen_at);
CREATE TABLE signatures (
  id {{ID}},
  incident_id BIGINT NOT NULL REFERENCES incidents(id),
  key TEXT NOT NULL,
  nterms INTEGER NOT NULL,
  UNIQUE (incident_id, key)
);
CREATE TABLE signature_terms (
  service TEXT NOT NULL,
  term TEXT NOT NULL,
  signature_id BIGINT NOT NULL REFERENCES signatures(id),
  PRIMARY KEY (service, term, signature_id)
);
CREATE TABLE occurrences (
  id {{ID}},
  incident_id BIGINT NOT NULL REFERENCES incidents(id),
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  who TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX occurrences_incident ON occurrences (incident_id, id);
CREATE TABLE notes (
  id {{ID}},
  incident_id BIGINT NOT NULL REFERENCES incidents(id),
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX notes_incident ON notes (incident_id, id);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function migrationSql(sql: string, dialect: 'sqlite' | 'postgres'): string {
  return sql.replaceAll('{{ID}}', dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY');
}

/** An incidents row, as either driver returns it (PostgreSQL BIGINTs arrive as strings). */
export interface IncidentRow {
  id: number | string;
  service: string;
  status: string;
  title: string;
  template: string;
  terms: string;
  created_at: string;
  last_seen_at: string;
  occurrences: number | string;
  regression_of: number | string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
  runbooks: string;
  recommendation: string | null;
}

export function toIncident(r: IncidentRow): IncidentRecord {
  const out: IncidentRecord = {
    id: Number(r.id),
    service: r.service,
    status: r.status === 'resolved' ? 'resolved' : 'open',
    title: r.title,
    template: r.template,
    terms: r.terms === '' ? [] : r.terms.split(' '),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    occurrences: Number(r.occurrences),
    runbooks: parseRunbooks(r.runbooks),
  };
  if (r.regression_of !== null) out.regressionOf = Number(r.regression_of);
  if (r.resolved_at !== null) out.resolvedAt = r.resolved_at;
  if (r.resolved_by !== null) out.resolvedBy = r.resolved_by;
  if (r.resolution !== null) out.resolution = r.resolution;
  if (r.recommendation !== null) out.recommendation = r.recommendation;
  return out;
}

function parseRunbooks(text: string): IncidentRecord['runbooks'] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as IncidentRecord['runbooks']) : [];
  } catch {
    return [];
  }
}

/** Distinct phrasings (term sets) remembered per incident: bounds the postings one noisy incident can add. */
export const MAX_SIGNATURES = 32;

/** Incident columns in the order every SELECT uses. */
export const COLUMNS = 'i.id, i.service, i.status, i.title, i.template, i.terms, i.created_at, i.last_seen_at, i.occurrences, i.regression_of, i.resolved_at, i.resolved_by, i.resolution, i.runbooks, i.recommendation';

/** Signature matches (best first) → one candidate per incident, with its best signature; incidents fetched in one go. */
export async function bestPerIncident(
  rows: Array<{ incident_id: number | string; shared: number | string; nterms: number | string }>,
  fetch: (ids: number[]) => Promise<IncidentRecord[]>,
): Promise<IncidentCandidate[]> {
  const best = new Map<number, { shared: number; nterms: number }>();
  for (const r of rows) {
    const id = Number(r.incident_id);
    if (!best.has(id)) best.set(id, { shared: Number(r.shared), nterms: Number(r.nterms) });
  }
  if (best.size === 0) return [];
  const byId = new Map((await fetch([...best.keys()])).map((i) => [i.id, i]));
  return [...best].flatMap(([id, m]) => {
    const incident = byId.get(id);
    return incident ? [{ incident, ...m }] : [];
  });
}
