import { Argument, type Command, type Option } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { bashCompletion, fishCompletion, zshCompletion, type CompletionCommand, type Values } from '../output/completion.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

/**
 * The words a flag's value may take, read from its help text ("lsa (offline default) | transformers | ollama",
 * "none (default) | ollama | bedrock: …", "LLM backend: ollama (default) or bedrock"), so the completion can never disagree with the help.
 */
export function enumFromHelp(description: string): string[] | undefined {
  const word = String.raw`[a-z][\w-]*(?: \([^)]*\))?`;
  const m = new RegExp(`(?:^|: )(${word}(?: (?:\\||or) ${word})+)`).exec(description);
  return m ? m[1].split(/ (?:\||or) /).map((w) => w.replace(/ \(.*$/, '')) : undefined;
}

function valuesOf(o: Option): Values {
  if (o.argChoices) return o.argChoices;
  const fromHelp = enumFromHelp(o.description);
  if (fromHelp) return fromHelp;
  if (/<dir>/.test(o.flags)) return 'dir';
  if (/<(file|path)>/.test(o.flags)) return 'file';
  return 'none';
}

function argsOf(cmd: Command): Values {
  const arg = cmd.registeredArguments[0];
  if (!arg) return 'none';
  if (arg.argChoices) return arg.argChoices;
  if (/dir/.test(arg.name())) return 'dir';
  if (/file|path/.test(arg.name())) return 'file';
  return 'none';
}

/** The command tree as the completion scripts need it, walked from the program itself. */
export function completionTree(program: Command, path: string[] = []): CompletionCommand[] {
  const flags: string[] = [];
  const values: Record<string, Values> = {};
  for (const o of program.options) {
    const spellings = [o.long, o.short].filter((s): s is string => Boolean(s));
    flags.push(...spellings);
    if (o.required || o.optional) for (const s of spellings) values[s] = valuesOf(o);
  }
  const subs = program.commands.filter((c) => c.name() !== 'help');
  const self: CompletionCommand = { path, subcommands: subs.map((c) => c.name()), flags, values, args: argsOf(program) };
  return [self, ...subs.flatMap((c) => completionTree(c, [...path, c.name()]))];
}

export function registerCompletion(program: Command, ctx: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script (subcommands, flags, flag values, file arguments)')
    .addArgument(new Argument('<shell>', 'bash | zsh | fish').choices(SHELLS))
    .action(async (shell: (typeof SHELLS)[number]) => {
      // The whole tree, every command registered: this command alone is loaded for `opsctl completion`.
      const { createProgram } = await import('../cli/program.js');
      const full = await createProgram(ctx.deps, ctx.io, ctx.state, []);
      const tree = completionTree(full);
      ctx.io.stdout.write(shell === 'bash' ? bashCompletion(tree) : shell === 'zsh' ? zshCompletion(tree) : fishCompletion(tree));
    });
}
