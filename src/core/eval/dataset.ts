import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OpsctlError } from '../errors.js';

/** A dataset folder as a corpus: the folder itself, or a view of it without its own README. */
export interface DatasetCorpus {
  root: string;
  /** Removes the view (a no-op when the folder is used as it is). */
  dispose(): void;
}

/**
 * The dev-set protocol indexes a dataset's runbooks without the dataset's own root README.md (it describes the
 * queries and would be a distractor). When there is one, this builds a temporary tree of symlinks to every other
 * Markdown file, so the index and citations read the real files and the dataset stays untouched.
 */
export function datasetCorpus(folder: string): DatasetCorpus {
  const dir = resolve(folder);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new OpsctlError('input', `dataset directory not found: ${dir}`, 'pass --dataset DIR, a folder of Markdown runbooks with queries.jsonl');
  }
  if (!names.some((n) => /^readme\.(md|markdown)$/i.test(n))) return { root: dir, dispose: () => {} };
  const view = mkdtempSync(join(tmpdir(), 'opsctl-dataset-'));
  const mirror = (from: string, to: string, top: boolean) => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (top && /^readme\.(md|markdown)$/i.test(e.name)) continue;
      if (e.isDirectory()) {
        mkdirSync(join(to, e.name));
        mirror(join(from, e.name), join(to, e.name), false);
      } else if (/\.(md|markdown)$/i.test(e.name)) symlinkSync(join(from, e.name), join(to, e.name));
    }
  };
  try {
    mirror(dir, view, true);
  } catch (e) {
    rmSync(view, { recursive: true, force: true });
    throw new OpsctlError('input', `cannot read dataset ${dir}: ${(e as Error).message}`, 'check the folder is readable');
  }
  return { root: view, dispose: () => rmSync(view, { recursive: true, force: true }) };
}
