import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { OpsctlError } from '../core/errors.js';
import { DEFAULTS, SCHEMA, type Config } from './schema.js';

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

function coerce(key: keyof Config, raw: unknown, where: string): unknown {
  const kind = SCHEMA[key];
  if (Array.isArray(kind)) {
    if (typeof raw !== 'string' || !kind.includes(raw)) {
      throw new OpsctlError('usage', `${where}: ${key} must be one of ${kind.join(', ')} (got ${JSON.stringify(raw)})`);
    }
    return raw;
  }
  if (kind === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n)) throw new OpsctlError('usage', `${where}: ${key} must be a number (got ${JSON.stringify(raw)})`);
    return n;
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new OpsctlError('usage', `${where}: ${key} must be true or false (got ${JSON.stringify(raw)})`);
  }
  if (typeof raw !== 'string') throw new OpsctlError('usage', `${where}: ${key} must be a string`);
  return raw;
}

function applyObject(into: Partial<Config>, obj: Record<string, unknown>, where: string, explicit?: Set<keyof Config>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!(k in SCHEMA)) throw new OpsctlError('usage', `${where}: unknown config key "${k}"`, `known keys: ${Object.keys(SCHEMA).join(', ')}`);
    (into as Record<string, unknown>)[k] = coerce(k as keyof Config, v, where);
    explicit?.add(k as keyof Config);
  }
}

function readJsonFile(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch (e) {
    throw new OpsctlError('usage', `${path}: invalid JSON (${(e as Error).message})`, 'fix or remove the config file');
  }
  throw new OpsctlError('usage', `${path}: the config must be a JSON object`);
}

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Flags given on the command line; undefined values are ignored. */
  flags?: Partial<Config>;
  home?: string;
  /** Filled with the keys a config file, the environment or a flag set (the rest are defaults). */
  explicit?: Set<keyof Config>;
}

/** Resolves the effective config. Paths in the result are absolute. */
export function loadConfig(opts: LoadOptions): Config {
  const merged: Partial<Config> = { ...DEFAULTS };
  const home = opts.home ?? opts.env.HOME ?? homedir();
  const userFile = join(opts.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'opsctl', 'config.json');
  for (const file of [userFile, join(opts.cwd, 'opsctl.config.json')]) {
    const obj = readJsonFile(file);
    if (obj) applyObject(merged, obj, file, opts.explicit);
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of EXTRA_ENV) if (opts.env[name]) fromEnv[key] = opts.env[name];
  for (const key of Object.keys(SCHEMA)) {
    const v = opts.env[`OPSCTL_${snake(key)}`];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  applyObject(merged, fromEnv, 'environment', opts.explicit);
  if (opts.flags) applyObject(merged, opts.flags as Record<string, unknown>, 'flags', opts.explicit);
  const config = merged as Config;
  if (config.ollamaHost && !/^https?:\/\//.test(config.ollamaHost)) config.ollamaHost = `http://${config.ollamaHost}`;
  config.runbooksDir = resolve(opts.cwd, config.runbooksDir);
  config.indexDir = resolve(opts.cwd, config.indexDir);
  if (config.modelDir) config.modelDir = resolve(opts.cwd, config.modelDir);
  return config;
}
