import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import { ensureIndexDir, writeFailure } from './index-dir.js';

export interface LockOwner {
  pid: number;
  /** Whether a process with this pid still runs (a lock left by a crashed run is taken over). */
  isAlive(pid: number): boolean;
}

/** Takes the index writer lock (O_EXCL file); returns the release function. */
export function acquireLock(indexDir: string, owner: LockOwner): () => void {
  ensureIndexDir(indexDir);
  const path = join(indexDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify({ pid: owner.pid, since: new Date().toISOString() }));
      } catch (e) {
        // A full disk can let us create the file but not write the pid: an empty lock would block the next run.
        closeSync(fd);
        rmSync(path, { force: true });
        throw e;
      }
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(indexDir, e);
      let pid = 0;
      try {
        pid = Number(JSON.parse(readFileSync(path, 'utf8')).pid) || 0;
      } catch {
        // unreadable lock: treat as stale
      }
      if (pid && pid !== owner.pid && owner.isAlive(pid)) {
        throw new OpsctlError('index-locked', `another opsctl (pid ${pid}) is updating the index in ${indexDir}`, `wait for it to finish, then run the command again (if no opsctl is running, pid ${pid} was reused: delete ${path})`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new OpsctlError('index-locked', `could not take the index lock in ${indexDir}`, `remove ${path} if no opsctl is running`);
}
