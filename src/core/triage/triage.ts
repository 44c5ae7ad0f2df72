import { isOpsctlError } from '../errors.js';
import type { AlarmSource, EcsGateway, MetricSource } from '../ports.js';
import { planRollback } from '../rollback/plan.js';
import { parseTaskDefRef, refName } from '../rollback/task-def-ref.js';
import { classifyAlarm, triageQuery, type Classification, type ServiceHints, type ServiceRef } from './classify.js';
import { applyLookup, findServicesByTargetGroup, lookupRequest, type ServiceLookup } from './find-service.js';
import { deployTiming, metricQuery, summarizeMetric, type DeployTiming, type MetricSummary } from './metric.js';
import { nextSteps } from './next.js';
import type { Gathered, RollbackCheck, RunbookMatches, ServiceSnapshot, TriageReport } from './types.js';

/** Service events shown by triage: the newest few are what changed; older ones are noise at 3 a.m. */
export const EVENTS_SHOWN = 5;

export interface TriageDeps {
  alarms: AlarmSource;
  metrics: MetricSource;
  ecs: EcsGateway;
  /** Runbook sections matching a query built from the alarm (see searchRunbooks). */
  runbooks(query: string): Promise<RunbookMatches>;
  now(): Date;
}

export interface TriageRequest extends ServiceHints {
  alarm: string;
  /** Only echoed into suggested commands. */
  region?: string;
}

function shortRef(ref: string): string {
  try {
    return refName(parseTaskDefRef(ref));
  } catch {
    return ref.split('/').pop() ?? ref;
  }
}

function failed<T>(e: unknown): Gathered<T> {
  if (isOpsctlError(e)) return { status: 'failed', message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  return { status: 'failed', message: e instanceof Error ? e.message : String(e) };
}

async function gather<T>(run: () => Promise<T>): Promise<Gathered<T>> {
  try {
    return { status: 'ok', value: await run() };
  } catch (e) {
    return failed(e);
  }
}

function noService(c: Classification): Gathered<never> {
  return { status: 'skipped', reason: c.serviceHint ?? `a ${c.label} alarm names no ECS service` };
}

async function snapshot(ecs: EcsGateway, ref: ServiceRef): Promise<ServiceSnapshot> {
  const s = await ecs.describeService(ref.cluster, ref.service);
  return {
    cluster: ref.cluster,
    service: s.name || ref.service,
    status: s.status,
    taskDefinition: shortRef(s.taskDefinition),
    desiredCount: s.desiredCount,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    deployments: s.deployments.map((d) => ({ ...d, taskDefinition: shortRef(d.taskDefinition) })),
    events: s.events.slice(0, EVENTS_SHOWN),
  };
}

/** planRollback is read-only; its safety refusals (exit ABORTED) become "not possible, because". */
async function checkRollback(ecs: EcsGateway, ref: ServiceRef): Promise<RollbackCheck> {
  try {
    const plan = await planRollback(ecs, { cluster: ref.cluster, service: ref.service });
    return { possible: true, from: plan.from, to: plan.to, skipped: plan.skipped, warnings: plan.warnings, containers: plan.containers, fields: plan.fields };
  } catch (e) {
    if (isOpsctlError(e) && e.code === 'aborted') return { possible: false, reason: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    throw e;
  }
}

/**
 * Triages one CloudWatch alarm. Never changes anything. Describes the alarm (a failure there is fatal: it
 * throws OpsctlError('aws')), classifies it, then gathers in parallel the metric's last hour, when the alarm
 * went off, the ECS service behind a load balancer alarm's target group when nothing names it (see
 * findServicesByTargetGroup), the ECS service (events, deployments, when its task definition was
 * registered), whether a rollback has a target, and the matching runbook sections. Each of those may fail on
 * its own; the report says which did and why, and suggests the next command.
 */
export async function triageAlarm(deps: TriageDeps, req: TriageRequest): Promise<TriageReport> {
  const alarm = await deps.alarms.describeAlarm(req.alarm);
  const classified = classifyAlarm(alarm, req);
  const now = deps.now();
  const query = metricQuery(alarm, now);
  const lookup = lookupRequest(alarm, classified, req);
  // The lookup runs alongside the alarm history, metric and runbook reads; only the service parts wait for it.
  const lookupP: Promise<Gathered<ServiceLookup>> = 'skip' in lookup
    ? Promise.resolve({ status: 'skipped', reason: lookup.skip })
    : gather(() => findServicesByTargetGroup(deps.ecs, lookup));

  const alarmAtP = gather(() => deps.metrics.lastAlarmAt(alarm.name));
  const metricP: Promise<Gathered<MetricSummary>> = query
    ? gather(async () => summarizeMetric(query, await deps.metrics.series(query), alarm))
    : Promise.resolve({ status: 'skipped', reason: 'the alarm has no single metric (composite or expression alarm)' });
  const classificationP: Promise<Classification> = lookupP.then((l) => applyLookup(classified, l));
  const serviceP: Promise<Gathered<ServiceSnapshot>> = classificationP.then((c) => (c.service ? gather(() => snapshot(deps.ecs, c.service as ServiceRef)) : noService(c)));
  const taskDefP = serviceP.then((s) => (s.status === 'ok' ? gather(() => deps.ecs.describeTaskDefinition(s.value.taskDefinition)) : undefined));
  const rollbackP: Promise<Gathered<RollbackCheck>> = classificationP.then((c) => (c.service ? gather(() => checkRollback(deps.ecs, c.service as ServiceRef)) : noService(c)));
  const runbooksP = gather(() => deps.runbooks(triageQuery(alarm, classified)));

  const [alarmAt, metric, serviceLookup, classification, service, taskDef, rollback, runbooks] = await Promise.all([alarmAtP, metricP, lookupP, classificationP, serviceP, taskDefP, rollbackP, runbooksP]);

  let deploy: Gathered<DeployTiming>;
  if (service.status !== 'ok') deploy = service.status === 'skipped' ? service : { status: 'skipped', reason: 'the service could not be described' };
  else if (!taskDef || taskDef.status !== 'ok') deploy = taskDef ?? { status: 'skipped', reason: 'no task definition' };
  else {
    const primary = service.value.deployments.find((d) => d.status === 'PRIMARY');
    deploy = { status: 'ok', value: deployTiming(service.value.taskDefinition, taskDef.value.registeredAt, primary?.createdAt, alarmAt.status === 'ok' ? alarmAt.value : undefined) };
  }
  const candidates = serviceLookup.status === 'ok' && serviceLookup.value.matches.length > 1 ? serviceLookup.value.matches : [];
  const next = nextSteps({ alarmName: alarm.name, classification, rollback, candidates, region: req.region });
  return { alarm, classification, alarmAt, metric, serviceLookup, service, deploy, rollback, runbooks, next };
}
