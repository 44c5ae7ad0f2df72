import type { RollbackPlan } from '../core/rollback/plan.js';
import type { RolloutEvent } from '../core/rollback/rollout.js';
import type { RollbackResult } from '../core/rollback/run.js';

const FIELD_NAMES = { cpu: 'cpu', memory: 'memory', taskRole: 'task role' } as const;

/** The plan as a human reads it before answering: what runs now, what will run, and what differs. */
export function rollbackPlanText(plan: RollbackPlan): string {
  const out = [
    `Rollback plan: service ${plan.service} (cluster ${plan.cluster})`,
    `  from ${plan.from}  →  to ${plan.to}   (desired count ${plan.desiredCount}, unchanged)`,
  ];
  if (plan.skipped.length) out.push(`  skipped (not ACTIVE): ${plan.skipped.join(', ')}`);
  for (const c of plan.containers) {
    if (c.kind === 'added') out.push(`  + container ${c.name}: ${c.imageTo} (only in ${plan.to})`);
    else if (c.kind === 'removed') out.push(`  - container ${c.name}: ${c.imageFrom} (not in ${plan.to})`);
    else if (c.imageFrom === c.imageTo) out.push(`  container ${c.name}: image ${c.imageTo} (unchanged)`);
    else out.push(`  container ${c.name}: image ${c.imageFrom} → ${c.imageTo}`);
    if (c.kind !== 'added' && c.envAdded.length) out.push(`      env added:   ${c.envAdded.join(', ')}`);
    if (c.kind !== 'removed' && c.envRemoved.length) out.push(`      env removed: ${c.envRemoved.join(', ')}`);
  }
  for (const f of plan.fields) out.push(`  ${FIELD_NAMES[f.field]}: ${f.from ?? '(none)'} → ${f.to ?? '(none)'}`);
  if (!plan.fields.length) out.push('  cpu, memory, task role: unchanged');
  for (const w of plan.warnings) out.push(`  warning: ${w}`);
  return `${out.join('\n')}\n`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/** The scripted command that would carry out this plan (printed after a dry run). */
export function rollbackCommand(plan: RollbackPlan): string {
  return `opsctl rollback --cluster ${plan.cluster} --service ${plan.service} --to ${plan.to} --reason "..." --yes`;
}

/** One closing line per outcome; failed and timed-out runs also get an error line on stderr from the CLI. */
export function rollbackOutcomeText(r: RollbackResult): string {
  const p = r.plan;
  switch (r.outcome) {
    case 'dry-run':
      return `Dry run: nothing changed. To roll back: ${rollbackCommand(p)}\n`;
    case 'declined':
      return `${p.service}: not rolled back (answered no). Nothing changed.\n`;
    case 'started':
      return `${p.service}: rollback to ${p.to} started (not waiting). Follow it with: aws ecs describe-services --cluster ${p.cluster} --services ${p.service}\n`;
    case 'completed':
      return `${p.service} rolled back to ${p.to} (completed in ${seconds(r.durationMs)}).\n`;
    case 'failed':
      return `${p.service}: rollback to ${p.to} FAILED: ${r.detail ?? ''}\n`;
    case 'timeout':
      return `${p.service}: rollback to ${p.to} still not complete: ${r.detail ?? ''}\n`;
  }
}

/** Plain progress lines for stderr when no live view can be drawn. */
export function rolloutEventLine(e: RolloutEvent): string {
  if (e.type === 'tick') return ''; // a line per poll would flood a log; the live view uses ticks
  if (e.type === 'service-event') return `  event ${e.at ? e.at.toISOString().slice(11, 19) : ''} ${e.message}\n`;
  return `  [${seconds(e.elapsedMs)}] ${e.status.state}: ${e.status.detail}\n`;
}
