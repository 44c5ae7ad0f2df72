import { OpsctlError } from '../errors.js';
import type { EcsGateway, EcsServiceInfo, TaskDefinitionInfo } from '../ports.js';
import { diffTaskDefinitions, type TaskDefDiff } from './diff.js';
import { parseTaskDefRef, refName, type TaskDefRef } from './task-def-ref.js';

export interface RollbackRequest {
  cluster: string;
  service: string;
  /** Target revision ("family:rev", a bare revision, or an ARN); default: the latest earlier ACTIVE revision. */
  to?: string;
  /** Roll back even while a deployment is in progress. */
  force?: boolean;
}

/** Everything a human needs to say yes or no, and everything execute needs to act. */
export interface RollbackPlan extends TaskDefDiff {
  cluster: string;
  service: string;
  desiredCount: number;
  /** Current and target revisions, full descriptions. */
  current: TaskDefinitionInfo;
  target: TaskDefinitionInfo;
  /** "family:rev" names, as shown and audited. */
  from: string;
  to: string;
  /** Earlier revisions passed over because they are not ACTIVE (only when the target was chosen for you). */
  skipped: string[];
  /** Things the human should know before answering (forced past a running deployment, rolling forward). */
  warnings: string[];
}

/** A safety refusal: the plan cannot be built. Exit code ABORTED. */
function refuse(message: string, hint: string): OpsctlError {
  return new OpsctlError('aborted', message, hint);
}

/** True when ECS is still moving tasks: more than one deployment, or the primary one not settled. */
export function deploymentInProgress(svc: EcsServiceInfo): boolean {
  if (svc.deployments.length > 1) return true;
  return svc.deployments.some((d) => d.rolloutState === 'IN_PROGRESS');
}

/** Refuses a service that cannot be rolled back now; returns warnings for what --force let through. */
export function checkService(svc: EcsServiceInfo, force = false): string[] {
  if (svc.status !== 'ACTIVE') {
    throw refuse(`service ${svc.name} is ${svc.status}, not ACTIVE`, 'only an ACTIVE service can be rolled back');
  }
  if (deploymentInProgress(svc)) {
    const what = svc.deployments.map((d) => `${d.status} ${d.taskDefinition.split('/').pop()} ${d.rolloutState ?? ''}`.trim());
    if (!force) {
      throw refuse(`a deployment is already in progress on ${svc.name} (${what.join('; ')})`, 'wait for it to finish, or pass --force to roll back anyway');
    }
    return [`a deployment is in progress (${what.join('; ')}); --force given`];
  }
  return [];
}

/**
 * Picks the rollback target among a family's revisions: the newest ACTIVE one older than `current`.
 * `inactive` revisions in between are reported as skipped. Throws when there is none.
 */
export function chooseTarget(current: TaskDefRef, active: number[], inactive: number[] = []): { revision: number; skipped: number[] } {
  const earlier = active.filter((r) => r < current.revision).sort((a, b) => b - a);
  if (earlier.length === 0) {
    const none = inactive.some((r) => r < current.revision) ? 'no earlier ACTIVE revision (the earlier ones are deregistered)' : 'no earlier revision';
    throw refuse(`${refName(current)} has ${none} to roll back to`, 'pass --to family:revision to choose one');
  }
  const revision = earlier[0];
  const skipped = inactive.filter((r) => r > revision && r < current.revision).sort((a, b) => b - a);
  return { revision, skipped };
}

function revisions(arns: string[], family: string): number[] {
  return arns.map((a) => parseTaskDefRef(a)).filter((r) => r.family === family).map((r) => r.revision);
}

/**
 * Builds the rollback plan from live ECS state. Read-only: describes the service, lists the family's
 * revisions when no target is given, and describes both task definitions. Refusals are OpsctlErrors.
 */
export async function planRollback(ecs: EcsGateway, req: RollbackRequest): Promise<RollbackPlan> {
  const svc = await ecs.describeService(req.cluster, req.service);
  const warnings = checkService(svc, req.force);
  const currentRef = parseTaskDefRef(svc.taskDefinition);
  let targetRef: TaskDefRef;
  let skipped: number[] = [];
  if (req.to) {
    targetRef = parseTaskDefRef(req.to, currentRef.family);
    if (targetRef.family !== currentRef.family) {
      throw refuse(`--to ${refName(targetRef)} is not a revision of ${currentRef.family}`, `a rollback stays in the service's family: --to ${currentRef.family}:<revision>`);
    }
  } else {
    const [active, inactive] = await Promise.all([
      ecs.listTaskDefinitions(currentRef.family, 'ACTIVE'),
      ecs.listTaskDefinitions(currentRef.family, 'INACTIVE'),
    ]);
    const pick = chooseTarget(currentRef, revisions(active, currentRef.family), revisions(inactive, currentRef.family));
    targetRef = { family: currentRef.family, revision: pick.revision };
    skipped = pick.skipped;
  }
  if (targetRef.revision === currentRef.revision) {
    throw refuse(`${svc.name} already runs ${refName(currentRef)}`, 'nothing to roll back; pick another revision with --to');
  }
  const [current, target] = await Promise.all([ecs.describeTaskDefinition(svc.taskDefinition), ecs.describeTaskDefinition(refName(targetRef))]);
  if (target.status !== 'ACTIVE') {
    throw refuse(`${refName(targetRef)} is ${target.status}; ECS cannot start new tasks from it`, 'pick an ACTIVE revision with --to, or let opsctl choose one');
  }
  if (targetRef.revision > currentRef.revision) warnings.push(`${refName(targetRef)} is newer than ${refName(currentRef)}: this rolls forward`);
  return {
    cluster: req.cluster,
    service: svc.name,
    desiredCount: svc.desiredCount,
    current,
    target,
    from: refName(currentRef),
    to: refName(targetRef),
    skipped: skipped.map((r) => `${currentRef.family}:${r}`),
    warnings,
    ...diffTaskDefinitions(current, target),
  };
}
