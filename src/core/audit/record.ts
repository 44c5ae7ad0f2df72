import type { Approval } from '../rollback/gate.js';

export const AUDIT_SCHEMA = 'opsctl.audit/v1';

/**
 * One line of the audit log. A rollback writes several, sharing `id`: the plan shown (or refused), the
 * answer given, and the outcome. Env var values and secrets never appear here.
 */
export interface AuditRecord {
  schema: typeof AUDIT_SCHEMA;
  /** Correlates the records of one rollback run. */
  id: string;
  /** ISO 8601, UTC. */
  time: string;
  event: 'plan' | 'decision' | 'outcome';
  /** OS user who ran opsctl. */
  user: string;
  /** AWS caller identity ARN (STS GetCallerIdentity); absent when it could not be determined. */
  caller?: string;
  account?: string;
  region?: string;
  cluster: string;
  service: string;
  /** "family:rev" the service ran and the rollback target; absent when no plan could be built. */
  from?: string;
  to?: string;
  reason?: string;
  approval: Approval;
  /**
   * plan: planned | dry-run | refused; decision: approved | declined | refused;
   * outcome: completed | failed | timeout | started | aborted | interrupted | error.
   */
  outcome: string;
  /** One line explaining a refusal, failure or abort. */
  detail?: string;
  /** Milliseconds since the run started. */
  durationMs: number;
  /** SHA-256 (hex) of the line before this one in the file (64 zeros for the first); set by AuditFile. */
  prev?: string;
}

/** The columns, in order, for CSV export and table listings. */
export const AUDIT_FIELDS: Array<keyof AuditRecord> = [
  'time', 'id', 'event', 'user', 'caller', 'account', 'region', 'cluster', 'service',
  'from', 'to', 'reason', 'approval', 'outcome', 'detail', 'durationMs',
];

/** Narrow check for a parsed line: enough to list and export it. */
export function isAuditRecord(v: unknown): v is AuditRecord {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.time === 'string' && typeof r.event === 'string' && typeof r.outcome === 'string' &&
    typeof r.cluster === 'string' && typeof r.service === 'string' && !Number.isNaN(Date.parse(r.time));
}
