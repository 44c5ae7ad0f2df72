import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Clock, LlmClient } from '../ports.js';
import { buildFrontMatter, deriveTags, deriveTitle, serializeDocument, splitDocument, versionOf } from './document.js';
import { draftRunbook, type AuthoringEvent } from './draft.js';
import { loadEnvironment, type Environment } from './environment.js';
import { canonicalMode, resolveEnvironmentFile, resolveTemplate, runbookSlug, type AuthoringDirs, type ResolvedTemplate } from './modes.js';
import { renderTemplate } from './template.js';
import { ensureWritableDir, executePlan, promptPath, versionPath, type WriteStep } from './write.js';
import { OpsctlError } from '../errors.js';

/** The `{{required_sections}}` text: what lint will demand, said up front so the first draft passes. */
export const REQUIRED_SECTIONS_TEXT = [
  '## Detection: the alarms, metrics (with thresholds), log lines and user-visible symptoms that show this failure.',
  '## Investigation: ordered steps, each with the exact command to run and how to read its output.',
  '## Remediation: fixes ordered safest first, each with commands, expected effect and blast radius.',
  '## Verification: how to prove the fix worked (metrics back to baseline, commands and their expected output).',
  '## Escalation: when to stop and page whom, with what evidence; plus how to roll back any change made above.',
  'At least one fenced code block (```bash, ```sql, ...) with a real command.',
].join('\n');

/** A path for humans and front matter: relative to cwd when inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export interface GenerateInput {
  failureMode: string;
  dirs: AuthoringDirs;
  environmentFile?: string;
  outputDir: string;
  force: boolean;
  cwd: string;
  clock: Clock;
}

export interface GeneratePlan {
  input: GenerateInput;
  slug: string;
  /** The template stem used: the mode's own, a known mode it matched, or its slug (then default templates). */
  mode: string;
  target: string;
  version: number;
  template: ResolvedTemplate;
  environment: Environment;
  prompt: string;
  promptFile: string;
  /** The runbook being replaced under --force (it is archived first). */
  existing?: { content: string; version: number };
}

/**
 * Everything up to the LLM call: resolve the mode's template and environment, render the prompt, check the
 * target. Fails fast (existing file without --force, unwritable dir, bad template) before any LLM time is spent.
 */
export function planGenerate(input: GenerateInput): GeneratePlan {
  const failureMode = input.failureMode.trim();
  const slug = runbookSlug(failureMode);
  if (!slug) throw new OpsctlError('usage', `--failure-mode "${input.failureMode}" has no letters or digits`, 'e.g. --failure-mode "database connection leak"');
  const template = resolveTemplate(input.dirs, failureMode, 'initial');
  const environment = loadEnvironment(resolveEnvironmentFile(input.dirs, failureMode, input.environmentFile));
  const target = join(input.outputDir, `${slug}.md`);
  let existing: GeneratePlan['existing'];
  if (existsSync(target)) {
    if (!input.force) throw new OpsctlError('input', `${displayPath(input.cwd, target)} already exists`, 'pass --force to replace it (the old one is kept in .versions/), or use `opsctl runbook refine`');
    const content = readFileSync(target, 'utf8');
    existing = { content, version: versionOf(splitDocument(content).frontMatter) };
  }
  const version = existing ? existing.version + 1 : 1;
  const prompt = renderTemplate(
    template.text,
    {
      failure_mode: failureMode,
      environment: environment.text,
      environment_file: displayPath(input.cwd, environment.path),
      required_sections: REQUIRED_SECTIONS_TEXT,
      version: String(version),
      date: input.clock.now().toISOString().slice(0, 10),
    },
    { file: displayPath(input.cwd, template.path), kind: 'initial' },
  );
  return { input: { ...input, failureMode }, slug, mode: canonicalMode(input.dirs, failureMode), target, version, template, environment, prompt, promptFile: promptPath(input.outputDir, slug, version), existing };
}

export interface GenerateResult {
  path: string;
  slug: string;
  version: number;
  model: string;
  promptFile: string;
  repaired: boolean;
  archived?: string;
  usedDefaultTemplate: boolean;
}

/** Calls the LLM for a planned runbook, lints (repairing once), then writes prompt, archive and runbook atomically. */
export async function generateRunbook(
  plan: GeneratePlan,
  deps: { llm: LlmClient; signal?: AbortSignal; onEvent?: (e: AuthoringEvent) => void },
): Promise<GenerateResult> {
  const { input } = plan;
  ensureWritableDir(input.outputDir);
  const finalize = (body: string) =>
    serializeDocument(
      buildFrontMatter({
        title: deriveTitle(body, input.failureMode),
        failureMode: input.failureMode,
        version: plan.version,
        generatedAt: input.clock.now(),
        model: deps.llm.id,
        environmentFile: displayPath(input.cwd, plan.environment.path),
        tags: deriveTags(input.failureMode, plan.environment.tags),
      }),
      body,
    );
  const draft = await draftRunbook({ llm: deps.llm, messages: [{ role: 'user', content: plan.prompt }], finalize, signal: deps.signal, onEvent: deps.onEvent });
  const steps: WriteStep[] = [{ path: plan.promptFile, content: plan.prompt, kind: 'replace', private: true }];
  if (draft.repairPrompt) steps.push({ path: promptPath(input.outputDir, plan.slug, plan.version, '.repair'), content: draft.repairPrompt, kind: 'replace', private: true });
  let archived: string | undefined;
  if (plan.existing) {
    archived = versionPath(input.outputDir, plan.slug, plan.existing.version, plan.existing.content);
    steps.push({ path: archived, content: plan.existing.content, kind: 'keep' });
  }
  steps.push({ path: plan.target, content: draft.document, kind: plan.existing ? 'replace' : 'create' });
  executePlan(steps);
  return { path: plan.target, slug: plan.slug, version: plan.version, model: deps.llm.id, promptFile: plan.promptFile, repaired: draft.repaired, archived, usedDefaultTemplate: plan.template.isDefault };
}
