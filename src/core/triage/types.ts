import type { TaskDefDiff } from '../rollback/diff.js';
import type { AlarmInfo, EcsDeployment, EcsServiceEvent } from '../ports.js';
import type { Hit } from '../runbooks/search.js';
import type { Classification } from './classify.js';
import type { ServiceLookup } from './find-service.js';
import type { DeployTiming, MetricSummary } from './metric.js';

/** One gathered piece of evidence: found, failed (reported, never fatal), or not applicable. */
export type Gathered<T> =
  | { status: 'ok'; value: T }
  | { status: 'failed'; message: string; hint?: string }
  | { status: 'skipped'; reason: string };

/** The ECS service as triage shows it. */
export interface ServiceSnapshot {
  cluster: string;
  service: string;
  status: string;
  /** "family:rev" */
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: EcsDeployment[];
  /** Newest first, at most a few. */
  events: EcsServiceEvent[];
}

/** Whether `opsctl rollback` would find a target now, without changing anything. */
export type RollbackCheck =
  | ({ possible: true; from: string; to: string; skipped: string[]; warnings: string[] } & TaskDefDiff)
  | { possible: false; reason: string; hint?: string };

/** Runbook sections that match the alarm. */
export interface RunbookMatches {
  query: string;
  hits: Hit[];
  /** Nothing reached the relevance floor. */
  noMatch: boolean;
}

/** A command to run next and why. */
export interface NextStep {
  command: string;
  why: string;
}

/** Everything `opsctl triage` found; presenters turn it into text or opsctl.triage/v1 JSON. */
export interface TriageReport {
  alarm: AlarmInfo;
  classification: Classification;
  /** When the alarm last went into ALARM. */
  alarmAt: Gathered<Date | undefined>;
  metric: Gathered<MetricSummary>;
  /** The search for the ECS service behind a load balancer alarm's target group (skipped when not needed). */
  serviceLookup: Gathered<ServiceLookup>;
  service: Gathered<ServiceSnapshot>;
  deploy: Gathered<DeployTiming>;
  rollback: Gathered<RollbackCheck>;
  runbooks: Gathered<RunbookMatches>;
  /** The first is the one to run next. */
  next: NextStep[];
}
