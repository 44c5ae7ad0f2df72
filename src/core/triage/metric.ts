import type { AlarmInfo, MetricPoint, MetricQuery } from '../ports.js';

/** Triage reads the alarm's metric for this long, one point a minute. */
export const METRIC_WINDOW_MS = 60 * 60_000;
export const METRIC_PERIOD_S = 60;

/** The alarm's metric over the last hour, reduced to what a person reads at a glance. */
export interface MetricSummary {
  namespace: string;
  metricName: string;
  statistic: string;
  periodSeconds: number;
  start: Date;
  end: Date;
  /** Oldest first; empty when the metric had no data in the window. */
  points: MetricPoint[];
  min?: number;
  max?: number;
  last?: number;
  lastAt?: Date;
  threshold?: number;
  comparison?: string;
}

/** The GetMetricData query for an alarm's own metric and statistic, or undefined when it has none (composite). */
export function metricQuery(alarm: AlarmInfo, now: Date): MetricQuery | undefined {
  if (!alarm.namespace || !alarm.metricName) return undefined;
  return {
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: alarm.dimensions,
    statistic: alarm.statistic ?? 'Average',
    periodSeconds: METRIC_PERIOD_S,
    start: new Date(now.getTime() - METRIC_WINDOW_MS),
    end: now,
  };
}

/** Min, max and last of a series (sorted oldest first here, whatever order it came in). */
export function summarizeMetric(query: MetricQuery, points: MetricPoint[], alarm: AlarmInfo): MetricSummary {
  const sorted = [...points].filter((p) => Number.isFinite(p.value)).sort((a, b) => a.time.getTime() - b.time.getTime());
  const values = sorted.map((p) => p.value);
  const last = sorted.at(-1);
  return {
    namespace: query.namespace,
    metricName: query.metricName,
    statistic: query.statistic,
    periodSeconds: query.periodSeconds,
    start: query.start,
    end: query.end,
    points: sorted,
    ...(values.length ? { min: Math.min(...values), max: Math.max(...values), last: last?.value, lastAt: last?.time } : {}),
    ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
    ...(alarm.comparison ? { comparison: alarm.comparison } : {}),
  };
}

/** A deploy this close before the alarm is the first suspect. */
export const RECENT_DEPLOY_MS = 60 * 60_000;

/** When the running task definition was registered and rolled out, relative to when the alarm went off. */
export interface DeployTiming {
  taskDefinition: string;
  registeredAt?: Date;
  /** When the PRIMARY deployment (the one rolling out this task definition) started. */
  deploymentStartedAt?: Date;
  alarmAt?: Date;
  /** The later of the two times above: the change cannot have reached the service before either. */
  deployedAt?: Date;
  /** Whole minutes from deployedAt to the alarm; negative when deployed after the alarm went off. */
  minutesBeforeAlarm?: number;
  /** Deployed within RECENT_DEPLOY_MS before the alarm. */
  suspect: boolean;
}

/**
 * Pure: compares when the running revision went out with the alarm time. A revision registered last week but
 * deployed ten minutes ago counts as deployed ten minutes ago, hence the later of registration and rollout.
 */
export function deployTiming(taskDefinition: string, registeredAt: Date | undefined, deploymentStartedAt: Date | undefined, alarmAt: Date | undefined): DeployTiming {
  const known = [registeredAt, deploymentStartedAt].filter((d): d is Date => d !== undefined);
  const deployedAt = known.length ? new Date(Math.max(...known.map((d) => d.getTime()))) : undefined;
  const t: DeployTiming = { taskDefinition, registeredAt, deploymentStartedAt, alarmAt, deployedAt, suspect: false };
  if (!deployedAt || !alarmAt) return t;
  const ms = alarmAt.getTime() - deployedAt.getTime();
  t.minutesBeforeAlarm = Math.round(ms / 60_000);
  t.suspect = ms >= 0 && ms <= RECENT_DEPLOY_MS;
  return t;
}
