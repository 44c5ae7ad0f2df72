import type { RollbackResult } from '../core/rollback/run.js';

/** The documented, versioned JSON shape of `opsctl rollback --json` (README: "JSON output"). */
export interface RollbackJsonV1 {
  schema: 'opsctl.rollback/v1';
  /** Correlates with the audit records of this run. */
  id: string;
  outcome: RollbackResult['outcome'];
  approval: RollbackResult['approval'];
  detail?: string;
  durationMs: number;
  plan: {
    cluster: string;
    service: string;
    from: string;
    to: string;
    desiredCount: number;
    skipped: string[];
    warnings: string[];
    containers: RollbackResult['plan']['containers'];
    fields: RollbackResult['plan']['fields'];
  };
}

export function rollbackJson(r: RollbackResult): RollbackJsonV1 {
  const p = r.plan;
  return {
    schema: 'opsctl.rollback/v1',
    id: r.id,
    outcome: r.outcome,
    approval: r.approval,
    detail: r.detail,
    durationMs: r.durationMs,
    plan: { cluster: p.cluster, service: p.service, from: p.from, to: p.to, desiredCount: p.desiredCount, skipped: p.skipped, warnings: p.warnings, containers: p.containers, fields: p.fields },
  };
}
