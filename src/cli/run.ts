import { CommanderError } from 'commander';
import { reportConfigWarnings } from '../config/load.js';
import { EXIT, isOpsctlError } from '../core/errors.js';
import type { Deps } from './deps.js';
import type { Io } from './io.js';
import { createProgram } from './program.js';

/** Runs one command line in-process and returns its exit code. Never throws, never exits. */
export async function runCli(argv: string[], deps: Deps, io: Io): Promise<number> {
  const state = { exitCode: EXIT.OK as number };
  const debug = argv.includes('--debug');
  reportConfigWarnings(io.env, (line) => io.stderr.write(line));
  try {
    await (await createProgram(deps, io, state, argv)).parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    return reportError(e, io, debug);
  }
}

export function reportError(e: unknown, io: Pick<Io, 'stderr'>, debug: boolean): number {
  if (e instanceof CommanderError) {
    // Commander already printed its message (help, version or a usage error).
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (isOpsctlError(e)) {
    io.stderr.write(`opsctl: ${e.message}\n`);
    if (e.hint) io.stderr.write(`  hint: ${e.hint}\n`);
    if (debug && e.stack) io.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`opsctl: unexpected error: ${err.message}\n`);
  io.stderr.write(debug ? `${err.stack}\n` : '  hint: run again with --debug for details, and report it if it persists\n');
  return EXIT.INTERNAL;
}
