import { accessSync, chmodSync, constants, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { OpsctlError } from '../errors.js';

/** Where a runbook's side files live, next to it in its output directory. */
export function promptPath(outputDir: string, slug: string, version: number, suffix = ''): string {
  return join(outputDir, '.prompts', `${slug}.v${version}${suffix}.prompt.txt`);
}

/** The archive path of version N; a taken name with different content gets "-2", "-3"... so nothing is lost. */
export function versionPath(outputDir: string, slug: string, version: number, content: string): string {
  for (let n = 1; ; n += 1) {
    const p = join(outputDir, '.versions', `${slug}.v${version}${n === 1 ? '' : `-${n}`}.md`);
    if (!existsSync(p) || readFileSync(p, 'utf8') === content) return p;
  }
}

/** Creates the directory if needed and proves it is writable, before any LLM time is spent. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new OpsctlError('input', `cannot write to ${dir} (${code})`, 'choose another --output-dir or fix its permissions', { cause: e });
  }
}

/**
 * Writes a file atomically: a temp file in the same directory, then rename. With `overwrite: false` the final
 * step is a hard link, which fails if the target appeared meanwhile, so an existing file is never clobbered.
 */
export function writeFileAtomic(path: string, content: string, opts: { overwrite: boolean; private?: boolean }): void {
  mkdirSync(dirname(path), { recursive: true, ...(opts.private ? { mode: 0o700 } : {}) });
  // A folder made by an older opsctl (0755) is tightened too; mkdir's mode only applies to new ones.
  if (opts.private) chmodSync(dirname(path), 0o700);
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    // The temp file gets its final mode at creation: a private file is never readable by others, not even briefly.
    writeFileSync(tmp, content, { encoding: 'utf8', flag: 'wx', mode: opts.private ? 0o600 : 0o666 });
    if (opts.overwrite) renameSync(tmp, path);
    else {
      linkSync(tmp, path);
      rmSync(tmp, { force: true });
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OpsctlError('input', `${path} already exists`, 'pass --force to replace it (the old one is kept in .versions/)', { cause: e });
    throw new OpsctlError('input', `cannot write ${path} (${code ?? (e as Error).message})`, 'check the directory permissions and free space', { cause: e });
  }
}

/** One step of a write plan: plans are built first (pure, printable with --dry-run), then executed in order. */
export interface WriteStep {
  path: string;
  content: string;
  /** create: fail if it exists; replace: atomic overwrite; keep: archive copy, skip if identical content exists. */
  kind: 'create' | 'replace' | 'keep';
  /** Owner-only: the file 0600 in a 0700 folder (saved prompts hold log lines and environment details). */
  private?: boolean;
}

/** Executes a plan. Archives and prompts go first, so the runbook itself is replaced only when its history is safe. */
export function executePlan(steps: WriteStep[]): void {
  for (const step of steps) {
    if (step.kind === 'keep' && existsSync(step.path)) continue;
    writeFileAtomic(step.path, step.content, { overwrite: step.kind === 'replace', private: step.private });
  }
}
