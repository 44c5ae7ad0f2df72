import { OpsctlError } from '../errors.js';
import { errnoOf, reasonOf } from './index-dir.js';
import { updateIndex, type IndexAccess, type IndexResult } from './indexer.js';
import { INDEX_FORMAT, readIndex, readManifest } from './store.js';

/** Why `ask` answers from an index it could not update, and what the user can do about it: one warning line. */
export interface StaleIndex {
  /** "another opsctl (pid 42) is updating the index", "the disk is full (ENOSPC)", ... */
  reason: string;
  fix: string;
  /** When the index answered from was last written (ISO). */
  updatedAt: string;
}

/** The reason and fix when `e` means "the index could not be updated" (rather than "the question cannot be answered"). */
function cannotUpdate(e: unknown): Omit<StaleIndex, 'updatedAt'> | undefined {
  if (e instanceof OpsctlError) {
    if (e.code === 'index-locked') return { reason: e.message, fix: e.hint ?? 'run the command again later' };
    // A bad flag, a missing runbooks directory, Ctrl-C, another embedder: the user must hear it, not a stale answer.
    if (e.code !== 'index') return undefined;
  }
  const code = errnoOf(e);
  if (code) {
    const fix = code === 'ENOSPC' || code === 'EDQUOT' ? 'free some disk space, then run: opsctl index' : 'make the index directory writable (or choose another: --index-dir), then run: opsctl index';
    return { reason: `could not write it: ${reasonOf(code)}`, fix };
  }
  // Damage found while updating (the vector file, say): the index is read again, every part checked, before it answers.
  if (e instanceof OpsctlError) return { reason: e.message, fix: e.hint ?? 'rebuild it: opsctl index --rebuild' };
  // An update that failed in a way we did not foresee (a runbook the parser chokes on): still answer, and say so.
  return { reason: `could not update it: ${(e as Error)?.message ?? String(e)}`, fix: 'run opsctl index --debug to see why' };
}

/**
 * Brings the index up to date like `updateIndex`; when that cannot run (disk full, read-only directory, the lock
 * held by another `index`, damaged files met on the way) and an index of the same runbooks exists, returns that one
 * with `onStale` told why. `openIndex` then checks every part of it, so a damaged one is still refused.
 */
export async function updateOrLastGood(opts: IndexAccess & { onStale?: (s: StaleIndex) => void }): Promise<IndexResult> {
  try {
    return await updateIndex(opts);
  } catch (e) {
    const why = cannotUpdate(e);
    if (!why) throw e;
    let manifest;
    try {
      manifest = readManifest(opts.indexDir);
    } catch {
      throw e;
    }
    if (!manifest || manifest.format !== INDEX_FORMAT || manifest.root !== opts.root) throw e;
    // Every part checked before saying "answering from the last good index": a damaged one is the error instead.
    readIndex(opts.indexDir);
    opts.onStale?.({ ...why, updatedAt: manifest.updatedAt });
    return {
      files: manifest.counts.files, sections: manifest.counts.sections, added: [], changed: [], removed: [], skipped: manifest.skipped,
      warnings: [], embedded: 0, upToDate: true, embedder: manifest.embedder,
    };
  }
}
