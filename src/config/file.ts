import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { OpsctlError } from '../core/errors.js';

const FIX = 'fix or remove the config file';

/**
 * One config file as an object, or undefined when there is none. Anything else that stands at a config path (a
 * directory, a link to nowhere, a file we may not read) is an error: silently running without the settings the
 * user believes are in force (redaction, the audit path, the index directory) is worse than stopping.
 */
export function readConfigFile(path: string): Record<string, unknown> | undefined {
  let link;
  try {
    link = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpsctlError('usage', `${path}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, FIX);
  }
  let st = link;
  if (link.isSymbolicLink()) {
    try {
      st = statSync(path);
    } catch {
      throw new OpsctlError('usage', `${path}: the config file is a link to nothing (${safeReadlink(path)})`, FIX);
    }
  }
  if (st.isDirectory()) throw new OpsctlError('usage', `${path}: the config path is a directory, not a JSON file`, FIX);
  if (!st.isFile()) throw new OpsctlError('usage', `${path}: the config path is not a regular file`, FIX);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OpsctlError('usage', `${path}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, FIX);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new OpsctlError('usage', `${path}: invalid JSON (${(e as Error).message})`, FIX);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new OpsctlError('usage', `${path}: the config must be a JSON object`);
}

function safeReadlink(path: string): string {
  try {
    return `→ ${readlinkSync(path)}`;
  } catch {
    return 'unreadable link';
  }
}
