import { closeSync, constants, lstatSync, openSync, unlinkSync } from 'node:fs';
import { OpsctlError } from '../errors.js';

export interface LockOptions {
  /** Give up after this long (default 5 s): a rollback must not wait forever for its audit line. */
  waitMs?: number;
  /** A lock file older than this is left over from a crash and is removed (default 10 s; an append takes ms). */
  staleMs?: number;
  now?: () => number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `fn` holding `<path>.lock` (created O_EXCL, so one writer at a time across processes). The hash chain
 * needs it: two writers reading the same last line would both link to it, and verify would report a break.
 * Appends are synchronous and short, so waiting is a synchronous poll.
 */
export function withAppendLock<T>(path: string, fn: () => T, opts: LockOptions = {}): T {
  const lock = `${path}.lock`;
  const now = opts.now ?? Date.now;
  const until = now() + (opts.waitMs ?? 5000);
  for (;;) {
    try {
      closeSync(openSync(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStale(lock, now(), opts.staleMs ?? 10_000)) continue;
      if (now() >= until) {
        throw new OpsctlError('input', `the audit log ${path} is locked by another opsctl (${lock})`, `if no other opsctl is running, remove ${lock}`);
      }
      Atomics.wait(pause, 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Already removed as stale by another writer: nothing to release.
    }
  }
}

function isStale(lock: string, now: number, staleMs: number): boolean {
  try {
    // lstat: a lock that is a symlink is judged (and removed) itself, never what it points at.
    if (now - lstatSync(lock).mtimeMs <= staleMs) return false;
    unlinkSync(lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true; // gone meanwhile: try again
    throw e;
  }
}
