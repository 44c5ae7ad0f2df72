import type { Classification } from './classify.js';
import type { Gathered, NextStep, RollbackCheck } from './types.js';

/** Quotes a value for a POSIX shell only when it needs it, so suggested commands can be pasted as they are. */
export function shellArg(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface NextInput {
  alarmName: string;
  classification: Classification;
  rollback: Gathered<RollbackCheck>;
  /** Services that could be the one behind the alarm (several use its target group); one command each. */
  candidates?: Array<{ cluster: string; service: string }>;
  /** Passed on to suggested commands when the user gave it. */
  region?: string;
}

/**
 * The commands to run next, best first. Pure. A possible rollback leads with its dry run; a refused one says
 * why; several candidate services get one triage command each; an alarm that names no service says which
 * flags name it; anything else points at the runbooks.
 */
export function nextSteps(input: NextInput): NextStep[] {
  const { classification: c, rollback } = input;
  const region = input.region ? ` --region ${shellArg(input.region)}` : '';
  const askStep: NextStep = { command: `opsctl ask --alarm ${shellArg(input.alarmName)}${region}`, why: 'read the matching runbook sections in full' };
  const steps: NextStep[] = [];
  if (c.service) {
    const svc = `--cluster ${shellArg(c.service.cluster)} --service ${shellArg(c.service.service)}`;
    const check = rollback.status === 'ok' ? rollback.value : undefined;
    if (check?.possible) {
      steps.push({
        command: `opsctl rollback ${svc}${region} --dry-run`,
        why: `preview rolling ${c.service.service} back from ${check.from} to ${check.to}; nothing changes`,
      });
    } else if (check) {
      steps.push({
        command: `aws ecs describe-services ${svc.replace('--service', '--services')}${region}`,
        why: `no rollback to suggest: ${check.reason}${check.hint ? ` (${check.hint})` : ''}`,
      });
    } else if (rollback.status === 'failed') {
      steps.push({ command: `opsctl rollback ${svc}${region} --dry-run`, why: `triage could not check a rollback (${rollback.message}); the dry run shows the plan or why there is none` });
    }
  } else if (input.candidates?.length) {
    const n = input.candidates.length;
    for (const m of input.candidates) {
      steps.push({
        command: `opsctl triage --alarm ${shellArg(input.alarmName)} --cluster ${shellArg(m.cluster)} --service ${shellArg(m.service)}${region}`,
        why: `triage ${m.cluster}/${m.service}, one of the ${n} ECS services using the alarm's target group`,
      });
    }
  } else if (c.serviceHint) {
    steps.push({
      command: `opsctl triage --alarm ${shellArg(input.alarmName)} --cluster CLUSTER --service SERVICE${region}`,
      why: c.serviceHint,
    });
  }
  steps.push(askStep);
  return steps;
}
