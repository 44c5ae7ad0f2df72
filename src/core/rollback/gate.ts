/** How a rollback was approved, as written to the audit log. */
export type Approval = 'tty' | '--yes' | 'none';

export type GateDecision =
  | { kind: 'dry-run' }
  | { kind: 'ask' }
  | { kind: 'approved'; approval: '--yes' }
  | { kind: 'refuse'; message: string; hint: string };

export interface GateInput {
  dryRun: boolean;
  yes: boolean;
  /** A human is at a terminal that can show the Ink prompt. */
  canPrompt: boolean;
}

/**
 * Decides how a plan gets (or does not get) a human's yes. --dry-run wins over everything; --yes approves
 * without a prompt; otherwise a terminal asks, and without one the rollback is refused, saying how to proceed.
 */
export function decideGate(input: GateInput): GateDecision {
  if (input.dryRun) return { kind: 'dry-run' };
  if (input.yes) return { kind: 'approved', approval: '--yes' };
  if (input.canPrompt) return { kind: 'ask' };
  return {
    kind: 'refuse',
    message: 'not rolled back: no terminal to ask for confirmation',
    hint: 'review the plan with --dry-run, then re-run with --yes (and --reason "...") to approve without a prompt',
  };
}

/** Only an explicit "y" or "yes" (any case, surrounding spaces ignored) is a yes. Everything else is no. */
export function isYes(answer: string): boolean {
  const a = answer.trim().toLowerCase();
  return a === 'y' || a === 'yes';
}
