import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { EXIT } from '../core/errors.js';
import { displayPath } from '../core/authoring/generate.js';
import { lintPaths } from '../core/authoring/lint-files.js';
import { listModes } from '../core/authoring/modes.js';
import { printLint, printModes } from '../output/runbook-lint.js';
import { authoringDirs } from './runbook.js';

export function registerRunbookLint(group: Command, ctx: CommandContext): void {
  group
    .command('lint')
    .description('check runbooks have front matter, the required sections and a command (exit 12 on problems)')
    .argument('[paths...]', 'runbook files or directories (default: runbooksDir, ./runbooks)')
    .option('--json', 'print the report as JSON (opsctl.runbook.lint/v1)')
    .action((paths: string[], flags: { json?: boolean }) => {
      const { io } = ctx;
      const targets = paths.length > 0 ? paths.map((p) => resolve(io.cwd, p)) : [loadConfig({ cwd: io.cwd, env: io.env }).runbooksDir];
      const results = lintPaths(targets);
      printLint(io.stdout, io.stderr, results, (p) => displayPath(io.cwd, p), Boolean(flags.json));
      if (results.some((r) => r.problems.length > 0)) ctx.state.exitCode = EXIT.GATE;
    });
}

export function registerRunbookListModes(group: Command, ctx: CommandContext): void {
  group
    .command('list-modes')
    .description('list the failure modes that have their own prompt templates')
    .option('--templates-dir <dir>', 'prompt templates directory')
    .option('--environments-dir <dir>', 'environment files directory')
    .option('--json', 'print as JSON (opsctl.runbook.modes/v1)')
    .action((flags: { templatesDir?: string; environmentsDir?: string; json?: boolean }) => {
      const { io } = ctx;
      const dirs = authoringDirs(io.cwd, flags);
      printModes(io.stdout, listModes(dirs), (p) => displayPath(io.cwd, p), dirs.templatesDir, Boolean(flags.json));
    });
}
