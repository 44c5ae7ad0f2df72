import type { AlarmInfo } from '../ports.js';

/** What an alarm is about, as far as triage cares. */
export type AlarmKind =
  | 'lb-5xx'
  | 'target-health'
  | 'load-balancer'
  | 'ecs-cpu'
  | 'ecs-memory'
  | 'ecs-task-count'
  | 'ecs'
  | 'rds'
  | 'lambda'
  | 'sqs'
  | 'api-gateway'
  | 'other';

/** The ECS service triage looks at, and who named it. */
export interface ServiceRef {
  cluster: string;
  service: string;
  from: 'alarm' | 'flags' | 'alarm+flags' | 'target-group';
}

export interface Classification {
  kind: AlarmKind;
  /** A few words for people: "load balancer 5xx errors". */
  label: string;
  /** Words for the runbook query so the right runbook wins over a merely similar one (an RDS CPU one for ECS CPU). */
  queryWords: string;
  /** True when a bad deploy of an ECS service is a usual cause, so a rollback is worth checking. */
  deployRelated: boolean;
  /** The resource the alarm watches, from its dimensions ("app/prod-public-alb/0123", "prod/web-api"). */
  resource?: string;
  service?: ServiceRef;
  /** Why no ECS service was named and which flags would name it (deploy-related kinds only). */
  serviceHint?: string;
  /** Things worth saying about how the hints were used. */
  notes: string[];
}

export interface ServiceHints {
  cluster?: string;
  service?: string;
}

export const LB_NAMESPACES = new Set(['AWS/ApplicationELB', 'AWS/ELB', 'AWS/NetworkELB']);
const ECS_NAMESPACES = new Set(['AWS/ECS', 'ECS/ContainerInsights']);
/** Namespaces whose alarms are triaged from runbooks only: an ECS rollback is not the fix. */
const RUNBOOK_ONLY: Record<string, { kind: AlarmKind; label: string; queryWords: string }> = {
  'AWS/RDS': { kind: 'rds', label: 'RDS database', queryWords: 'RDS database' },
  'AWS/Lambda': { kind: 'lambda', label: 'Lambda function', queryWords: 'Lambda function' },
  'AWS/SQS': { kind: 'sqs', label: 'SQS queue', queryWords: 'SQS queue backlog' },
  'AWS/ApiGateway': { kind: 'api-gateway', label: 'API Gateway', queryWords: 'API Gateway' },
};

function dim(alarm: AlarmInfo, name: string): string | undefined {
  return alarm.dimensions.find((d) => d.name === name)?.value || undefined;
}

function lbKind(metric: string): Pick<Classification, 'kind' | 'label' | 'queryWords'> {
  // HTTPCode_ELB_5XX_Count, HTTPCode_Target_5XX_Count, HTTPCode_ELB_502_Count, classic HTTPCode_Backend_5XX, ...
  if (/^HTTPCode_.*5(XX|\d\d)/i.test(metric)) {
    const who = /Target|Backend/i.test(metric) ? 'targets' : 'load balancer';
    return { kind: 'lb-5xx', label: `load balancer 5xx errors (from the ${who})`, queryWords: 'ALB 5xx errors' };
  }
  if (/^(UnHealthyHostCount|HealthyHostCount)$/i.test(metric)) {
    return { kind: 'target-health', label: 'load balancer target health', queryWords: 'unhealthy targets health check failures' };
  }
  return { kind: 'load-balancer', label: `load balancer ${metric || 'alarm'}`, queryWords: 'load balancer' };
}

/** An ECS service alarm is triaged as a possible bad deploy, so its runbook query leans on deploy and roll back. */
const ECS_WORDS = 'ECS service tasks deploy roll back task definition';

function ecsKind(metric: string): Pick<Classification, 'kind' | 'label' | 'queryWords'> {
  if (/^(CPUUtilization|CpuUtilized|CpuReserved|CPUReservation)$/i.test(metric)) {
    return { kind: 'ecs-cpu', label: 'ECS service CPU', queryWords: `${ECS_WORDS} CPU` };
  }
  if (/^(MemoryUtilization|MemoryUtilized|MemoryReserved|MemoryReservation)$/i.test(metric)) {
    return { kind: 'ecs-memory', label: 'ECS service memory', queryWords: `${ECS_WORDS} memory` };
  }
  if (/TaskCount$/i.test(metric)) {
    return { kind: 'ecs-task-count', label: 'ECS running task count', queryWords: `${ECS_WORDS} running count below desired` };
  }
  return { kind: 'ecs', label: `ECS ${metric || 'alarm'}`, queryWords: ECS_WORDS };
}

/** The ECS service from the alarm's dimensions, filled in or overridden by --cluster/--service. */
function resolveService(alarm: AlarmInfo, hints: ServiceHints, notes: string[]): { service?: ServiceRef; missing: string[] } {
  const fromAlarm = { cluster: dim(alarm, 'ClusterName'), service: dim(alarm, 'ServiceName') };
  for (const key of ['cluster', 'service'] as const) {
    if (hints[key] && fromAlarm[key] && hints[key] !== fromAlarm[key]) {
      notes.push(`--${key} ${hints[key]} overrides the alarm's ${key === 'cluster' ? 'ClusterName' : 'ServiceName'} ${fromAlarm[key]}`);
    }
  }
  const cluster = hints.cluster ?? fromAlarm.cluster;
  const service = hints.service ?? fromAlarm.service;
  const missing = [cluster ? '' : '--cluster CLUSTER', service ? '' : '--service SERVICE'].filter(Boolean);
  if (!cluster || !service) return { missing };
  const usedFlags = Boolean(hints.cluster || hints.service);
  const usedAlarm = (!hints.cluster && Boolean(fromAlarm.cluster)) || (!hints.service && Boolean(fromAlarm.service));
  return { service: { cluster, service, from: usedFlags && usedAlarm ? 'alarm+flags' : usedFlags ? 'flags' : 'alarm' }, missing };
}

function resourceOf(alarm: AlarmInfo): string | undefined {
  const cluster = dim(alarm, 'ClusterName');
  const service = dim(alarm, 'ServiceName');
  if (cluster || service) return [cluster, service].filter(Boolean).join('/');
  const named = ['TargetGroup', 'LoadBalancer', 'LoadBalancerName', 'DBInstanceIdentifier', 'DBClusterIdentifier', 'FunctionName', 'QueueName', 'ApiName', 'ApiId']
    .map((n) => dim(alarm, n))
    .filter(Boolean);
  return named[0] ?? alarm.dimensions[0]?.value;
}

/**
 * Classifies a CloudWatch alarm for triage. Pure. Load balancer 5xx, target health and ECS alarms are
 * deploy-related: they name an ECS service (from ClusterName/ServiceName dimensions or the hints) to check
 * for a rollback. RDS, Lambda, SQS and API Gateway alarms are triaged from their runbooks only.
 */
export function classifyAlarm(alarm: AlarmInfo, hints: ServiceHints = {}): Classification {
  const ns = alarm.namespace ?? '';
  const metric = alarm.metricName ?? '';
  const notes: string[] = [];
  const resource = resourceOf(alarm);
  const only = RUNBOOK_ONLY[ns];
  if (only) {
    if (hints.cluster || hints.service) notes.push(`--cluster/--service ignored: ${only.label} alarms are triaged from the runbooks only`);
    return { ...only, deployRelated: false, resource, notes };
  }
  const base = LB_NAMESPACES.has(ns) ? lbKind(metric) : ECS_NAMESPACES.has(ns) ? ecsKind(metric) : undefined;
  if (!base) {
    // Unknown namespace or a composite alarm: runbooks first, but let the hints name a service to check.
    const { service } = resolveService(alarm, hints, notes);
    const label = alarm.namespace ? `${alarm.namespace} ${metric}`.trim() : 'composite alarm';
    return { kind: 'other', label, queryWords: '', deployRelated: Boolean(service), resource, service, notes };
  }
  const { service, missing } = resolveService(alarm, hints, notes);
  const result: Classification = { ...base, deployRelated: true, resource, service, notes };
  if (!service) {
    result.serviceHint = LB_NAMESPACES.has(ns)
      ? `the alarm does not name the ECS service behind ${resource ?? 'the load balancer'}: pass ${missing.join(' ')} (aws ecs describe-services shows each service's loadBalancers[].targetGroupArn)`
      : `the alarm names no ${missing.map((m) => m.split(' ')[0].slice(2)).join(' or ')}: pass ${missing.join(' ')}`;
  }
  return result;
}

/**
 * The runbook query for an alarm: its name, description and metric, plus the classification's words. Leaner
 * than `ask --alarm`'s query on purpose: dimension names and the state reason's numbers dilute relevance.
 */
export function triageQuery(alarm: AlarmInfo, c: Pick<Classification, 'queryWords'>): string {
  return [alarm.name.replace(/[-_.:/]+/g, ' '), alarm.description ?? '', alarm.metricName ?? '', c.queryWords]
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
