import { Command } from 'commander';
import type { Deps } from './deps.js';
import { guardLlmDeps } from './guard-llm.js';
import type { Io, RunState } from './io.js';

export interface CommandContext {
  deps: Deps;
  io: Io;
  state: RunState;
}

type Register = (program: Command, ctx: CommandContext) => void;

/**
 * Subcommand → the module that registers it. Only the command being run is loaded (all of them for help), so
 * `opsctl ask` does not pay for loading rollback, logs or eval at start-up. Add one line per command.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  index: async () => (await import('../commands/index.js')).registerIndex,
  ask: async () => (await import('../commands/ask.js')).registerAsk,
  rollback: async () => (await import('../commands/rollback.js')).registerRollback,
  audit: async () => (await import('../commands/audit.js')).registerAudit,
  runbook: async () => (await import('../commands/runbook.js')).registerRunbook,
  logs: async () => (await import('../commands/logs.js')).registerLogs,
  eval: async () => (await import('../commands/eval.js')).registerEval,
  triage: async () => (await import('../commands/triage.js')).registerTriage,
  diagnose: async () => (await import('../commands/diagnose.js')).registerDiagnose,
  incident: async () => (await import('../commands/incident.js')).registerIncident,
  mcp: async () => (await import('../commands/mcp.js')).registerMcp,
  completion: async () => (await import('../commands/completion.js')).registerCompletion,
};

/** The subcommand named on the command line, if it is a known one (global options come first). */
function commandOf(argv: string[]): string | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/** Builds a fresh program with the commands `argv` needs. */
export async function createProgram(deps: Deps, io: Io, state: RunState, argv: string[] = []): Promise<Command> {
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
  const ctx: CommandContext = { deps: guardLlmDeps(deps), io, state };
  const only = commandOf(argv);
  const names = only ? [only] : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((n) => COMMANDS[n]()))) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}
