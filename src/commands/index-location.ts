import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { loadConfig, type LoadOptions } from '../config/load.js';
import { DEFAULTS, type Config } from '../config/schema.js';
import { OpsctlError } from '../core/errors.js';
import { readManifest, type Manifest } from '../core/runbooks/store.js';

/** The user-level index: `$XDG_STATE_HOME/opsctl/index`, else `~/.local/state/opsctl/index`. */
export function userIndexDir(env: NodeJS.ProcessEnv, home?: string): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home ?? env.HOME ?? homedir(), '.local', 'state');
  return join(state, 'opsctl', 'index');
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A damaged manifest is reported later, by the code that opens the index, with its own message and hint. */
function manifestOf(indexDir: string): Manifest | undefined {
  try {
    return readManifest(indexDir);
  } catch {
    return undefined;
  }
}

/**
 * Where the index lives when no flag, variable or config file says: `./.opsctl` when it exists or when the current
 * directory holds `./runbooks` (a project checkout, the quick start), else the user-level index so `ask` works from
 * any directory.
 */
function defaultIndexDir(cwd: string, env: NodeJS.ProcessEnv, chosen: string | undefined): string {
  const local = join(cwd, '.opsctl');
  if (existsSync(local)) return local;
  const runbooks = join(cwd, 'runbooks');
  if ((chosen === undefined || chosen === runbooks) && isDir(runbooks)) return local;
  return userIndexDir(env);
}

export interface LocateOptions extends LoadOptions {
  /** `opsctl index --rebuild`: an index of another directory may be replaced. */
  rebuild?: boolean;
}

/**
 * Loads the config and settles which index and which runbooks directory a command uses. The index remembers its
 * runbooks directory: with none chosen, that one is searched; a chosen one that differs is refused, never rebuilt
 * in place (that silently replaced a user's 794-file index with the bundled runbooks).
 */
export function locateIndex(opts: LocateOptions): Config & { runbooksGiven?: string } {
  const explicit = new Set<keyof Config>();
  const config: Config & { runbooksGiven?: string } = loadConfig({ ...opts, explicit });
  const runbooksChosen = explicit.has('runbooksDir');
  if (!explicit.has('indexDir')) config.indexDir = defaultIndexDir(opts.cwd, opts.env, runbooksChosen ? config.runbooksDir : undefined);
  const manifest = manifestOf(config.indexDir);
  if (!runbooksChosen) {
    if (manifest) {
      config.runbooksDir = manifest.root;
      config.runbooksGiven = manifest.rootGiven;
    } else config.runbooksGiven = DEFAULTS.runbooksDir;
    return config;
  }
  config.runbooksGiven = opts.flags?.runbooksDir ?? config.runbooksDir;
  // A chosen directory that does not exist fails later with its own message, before anything is written.
  if (manifest && resolve(manifest.root) !== config.runbooksDir && isDir(config.runbooksDir) && !opts.rebuild) {
    throw new OpsctlError(
      'index-incompatible',
      `the index in ${config.indexDir} holds the runbooks in ${manifest.root}, not ${config.runbooksDir}`,
      `leave out the runbooks directory to search ${manifest.root}; replace the index with: opsctl index ${config.runbooksGiven} --rebuild --index-dir ${config.indexDir}; or choose another --index-dir`,
    );
  }
  return config;
}
