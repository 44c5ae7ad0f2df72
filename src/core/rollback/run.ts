import { randomUUID } from 'node:crypto';
import type { AuditSink } from '../audit/log.js';
import { AUDIT_SCHEMA, type AuditRecord } from '../audit/record.js';
import { OpsctlError, isOpsctlError } from '../errors.js';
import type { CallerIdentity, Clock, Confirm, EcsGateway } from '../ports.js';
import { decideGate, type Approval } from './gate.js';
import { planRollback, type RollbackPlan, type RollbackRequest } from './plan.js';
import { waitForRollout, type RolloutEvent } from './rollout.js';
import { refName, parseTaskDefRef, sameTaskDef } from './task-def-ref.js';

export interface RollbackDeps {
  ecs: EcsGateway;
  clock: Clock;
  audit: AuditSink;
  /** Who the AWS credentials are; failures are tolerated (the audit says "unknown"). */
  identity: () => Promise<CallerIdentity>;
  /** The y/N prompt; only used when `canPrompt`. */
  confirm?: Confirm;
}

export interface RollbackOptions extends RollbackRequest {
  dryRun: boolean;
  yes: boolean;
  canPrompt: boolean;
  wait: boolean;
  timeoutMs: number;
  pollMs: number;
  reason?: string;
  user: string;
  region?: string;
  signal?: AbortSignal;
}

/** How the caller shows what happens; the core never knows whether it is Ink, text or JSON. */
export interface RollbackView {
  plan(plan: RollbackPlan): void;
  progress(event: RolloutEvent): void;
}

export type RollbackOutcome = 'dry-run' | 'declined' | 'started' | 'completed' | 'failed' | 'timeout';

export interface RollbackResult {
  id: string;
  plan: RollbackPlan;
  outcome: RollbackOutcome;
  approval: Approval;
  detail?: string;
  durationMs: number;
}

/** What is known of a run refused on its flags, before any plan. */
export interface RefusedRun {
  cluster?: string;
  service?: string;
  reason?: string;
  user: string;
  region?: string;
}

/**
 * Audits a run refused before it could plan (a missing --service, a bad --timeout...): the trail shows every
 * attempt to roll back, not only the well-formed ones. Outcome "refused" with the error as detail.
 */
export function auditRefusedRun(deps: Pick<RollbackDeps, 'audit' | 'clock'>, run: RefusedRun, detail: string): void {
  deps.audit.append({
    schema: AUDIT_SCHEMA, id: randomUUID(), time: deps.clock.now().toISOString(), event: 'plan', user: run.user, region: run.region,
    cluster: run.cluster ?? '', service: run.service ?? '', reason: run.reason, approval: 'none', outcome: 'refused', detail, durationMs: 0,
  });
}

/** The question the prompt asks. */
export function confirmQuestion(plan: RollbackPlan): string {
  return `Roll back ${plan.service} to ${plan.to}?`;
}

/**
 * The rollback use case: plan → gate → re-check → UpdateService → wait, with an audit record for the plan,
 * the answer and the outcome. Refusals and the stale-plan abort throw OpsctlError('aborted') after auditing;
 * deployment failure and timeout are returned so the caller can present them before choosing the exit code.
 */
export async function runRollback(deps: RollbackDeps, opts: RollbackOptions, view: RollbackView): Promise<RollbackResult> {
  const id = randomUUID();
  const start = deps.clock.now().getTime();
  const identity = deps.identity().catch((): CallerIdentity => ({}));
  let plan: RollbackPlan | undefined;
  let approval: Approval = 'none';
  const audit = async (event: AuditRecord['event'], outcome: string, detail?: string): Promise<void> => {
    const who = await identity;
    deps.audit.append({
      schema: AUDIT_SCHEMA, id, time: deps.clock.now().toISOString(), event, user: opts.user,
      caller: who.arn, account: who.account, region: opts.region, cluster: opts.cluster, service: opts.service,
      from: plan?.from, to: plan?.to, reason: opts.reason, approval, outcome, detail,
      durationMs: deps.clock.now().getTime() - start,
    });
  };
  const result = (outcome: RollbackOutcome, detail?: string): RollbackResult =>
    ({ id, plan: plan as RollbackPlan, outcome, approval, detail, durationMs: deps.clock.now().getTime() - start });

  try {
    plan = await planRollback(deps.ecs, opts);
  } catch (e) {
    await audit('plan', 'refused', (e as Error).message);
    throw e;
  }
  const gate = decideGate(opts);
  await audit('plan', gate.kind === 'dry-run' ? 'dry-run' : 'planned', plan.warnings.join('; ') || undefined);
  view.plan(plan);
  if (gate.kind === 'dry-run') return result('dry-run');
  if (gate.kind === 'refuse') {
    await audit('decision', 'refused', gate.message);
    throw new OpsctlError('aborted', gate.message, gate.hint);
  }
  if (gate.kind === 'approved') {
    approval = gate.approval;
  } else {
    if (!deps.confirm) throw new Error('rollback: canPrompt without a Confirm');
    approval = 'tty';
    if (!(await deps.confirm.ask(confirmQuestion(plan)))) {
      await audit('decision', 'declined');
      return result('declined', 'answered no');
    }
  }
  await audit('decision', 'approved');

  // The human said yes to this plan; if ECS moved on meanwhile, that yes no longer applies.
  let before;
  try {
    before = await deps.ecs.describeService(opts.cluster, opts.service);
  } catch (e) {
    await audit('outcome', 'error', (e as Error).message);
    throw e;
  }
  if (!sameTaskDef(before.taskDefinition, plan.current.arn)) {
    const now = refName(parseTaskDefRef(before.taskDefinition));
    const msg = `not rolled back: ${plan.service} changed since the plan was shown (it now runs ${now}, the plan was made for ${plan.from})`;
    await audit('outcome', 'aborted', msg);
    throw new OpsctlError('aborted', msg, 'run the command again to see a fresh plan');
  }
  try {
    await deps.ecs.updateService(opts.cluster, opts.service, plan.target.arn);
  } catch (e) {
    await audit('outcome', 'error', (e as Error).message);
    throw e;
  }
  if (!opts.wait) {
    await audit('outcome', 'started', 'not waiting (--no-wait)');
    return result('started');
  }
  try {
    const waited = await waitForRollout(deps.ecs, deps.clock, {
      cluster: opts.cluster, service: opts.service, target: plan.target.arn, timeoutMs: opts.timeoutMs,
      pollMs: opts.pollMs, seenEventIds: before.events.map((e) => e.id), signal: opts.signal,
    }, (e) => view.progress(e));
    await audit('outcome', waited.state, waited.detail);
    return result(waited.state, waited.detail);
  } catch (e) {
    const interrupted = opts.signal?.aborted === true;
    await audit('outcome', interrupted ? 'interrupted' : 'error', (e as Error).message);
    if (interrupted && !isOpsctlError(e)) {
      throw new OpsctlError('interrupted', 'stopped waiting; the rollback continues in ECS', `follow it with: aws ecs describe-services --cluster ${opts.cluster} --services ${opts.service}`);
    }
    throw e;
  }
}
