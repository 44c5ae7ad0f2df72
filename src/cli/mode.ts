import type { Io } from './io.js';

export type OutputMode = 'interactive' | 'plain' | 'json';

/**
 * Ink only when it is safe: both ends are terminals, CI is unset, and the user wants text.
 * Otherwise stdout carries only data and nothing prompts.
 */
export function outputMode(io: Pick<Io, 'stdin' | 'stdout' | 'env'>, opts: { json?: boolean }): OutputMode {
  if (opts.json) return 'json';
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false' && io.env.CI !== '0';
  if (io.stdin.isTTY && io.stdout.isTTY && !ci) return 'interactive';
  return 'plain';
}

/** True when progress may be drawn in place on stderr. */
export function canDrawProgress(io: Pick<Io, 'stderr' | 'env'>): boolean {
  return Boolean(io.stderr.isTTY) && !io.env.CI;
}

/** no-color.org: NO_COLOR present and not empty turns every colour and text style off. */
export function noColor(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** Plain text may carry colour only to a terminal, and never under NO_COLOR. */
export function plainColor(io: Pick<Io, 'stdout' | 'env'>): boolean {
  return Boolean(io.stdout.isTTY) && !noColor(io.env);
}
