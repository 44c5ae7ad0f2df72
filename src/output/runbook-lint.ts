import type { OutStream } from '../cli/io.js';
import type { FileLint } from '../core/authoring/lint-files.js';
import type { ModeInfo } from '../core/authoring/modes.js';
import { sanitizeForTerminal } from '../core/safety/sanitize.js';

/**
 * Lint report. Text: one `file:line: message (rule)` per problem on stdout (editors and CI annotators parse
 * that shape), a summary on stderr. JSON: `opsctl.runbook.lint/v1`.
 */
export function printLint(out: OutStream, err: OutStream, results: FileLint[], display: (p: string) => string, json: boolean): void {
  const problemCount = results.reduce((n, r) => n + r.problems.length, 0);
  if (json) {
    const files = results.map((r) => ({ path: display(r.path), ok: r.problems.length === 0, problems: r.problems }));
    out.write(`${JSON.stringify({ schema: 'opsctl.runbook.lint/v1', ok: problemCount === 0, fileCount: results.length, problemCount, files })}\n`);
    return;
  }
  for (const r of results) for (const p of r.problems) out.write(sanitizeForTerminal(`${display(r.path)}:${p.line}: ${p.message} (${p.rule})\n`));
  const bad = results.filter((r) => r.problems.length > 0).length;
  err.write(
    problemCount === 0
      ? `opsctl: ${results.length} runbook(s) checked, no problems\n`
      : `opsctl: ${problemCount} problem(s) in ${bad} of ${results.length} runbook(s)\n`,
  );
}

/** `opsctl runbook list-modes`: the failure modes that have their own templates. */
export function printModes(out: OutStream, modes: ModeInfo[], display: (p: string) => string, templatesDir: string, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify({ schema: 'opsctl.runbook.modes/v1', templatesDir, modes: modes.map((m) => ({ ...m, environmentFile: m.environmentFile ?? null })) })}\n`);
    return;
  }
  if (modes.length === 0) {
    out.write(`no failure modes in ${display(templatesDir)} (any mode uses the default templates)\n`);
    return;
  }
  const width = Math.max(...modes.map((m) => m.name.length));
  for (const m of modes) {
    const missing = [m.hasInitial ? '' : 'no initial template', m.hasRefinement ? '' : 'no refinement template'].filter(Boolean);
    const env = m.environmentFile ? display(m.environmentFile) : 'environment.json (fallback)';
    out.write(`${m.name.padEnd(width)}  ${env}${missing.length ? `  [${missing.join(', ')}]` : ''}\n`);
  }
}
