import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { AuthoringDirs } from '../core/authoring/modes.js';
import type { LlmClient } from '../core/ports.js';
import { registerRunbookGenerate } from './runbook-generate.js';
import { registerRunbookLint, registerRunbookListModes } from './runbook-lint.js';
import { registerRunbookRefine } from './runbook-refine.js';

/** The package root (two levels above src/commands or dist/commands), where the bundled templates live. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Authoring only runs with an LLM; with `llm: none` in config it uses this Ollama model. */
export const DEFAULT_AUTHORING_MODEL = 'llama3.1';

export interface AuthoringFlags {
  templatesDir?: string;
  environmentsDir?: string;
  llm?: string;
  model?: string;
}

/** `--templates-dir`, else ./prompt-templates when the project has one, else the templates shipped with opsctl. */
export function authoringDirs(cwd: string, flags: AuthoringFlags): AuthoringDirs {
  const pick = (flag: string | undefined, name: string) => {
    if (flag) return resolve(cwd, flag);
    const local = resolve(cwd, name);
    return existsSync(local) ? local : resolve(PACKAGE_ROOT, name);
  };
  return { templatesDir: pick(flags.templatesDir, 'prompt-templates'), environmentsDir: pick(flags.environmentsDir, 'environments') };
}

export function authoringConfig(ctx: CommandContext, flags: AuthoringFlags): Config {
  return loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { llm: flags.llm as Config['llm'], model: flags.model } });
}

/** The LLM for authoring: the configured one, or Ollama with llama3.1 when config says none. */
export async function authoringLlm(ctx: CommandContext, config: Config): Promise<LlmClient> {
  const effective = config.llm === 'none' ? { ...config, llm: 'ollama' as const, model: config.model ?? DEFAULT_AUTHORING_MODEL } : config;
  return ctx.deps.llm(effective);
}

export function addAuthoringOptions(cmd: Command): Command {
  return cmd
    .option('--llm <backend>', 'LLM backend: ollama (default for authoring) or bedrock')
    .option('--model <name>', `model name (default ${DEFAULT_AUTHORING_MODEL} on Ollama)`)
    .option('--environment-file <path>', 'environment description to use instead of environments/environment_<mode>.json')
    .option('--templates-dir <dir>', 'prompt templates directory (default ./prompt-templates, else the bundled one)')
    .option('--environments-dir <dir>', 'environment files directory (default ./environments, else the bundled one)');
}

/** `opsctl runbook generate | refine | lint | list-modes`. */
export function registerRunbook(program: Command, ctx: CommandContext): void {
  const group = program.command('runbook').description('write, refine and lint runbooks with an LLM and prompt templates');
  registerRunbookGenerate(group, ctx);
  registerRunbookRefine(group, ctx);
  registerRunbookLint(group, ctx);
  registerRunbookListModes(group, ctx);
  for (const sub of group.commands) sub.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
}
