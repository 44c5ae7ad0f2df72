import { Command } from 'commander';
import type { Deps } from './deps.js';
import type { Io, RunState } from './io.js';
import { registerIndex } from '../commands/index.js';
import { registerAsk } from '../commands/ask.js';
import { registerRollback } from '../commands/rollback.js';
import { registerAudit } from '../commands/audit.js';
import { registerRunbook } from '../commands/runbook.js';
import { registerLogs } from '../commands/logs.js';
import { registerEval } from '../commands/eval.js';

export interface CommandContext {
  deps: Deps;
  io: Io;
  state: RunState;
}

/** Builds a fresh program; commands register themselves here, one line each. */
export function createProgram(deps: Deps, io: Io, state: RunState): Command {
  const program = new Command('opsctl')
    .description('A command-line copilot for on-call engineers: the right runbook section, offline first.')
    .version('0.1.0')
    .option('--debug', 'show stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const ctx: CommandContext = { deps, io, state };
  registerIndex(program, ctx);
  registerAsk(program, ctx);
  registerRollback(program, ctx);
  registerAudit(program, ctx);
  registerRunbook(program, ctx);
  registerLogs(program, ctx);
  registerEval(program, ctx);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}
