import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { OpsctlError } from '../core/errors.js';
import { displayPath } from '../core/authoring/generate.js';
import { markReviewed, readRunbook, refineRunbook, type RefineInput } from '../core/authoring/refine.js';
import { authoringProgress } from '../output/runbook-progress.js';
import { printRefined } from '../output/runbook-write.js';
import { addAuthoringOptions, authoringConfig, authoringDirs, authoringLlm, type AuthoringFlags } from './runbook.js';

interface RefineFlags extends AuthoringFlags {
  inputRunbook: string;
  feedback?: string;
  interactive?: boolean;
  outputDir?: string;
  environmentFile?: string;
  json?: boolean;
}

export function registerRunbookRefine(group: Command, ctx: CommandContext): void {
  const cmd = group
    .command('refine')
    .description('write version N+1 of a runbook from your feedback (version N is kept in .versions/)')
    .requiredOption('--input-runbook <path>', 'the runbook to refine, e.g. runbooks/database-connection-leak.md')
    .option('--feedback <text>', 'what should change (required unless --interactive)')
    .option('--interactive', 'loop in the terminal: diff, then more feedback, accept (a) or quit (q)')
    .option('--output-dir <dir>', "where to write the new version (default: the input runbook's directory)")
    .option('--json', 'print the result as JSON (opsctl.runbook.refine/v1)');
  addAuthoringOptions(cmd).action(async (flags: RefineFlags) => {
    const { io } = ctx;
    const inputPath = resolve(io.cwd, flags.inputRunbook);
    const base: Omit<RefineInput, 'inputPath' | 'feedback'> = {
      dirs: authoringDirs(io.cwd, flags),
      environmentFile: flags.environmentFile ? resolve(io.cwd, flags.environmentFile) : undefined,
      outputDir: flags.outputDir ? resolve(io.cwd, flags.outputDir) : undefined,
      cwd: io.cwd,
      clock: ctx.deps.clock,
    };
    if (!flags.interactive) {
      if (!flags.feedback?.trim()) throw new OpsctlError('usage', 'refine needs --feedback "what should change" (or --interactive in a terminal)');
      readRunbook(inputPath); // bad input fails before the LLM is built
      const llm = await authoringLlm(ctx, authoringConfig(ctx, flags));
      const result = await refineRunbook({ ...base, inputPath, feedback: flags.feedback }, { llm, signal: io.signal, onEvent: authoringProgress(io) });
      printRefined(io.stdout, io.cwd, result, Boolean(flags.json));
      return;
    }
    if (flags.json || outputMode(io, {}) !== 'interactive') {
      throw new OpsctlError('usage', '--interactive needs a terminal (stdin and stdout must be TTYs, CI unset, no --json)', 'pass --feedback "..." instead for one non-interactive round');
    }
    const first = readRunbook(inputPath);
    const llm = await authoringLlm(ctx, authoringConfig(ctx, flags));
    const { runRefineSession } = await import('../ui/components/RefineSession.js');
    let current = inputPath;
    const outcome = await runRefineSession(io, {
      title: displayPath(io.cwd, inputPath),
      version: first.version,
      initialFeedback: flags.feedback?.trim() || undefined,
      refine: async (feedback, onProgress) => {
        const onEvent = (e: { type: string; chars?: number }) => e.type === 'delta' && onProgress(e.chars ?? 0);
        const r = await refineRunbook({ ...base, inputPath: current, feedback }, { llm, signal: io.signal, onEvent });
        current = r.path;
        return { version: r.version, before: r.before, after: r.after, archived: displayPath(io.cwd, r.archived), repaired: r.repaired };
      },
    });
    if (outcome.action === 'accept') markReviewed(current, ctx.deps.clock);
    const verb = outcome.action === 'accept' ? 'accepted (last_reviewed set to today)' : 'quit';
    io.stdout.write(`${verb}: ${displayPath(io.cwd, current)} at version ${outcome.version} after ${outcome.rounds} round(s); earlier versions are in .versions/\n`);
  });
}
