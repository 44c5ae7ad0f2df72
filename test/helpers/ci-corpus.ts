import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnose, type Diagnosis } from '../../src/core/diagnose/diagnose.js';
import { reduceSources } from '../../src/core/logs/run.js';
import { logsTextFormat } from '../../src/output/logs-text.js';

/** The labelled CI corpus in test/fixtures/ci-logs (see its README). */
export const CI_DIR = resolve('test/fixtures/ci-logs');

export interface FailedLabel {
  file: string;
  category: string;
  cause: string[];
  split: 'dev' | 'held-out';
}
export interface PassedLabel {
  file: string;
  split: 'dev' | 'held-out';
}

/** labels.json plus every labels-*.json beside it (batches added by different people stay in their own file). */
export function ciLabels(): { failed: FailedLabel[]; passed: PassedLabel[] } {
  const files = readdirSync(CI_DIR).filter((f) => /^labels(-[\w-]+)?\.json$/.test(f)).sort();
  const all = { failed: [] as FailedLabel[], passed: [] as PassedLabel[] };
  for (const f of files) {
    const part = JSON.parse(readFileSync(resolve(CI_DIR, f), 'utf8')) as Partial<typeof all>;
    all.failed.push(...(part.failed ?? []));
    all.passed.push(...(part.passed ?? []));
  }
  return all;
}

/** diagnose as the CLI runs it without an LLM or runbooks (budget 4000 tokens, the command's default). */
export function diagnoseFile(file: string): Promise<Diagnosis> {
  return diagnose({ reduce: () => reduceSources({ files: [file], cwd: CI_DIR }, { budget: 4000, format: logsTextFormat }) });
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Whether the root cause quotes one of the labelled cause lines (whitespace and case aside). */
export function quotesCause(d: Diagnosis, causes: readonly string[]): boolean {
  return causes.some((c) => norm(d.root_cause).includes(norm(c)));
}
