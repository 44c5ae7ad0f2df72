import type { IncidentCandidate, IncidentRecord } from '../ports.js';
import { similarityOf } from './fingerprint.js';

/** The default similarity a report needs to fold into an incident (`--threshold`). */
export const DEFAULT_THRESHOLD = 0.7;

export type ReportStatus = 'new' | 'existing' | 'regression';

export interface Decision {
  status: ReportStatus;
  /** existing: the open incident; regression: the resolved one it comes back from. */
  match?: IncidentRecord;
  similarity: number;
}

/**
 * What a report is, given the stored incidents that share terms with it: an OPEN incident at or above the
 * threshold wins (existing: fold it in); else a RESOLVED one (regression; the most similar, then the most
 * recently resolved); else new. Open wins over resolved so a regression's own reports fold into it, not into
 * the old incident again.
 */
export function decide(terms: readonly string[], candidates: readonly IncidentCandidate[], threshold: number): Decision {
  const n = new Set(terms).size;
  let open: { c: IncidentRecord; s: number } | undefined;
  let resolved: { c: IncidentRecord; s: number } | undefined;
  for (const { incident, shared, nterms } of candidates) {
    const s = similarityOf(shared, n, nterms);
    if (s < threshold) continue;
    if (incident.status === 'open') {
      if (!open || s > open.s || (s === open.s && incident.lastSeenAt > open.c.lastSeenAt)) open = { c: incident, s };
    } else if (!resolved || s > resolved.s || (s === resolved.s && (incident.resolvedAt ?? '') > (resolved.c.resolvedAt ?? ''))) {
      resolved = { c: incident, s };
    }
  }
  if (open) return { status: 'existing', match: open.c, similarity: round(open.s) };
  if (resolved) return { status: 'regression', match: resolved.c, similarity: round(resolved.s) };
  return { status: 'new', similarity: 0 };
}

/**
 * The fewest shared terms a stored signature needs for a report of `n` terms to reach `threshold` at all: the
 * best case is a signature holding nothing but shared terms (overlap 1), so mean(2s/(n+s), 1) ≥ t needs
 * s ≥ n(2t−1)/(3−2t). The stores skip signatures below it (most that share only a common word).
 */
export function minShared(n: number, threshold: number): number {
  return Math.max(1, Math.ceil((n * (2 * threshold - 1)) / (3 - 2 * threshold) - 1e-9));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
