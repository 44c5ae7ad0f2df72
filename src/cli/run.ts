import chalk from 'chalk';
import { CommanderError } from 'commander';
import { reportConfigWarnings } from '../config/load.js';
import { EXIT, isOpsctlError } from '../core/errors.js';
import { sanitizeForTerminal as clean } from '../core/safety/sanitize.js';
import type { Deps } from './deps.js';
import type { Io, RunState } from './io.js';
import { noColor } from './mode.js';
import { createProgram } from './program.js';

/** Runs one command line in-process and returns its exit code. Never throws, never exits. */
export async function runCli(argv: string[], deps: Deps, io: Io): Promise<number> {
  const state: RunState = { exitCode: EXIT.OK };
  const debug = argv.includes('--debug');
  // no-color.org: Ink colours and styles through chalk, whose own detection ignores NO_COLOR; the env is ours.
  const level = chalk.level;
  if (noColor(io.env)) chalk.level = 0;
  reportConfigWarnings(io.env, (line) => io.stderr.write(line));
  try {
    await (await createProgram(deps, io, state, argv)).parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError && e.exitCode !== 0) {
      try {
        state.onParseError?.(e);
      } catch (hookError) {
        reportError(hookError, io, debug);
      }
    }
    return reportError(e, io, debug);
  } finally {
    chalk.level = level;
  }
}

export function reportError(e: unknown, io: Pick<Io, 'stderr'>, debug: boolean): number {
  if (e instanceof CommanderError) {
    // Commander already printed its message (help, version or a usage error).
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (isOpsctlError(e)) {
    // Messages quote AWS strings, file names and backend errors: untrusted on their way to a terminal.
    io.stderr.write(`opsctl: ${clean(e.message)}\n`);
    if (e.hint) io.stderr.write(`  hint: ${clean(e.hint)}\n`);
    if (debug && e.stack) io.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`opsctl: unexpected error: ${clean(err.message)}\n`);
  io.stderr.write(debug ? `${err.stack}\n` : '  hint: run again with --debug for details, and report it if it persists\n');
  return EXIT.INTERNAL;
}
