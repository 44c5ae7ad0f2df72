import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import { lintRunbook, type LintProblem } from './lint.js';

export interface FileLint {
  path: string;
  problems: LintProblem[];
}

/**
 * Markdown files under the given paths. Directories are walked recursively, skipping dot-directories
 * (`.versions/`, `.prompts/`: history, not runbooks) and README.md; files named explicitly are always taken.
 */
export function collectRunbookFiles(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      if (entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(md|markdown)$/i.test(entry.name) && !/^readme\.md$/i.test(entry.name)) files.push(p);
    }
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new OpsctlError('input', `path not found: ${path}`, 'pass runbook files or directories (default ./runbooks)');
    }
    if (isDir) walk(path);
    else files.push(path);
  }
  return files;
}

/** Lints every runbook under the paths; unreadable files are reported as problems, not crashes. */
export function lintPaths(paths: string[]): FileLint[] {
  return collectRunbookFiles(paths).map((path) => {
    try {
      return { path, problems: lintRunbook(readFileSync(path, 'utf8')) };
    } catch (e) {
      return { path, problems: [{ line: 1, rule: 'read', message: `cannot read file: ${(e as Error).message}` }] };
    }
  });
}
