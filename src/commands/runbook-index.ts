import type { CommandContext } from '../cli/program.js';
import type { Config } from '../config/schema.js';
import type { EmbedderChoice } from '../core/runbooks/indexer.js';
import type { LockOwner } from '../core/runbooks/lock.js';

/** What every index user (index, ask, eval, diagnose) needs from the process to open or update an index. */
export async function indexDeps(ctx: CommandContext, config: Config): Promise<{ embedder: EmbedderChoice; lock: LockOwner; now: () => Date }> {
  const embedder: EmbedderChoice = config.embedder === 'lsa' ? { kind: 'lsa' } : { kind: 'model', embedder: await ctx.deps.embedder(config) };
  return { embedder, lock: processLock, now: () => ctx.deps.clock.now() };
}

export const processLock: LockOwner = {
  pid: process.pid,
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};
