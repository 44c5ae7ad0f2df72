import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandContext } from '../cli/program.js';
import type { Config } from '../config/schema.js';
import type { IncidentStore } from '../core/ports.js';

/** $OPSCTL_INCIDENTS_DB / config, else $XDG_STATE_HOME/opsctl/incidents.db, else ~/.local/state/opsctl/incidents.db. */
export function incidentDbPath(env: NodeJS.ProcessEnv, cwd: string, configured?: string): string {
  if (configured) return resolve(cwd, configured);
  const home = env.HOME ?? userInfo().homedir;
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'opsctl', 'incidents.db');
}

/** Opens the configured store (PostgreSQL when a URL is set, never a silent fallback) and closes it after `fn`. */
export async function withIncidents<T>(ctx: CommandContext, config: Config, fn: (store: IncidentStore) => Promise<T>): Promise<T> {
  const store = await ctx.deps.incidents({ url: config.incidentsUrl, path: incidentDbPath(ctx.io.env, ctx.io.cwd, config.incidentsDb) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Who is acting, for occurrences, notes and resolutions. */
export function whoAmI(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}
