import type { OutStream } from '../cli/io.js';
import type { GeneratePlan, GenerateResult } from '../core/authoring/generate.js';
import { displayPath } from '../core/authoring/generate.js';
import type { RefineResult } from '../core/authoring/refine.js';
import { diffLines, diffStats } from '../core/authoring/diff.js';

/** `opsctl runbook generate` result: one summary line, or `opsctl.runbook.generate/v1`. */
export function printGenerated(out: OutStream, cwd: string, r: GenerateResult, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify({ schema: 'opsctl.runbook.generate/v1', dryRun: false, path: r.path, slug: r.slug, version: r.version, model: r.model, promptFile: r.promptFile, repaired: r.repaired, archived: r.archived ?? null, defaultTemplate: r.usedDefaultTemplate })}\n`);
    return;
  }
  const notes = [`version ${r.version}`, r.model, r.repaired ? 'repaired after lint' : undefined, r.archived ? `previous kept as ${displayPath(cwd, r.archived)}` : undefined];
  out.write(`wrote ${displayPath(cwd, r.path)} (${notes.filter(Boolean).join(', ')})\n`);
}

/** `--dry-run`: the exact prompt on stdout (text) or in the JSON, and what would be written. */
export function printGeneratePlan(out: OutStream, err: OutStream, cwd: string, plan: GeneratePlan, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify({ schema: 'opsctl.runbook.generate/v1', dryRun: true, path: plan.target, slug: plan.slug, version: plan.version, promptFile: plan.promptFile, template: plan.template.path, defaultTemplate: plan.template.isDefault, environmentFile: plan.environment.path, prompt: plan.prompt })}\n`);
    return;
  }
  out.write(plan.prompt.endsWith('\n') ? plan.prompt : `${plan.prompt}\n`);
  err.write(`opsctl: dry run: template ${displayPath(cwd, plan.template.path)}, environment ${displayPath(cwd, plan.environment.path)}\n`);
  err.write(`opsctl: dry run: would write ${displayPath(cwd, plan.target)} (version ${plan.version}) and ${displayPath(cwd, plan.promptFile)}\n`);
}

/** `opsctl runbook refine` result (non-interactive): one summary line, or `opsctl.runbook.refine/v1`. */
export function printRefined(out: OutStream, cwd: string, r: RefineResult, json: boolean): void {
  const stats = diffStats(diffLines(r.before, r.after));
  if (json) {
    out.write(`${JSON.stringify({ schema: 'opsctl.runbook.refine/v1', path: r.path, version: r.version, previous: r.archived, model: r.model, promptFile: r.promptFile, repaired: r.repaired, linesAdded: stats.added, linesRemoved: stats.removed })}\n`);
    return;
  }
  out.write(`wrote ${displayPath(cwd, r.path)} (version ${r.version}, +${stats.added} -${stats.removed} lines${r.repaired ? ', repaired after lint' : ''}; version ${r.version - 1} kept as ${displayPath(cwd, r.archived)})\n`);
}
