import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { OpsctlError } from '../core/errors.js';
import { readConfigFile } from './file.js';
import { BOUNDS, DEFAULTS, NON_EMPTY, SCHEMA, USER_ONLY, type Config } from './schema.js';

/** Env names that map to keys, besides the generic OPSCTL_<SNAKE_KEY>. */
const EXTRA_ENV: Array<[string, keyof Config]> = [
  ['OLLAMA_HOST', 'ollamaHost'],
  ['OPSCTL_MODEL_DIR', 'modelDir'],
  ['AWS_REGION', 'region'],
  ['AWS_DEFAULT_REGION', 'region'],
];

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

const show = (raw: unknown) => JSON.stringify(raw) ?? String(raw);

/** `where` says where the value came from: a file path, an environment variable, or "flags". */
function coerce(key: keyof Config, raw: unknown, where: string): unknown {
  const kind = SCHEMA[key];
  if (Array.isArray(kind)) {
    if (typeof raw !== 'string' || !kind.includes(raw)) {
      throw new OpsctlError('usage', `${where}: ${key} must be one of ${kind.join(', ')} (got ${show(raw)})`);
    }
    return raw;
  }
  if (kind === 'number') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) throw new OpsctlError('usage', `${where}: ${key} must be a number (got ${show(raw)})`);
    return inBounds(key, n, where);
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new OpsctlError('usage', `${where}: ${key} must be true or false (got ${show(raw)})`);
  }
  if (typeof raw !== 'string') throw new OpsctlError('usage', `${where}: ${key} must be a string`);
  if (NON_EMPTY.includes(key) && raw.trim() === '') throw new OpsctlError('usage', `${where}: ${key} must not be empty`);
  return raw;
}

/** A number within its key's range, or an error saying the range (in the flag's name when it came from a flag). */
function inBounds(key: keyof Config, n: number, where: string): number {
  const b = BOUNDS[key];
  if (!b || (n >= b.min && n <= b.max && (!b.integer || Number.isInteger(n)))) return n;
  const range = `${b.integer ? 'a whole number ' : ''}between ${b.min} and ${b.max}`;
  const name = where === 'flags' && b.flag ? b.flag : `${where}: ${key}`;
  throw new OpsctlError('usage', `${name} must be ${range} (got ${n})`, key === 'llmTimeoutMs' ? `the LLM request timeout in milliseconds (default ${DEFAULTS.llmTimeoutMs})` : undefined);
}

// Config files may group the incident keys: {"incidents": {"record": true, "url": "...", "db": "..."}}.
function flattenGroups(obj: Record<string, unknown>): Record<string, unknown> {
  const group = obj.incidents;
  if (!group || typeof group !== 'object' || Array.isArray(group)) return obj;
  const { incidents: _drop, ...rest } = obj;
  for (const [k, v] of Object.entries(group as Record<string, unknown>)) rest[`incidents${k.charAt(0).toUpperCase()}${k.slice(1)}`] = v;
  return rest;
}

function applyObject(into: Partial<Config>, obj: Record<string, unknown>, where: string, explicit?: Set<keyof Config>): void {
  for (const [k, v] of Object.entries(flattenGroups(obj))) {
    if (v === undefined) continue;
    if (!(k in SCHEMA)) throw new OpsctlError('usage', `${where}: unknown config key "${k}"`, `known keys: ${Object.keys(SCHEMA).join(', ')}`);
    (into as Record<string, unknown>)[k] = coerce(k as keyof Config, v, where);
    explicit?.add(k as keyof Config);
  }
}

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Flags given on the command line; undefined values are ignored. */
  flags?: Partial<Config>;
  home?: string;
  /** Where warning lines go; by default the sink registered for `env` (the CLI registers its stderr). */
  warn?: (line: string) => void;
  /** Filled with the keys a config file, the environment or a flag set (the rest are defaults). */
  explicit?: Set<keyof Config>;
}

// Commands call loadConfig with the run's `io.env`; the CLI registers that run's stderr under the same object, so
// warnings reach the right stream (also with several in-process runs) without every call site passing it.
const sinks = new WeakMap<object, (line: string) => void>();

/** Makes loadConfig calls with this `env` object write their warnings with `write`. */
export function reportConfigWarnings(env: NodeJS.ProcessEnv, write: (line: string) => void): void {
  sinks.set(env, write);
}

/** Resolves the effective config. Paths in the result are absolute. */
export function loadConfig(opts: LoadOptions): Config {
  const warn = opts.warn ?? sinks.get(opts.env) ?? (() => undefined);
  const merged: Partial<Config> = { ...DEFAULTS };
  const origin: Partial<Record<keyof Config, string>> = {};
  const home = opts.home ?? opts.env.HOME ?? homedir();
  const userFile = join(opts.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'opsctl', 'config.json');
  const projectFile = join(opts.cwd, 'opsctl.config.json');
  const apply = (obj: Record<string, unknown>, where: string) => {
    applyObject(merged, obj, where, opts.explicit);
    for (const k of Object.keys(obj)) if (obj[k] !== undefined) origin[k as keyof Config] = where;
  };
  const user = readConfigFile(userFile);
  if (user) apply(user, userFile);
  const project = projectFile === userFile ? undefined : readConfigFile(projectFile);
  if (project) {
    for (const key of USER_ONLY) {
      if (!(key in project)) continue;
      warn(`opsctl: warning: ignoring ${key} in ${projectFile}: a project's config may not set it; use ${userFile}, ${key === 'redact' ? 'OPSCTL_REDACT' : 'OPSCTL_AUDIT_FILE'} or a flag\n`);
      delete project[key];
    }
    apply(project, projectFile);
  }
  for (const [name, key] of EXTRA_ENV) if (opts.env[name]) apply({ [key]: opts.env[name] }, name);
  for (const key of Object.keys(SCHEMA)) {
    const name = `OPSCTL_${snake(key)}`;
    const v = opts.env[name];
    if (v !== undefined && v !== '') apply({ [key]: v }, name);
  }
  if (opts.flags) apply(opts.flags as Record<string, unknown>, 'flags');
  const config = merged as Config;
  if (!config.redact) warn(`opsctl: warning: redaction is off (redact: false from ${origin.redact === 'flags' ? 'a flag' : origin.redact}): secrets, emails and IPs go to a remote LLM unmasked\n`);
  if (config.ollamaHost && !/^https?:\/\//.test(config.ollamaHost)) config.ollamaHost = `http://${config.ollamaHost}`;
  config.runbooksDir = resolve(opts.cwd, config.runbooksDir);
  config.indexDir = resolve(opts.cwd, config.indexDir);
  if (config.modelDir) config.modelDir = resolve(opts.cwd, config.modelDir);
  return config;
}
