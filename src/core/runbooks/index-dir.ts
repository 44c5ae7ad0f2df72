import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OpsctlError } from '../errors.js';

// The index directory is created and written by us only: every way that can fail (a file in its place, /proc, a
// read-only or full disk) becomes one error line naming the directory, never a stack trace or a spin.

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  ENOTDIR: 'a file stands where a directory should be',
  EEXIST: 'a file stands where the directory should be',
  ENOENT: 'it cannot be created there',
  EIO: 'an I/O error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
};

/** The errno code of `e` or of its cause (errors we wrap keep the original as cause). */
export function errnoOf(e: unknown): string | undefined {
  for (let x = e, depth = 0; x && depth < 3; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

/** "the disk is full (ENOSPC)", for messages. */
export function reasonOf(code: string): string {
  return `${REASONS[code] ?? 'a file system error'} (${code})`;
}

function unusable(dir: string, code: string, cause?: unknown): OpsctlError {
  return new OpsctlError('input', `cannot use ${dir} as the index directory: ${reasonOf(code)}`, 'choose a directory you can write: --index-dir DIR or OPSCTL_INDEX_DIR', { cause });
}

/**
 * Creates the index directory and its missing parents one by one. Node's own recursive mkdir loops forever under
 * /proc (each mkdir says ENOENT, so it retries the parent, which exists); here each level is tried once.
 */
export function ensureIndexDir(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; ) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const code = errnoOf(e) ?? 'EIO';
      const up = dirname(at);
      if (code !== 'ENOENT' || up === at) throw unusable(dir, code, e);
      missing.push(at);
      at = up;
      continue;
    }
    if (!isDir) throw unusable(dir, at === resolve(dir) ? 'EEXIST' : 'ENOTDIR');
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw unusable(dir, errnoOf(e) ?? 'EIO', e);
    }
  }
}

/** An error while writing the index, as one line with the cause kept (the fallback in `ask` reads its errno). */
export function writeFailure(indexDir: string, e: unknown): unknown {
  const code = errnoOf(e);
  if (!code || e instanceof OpsctlError) return e;
  return new OpsctlError('index', `cannot write the index in ${indexDir}: ${reasonOf(code)}`, code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space, then run: opsctl index' : 'make the index directory writable, or choose another: --index-dir DIR', { cause: e });
}
