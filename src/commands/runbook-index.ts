import type { CommandContext } from '../cli/program.js';
import type { Config } from '../config/schema.js';
import { OpsctlError } from '../core/errors.js';
import type { EmbedderChoice, IndexAccess } from '../core/runbooks/indexer.js';
import { staleNotice } from '../output/index-text.js';
import type { LockOwner } from '../core/runbooks/lock.js';
import { locateIndex } from './index-location.js';

/** What every index user (index, ask, eval, diagnose) needs from the process to open or update an index. */
export async function indexDeps(ctx: CommandContext, config: Config): Promise<Pick<IndexAccess, 'embedder' | 'lock' | 'now' | 'onStale'>> {
  const embedder: EmbedderChoice = config.embedder === 'lsa' ? { kind: 'lsa' } : { kind: 'model', embedder: await ctx.deps.embedder(config) };
  return { embedder, lock: processLock, now: () => ctx.deps.clock.now(), onStale: (s) => ctx.io.stderr.write(staleNotice(s)) };
}

/** The retrieval flags `ask` and `diagnose` share, as typed on the command line. */
export interface RetrievalFlags {
  runbooks?: string;
  indexDir?: string;
  embedder?: string;
  top?: string;
  minScore?: string;
  llm?: string;
  model?: string;
  region?: string;
}

/** Config for a command that searches runbooks and may ask an LLM: flags over environment over files, then checked. */
export function retrievalConfig(ctx: CommandContext, flags: RetrievalFlags): Config & { runbooksGiven?: string } {
  const config = locateIndex({
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    flags: { runbooksDir: flags.runbooks, indexDir: flags.indexDir, embedder: flags.embedder as never, topK: flags.top as never, minScore: flags.minScore as never, llm: flags.llm as never, model: flags.model, region: flags.region },
  });
  checkRetrieval(config);
  return config;
}

/** --top and --min-score (from flags, environment or files) must make sense before any index is opened. */
export function checkRetrieval(config: Config): void {
  if (!Number.isInteger(config.topK) || config.topK < 1) throw new OpsctlError('usage', `--top must be a whole number ≥ 1 (got ${config.topK})`);
  if (config.minScore < 0 || config.minScore > 1) throw new OpsctlError('usage', `--min-score must be between 0 and 1 (got ${config.minScore})`);
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
