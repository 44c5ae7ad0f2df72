import type { AlarmKind } from '../core/triage/classify.js';
import type { Gathered, NextStep, TriageReport } from '../core/triage/types.js';
import type { AlarmInfo } from '../core/ports.js';
import { citation } from './sections.js';

/** A gathered part in JSON: `status` says whether `value` is there; failures carry message and hint. */
export type JsonPart<T> =
  | { status: 'ok'; value: T }
  | { status: 'failed'; message: string; hint?: string }
  | { status: 'skipped'; reason: string };

/** The documented, versioned JSON shape of `opsctl triage --json`. Times are ISO 8601 strings. */
export interface TriageJsonV1 {
  schema: 'opsctl.triage/v1';
  alarm: AlarmInfo;
  /** When the alarm last went into ALARM; value null when it never has. */
  alarmAt: JsonPart<string | null>;
  classification: {
    kind: AlarmKind;
    label: string;
    deployRelated: boolean;
    resource: string | null;
    /** `from`: who named it; "target-group" when the lookup found it as the one service on the alarm's target group. */
    service: { cluster: string; service: string; from: 'alarm' | 'flags' | 'alarm+flags' | 'target-group' } | null;
    serviceHint: string | null;
    notes: string[];
  };
  metric: JsonPart<{
    namespace: string; metricName: string; statistic: string; periodSeconds: number; start: string; end: string;
    points: Array<{ time: string; value: number }>; min: number | null; max: number | null; last: number | null;
    threshold: number | null; comparison: string | null;
  }>;
  /**
   * The search for the ECS service behind a load balancer alarm's TargetGroup dimension: skipped when a service
   * is named or the alarm has no TargetGroup; failed when no cluster could be listed. `matches` with one entry
   * is the service triaged; with several, none is picked (next names each). `capped` says what a capped scan
   * left out (null when it covered everything); `failures` lists clusters that could not be searched.
   */
  serviceLookup: JsonPart<{
    targetGroup: string; matches: Array<{ cluster: string; service: string; targetGroupArn: string }>;
    clustersScanned: number; servicesScanned: number; capped: string | null; failures: Array<{ cluster: string; message: string }>;
  }>;
  service: JsonPart<{
    cluster: string; service: string; status: string; taskDefinition: string; desiredCount: number; runningCount: number; pendingCount: number;
    deployments: Array<{ id: string; status: string; taskDefinition: string; rolloutState: string | null; desiredCount: number; runningCount: number; failedTasks: number; createdAt: string | null }>;
    events: Array<{ createdAt: string | null; message: string }>;
  }>;
  deploy: JsonPart<{ taskDefinition: string; registeredAt: string | null; deploymentStartedAt: string | null; deployedAt: string | null; minutesBeforeAlarm: number | null; suspect: boolean }>;
  rollback: JsonPart<
    | { possible: true; from: string; to: string; skipped: string[]; warnings: string[]; images: Array<{ container: string; from: string | null; to: string | null }> }
    | { possible: false; reason: string; hint: string | null }
  >;
  runbooks: JsonPart<{
    query: string; noMatch: boolean;
    sections: Array<{ rank: number; file: string; startLine: number; endLine: number; headingPath: string[]; citation: string; relevance: number }>;
  }>;
  /** The first entry is the command to run next. */
  next: NextStep[];
}

function part<T, U>(g: Gathered<T>, map: (v: T) => U): JsonPart<U> {
  return g.status === 'ok' ? { status: 'ok', value: map(g.value) } : g;
}

const iso = (d?: Date): string | null => (d ? d.toISOString() : null);

/** Maps a triage report to opsctl.triage/v1; `root` prefixes runbook citations as the user sees them. */
export function triageJson(r: TriageReport, root: string, maxSections = 3): TriageJsonV1 {
  const c = r.classification;
  return {
    schema: 'opsctl.triage/v1',
    alarm: r.alarm,
    alarmAt: part(r.alarmAt, (d) => iso(d)),
    classification: {
      kind: c.kind, label: c.label, deployRelated: c.deployRelated, resource: c.resource ?? null,
      service: c.service ?? null, serviceHint: c.serviceHint ?? null, notes: c.notes,
    },
    metric: part(r.metric, (m) => ({
      namespace: m.namespace, metricName: m.metricName, statistic: m.statistic, periodSeconds: m.periodSeconds,
      start: m.start.toISOString(), end: m.end.toISOString(), points: m.points.map((p) => ({ time: p.time.toISOString(), value: p.value })),
      min: m.min ?? null, max: m.max ?? null, last: m.last ?? null, threshold: m.threshold ?? null, comparison: m.comparison ?? null,
    })),
    serviceLookup: part(r.serviceLookup, (l) => ({
      targetGroup: l.targetGroup, matches: l.matches, clustersScanned: l.clustersScanned, servicesScanned: l.servicesScanned,
      capped: l.capped ?? null, failures: l.failures,
    })),
    service: part(r.service, (s) => ({
      cluster: s.cluster, service: s.service, status: s.status, taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount, runningCount: s.runningCount, pendingCount: s.pendingCount,
      deployments: s.deployments.map((d) => ({
        id: d.id, status: d.status, taskDefinition: d.taskDefinition, rolloutState: d.rolloutState ?? null,
        desiredCount: d.desiredCount, runningCount: d.runningCount, failedTasks: d.failedTasks, createdAt: iso(d.createdAt),
      })),
      events: s.events.map((e) => ({ createdAt: iso(e.createdAt), message: e.message })),
    })),
    deploy: part(r.deploy, (t) => ({
      taskDefinition: t.taskDefinition, registeredAt: iso(t.registeredAt), deploymentStartedAt: iso(t.deploymentStartedAt), deployedAt: iso(t.deployedAt),
      minutesBeforeAlarm: t.minutesBeforeAlarm ?? null, suspect: t.suspect,
    })),
    rollback: part(r.rollback, (b) => (b.possible
      ? {
        possible: true as const, from: b.from, to: b.to, skipped: b.skipped, warnings: b.warnings,
        images: b.containers.filter((x) => x.imageFrom !== x.imageTo).map((x) => ({ container: x.name, from: x.imageFrom ?? null, to: x.imageTo ?? null })),
      }
      : { possible: false as const, reason: b.reason, hint: b.hint ?? null })),
    runbooks: part(r.runbooks, (m) => ({
      query: m.query,
      noMatch: m.noMatch,
      sections: (m.noMatch ? [] : m.hits.slice(0, maxSections)).map((h, i) => {
        const src = h.section.sources[0];
        return { rank: i + 1, file: `${root ? `${root}/` : ''}${src.file}`, startLine: src.startLine, endLine: src.endLine, headingPath: src.headingPath, citation: citation(src, root), relevance: Number(h.relevance.toFixed(4)) };
      }),
    })),
    next: r.next,
  };
}
