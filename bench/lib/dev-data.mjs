// Where the dev collections live, shared by the benchmarks that read both of them (ranking, refusal).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The two dev collections every retrieval choice is validated on (tune on one, check the other). */
export const COLLECTIONS = ['runbooks', 'runbooks-sections'];

/** An index lock for a benchmark process: it never waits for another holder. */
export const benchLock = { pid: process.pid, isAlive: () => false };

/** The value after a command-line flag, or `def`. */
export const argOf = (args, name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);

/** ../shared/data beside the clone (a git worktree one level deeper finds it one level further up), or --data DIR. */
export function devDataDir(benchDir, args) {
  const beside = [join(benchDir, '../../shared/data'), join(benchDir, '../../../shared/data')].find((d) => existsSync(d));
  return resolve(argOf(args, '--data', beside ?? join(benchDir, '../../shared/data')));
}
