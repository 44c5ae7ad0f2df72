import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { displayPath, generateRunbook, planGenerate } from '../core/authoring/generate.js';
import { listModes, modeSlug } from '../core/authoring/modes.js';
import { sanitizeForTerminal } from '../core/safety/sanitize.js';
import { authoringProgress } from '../output/runbook-progress.js';
import { printGeneratePlan, printGenerated } from '../output/runbook-write.js';
import { addAuthoringOptions, authoringConfig, authoringDirs, authoringLlm, type AuthoringFlags } from './runbook.js';

interface GenerateFlags extends AuthoringFlags {
  failureMode: string;
  outputDir?: string;
  environmentFile?: string;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export function registerRunbookGenerate(group: Command, ctx: CommandContext): void {
  const cmd = group
    .command('generate')
    .description('draft a runbook for a failure mode from its prompt template and environment file')
    .requiredOption('--failure-mode <mode>', 'e.g. "database connection leak" (see `opsctl runbook list-modes`)')
    .option('--output-dir <dir>', 'where to write <slug>.md (default: runbooksDir, ./runbooks)')
    .option('--force', 'replace an existing runbook (the old one is kept in .versions/)')
    .option('--dry-run', 'print the rendered prompt and what would be written; do not call the LLM')
    .option('--json', 'print the result as JSON (opsctl.runbook.generate/v1)');
  addAuthoringOptions(cmd).action(async (flags: GenerateFlags) => {
    const { io } = ctx;
    const config = authoringConfig(ctx, flags);
    const dirs = authoringDirs(io.cwd, flags);
    const plan = planGenerate({
      failureMode: flags.failureMode,
      dirs,
      environmentFile: flags.environmentFile ? resolve(io.cwd, flags.environmentFile) : undefined,
      outputDir: flags.outputDir ? resolve(io.cwd, flags.outputDir) : config.runbooksDir,
      force: Boolean(flags.force),
      cwd: io.cwd,
      clock: ctx.deps.clock,
    });
    if (plan.template.isDefault) {
      const known = listModes(dirs).map((m) => m.name);
      io.stderr.write(sanitizeForTerminal(`opsctl: no templates for "${plan.input.failureMode}"; using ${displayPath(io.cwd, plan.template.path)} (known modes: ${known.join(', ') || 'none'})\n`));
    }
    else if (plan.mode !== modeSlug(plan.input.failureMode)) {
      io.stderr.write(`opsctl: using the templates of the known mode "${plan.mode.replace(/_/g, ' ')}"\n`);
    }
    if (flags.dryRun) {
      printGeneratePlan(io.stdout, io.stderr, io.cwd, plan, Boolean(flags.json));
      return;
    }
    const llm = await authoringLlm(ctx, config);
    const result = await generateRunbook(plan, { llm, signal: io.signal, onEvent: authoringProgress(io) });
    printGenerated(io.stdout, io.cwd, result, Boolean(flags.json));
  });
}
