import { readFileSync } from 'node:fs';
import { OpsctlError } from '../errors.js';

export interface Environment {
  path: string;
  data: Record<string, unknown>;
  /** Pretty JSON as it goes into the prompt. */
  text: string;
  /** Extra front matter tags the environment asks for (its "tags" array). */
  tags: string[];
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Reads an environment description. Invalid JSON is an error that says `file:line:column`. */
export function loadEnvironment(path: string): Environment {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OpsctlError('input', `cannot read environment file ${path}: ${(e as Error).message}`, 'check the path and permissions', { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : /end of JSON input/.test(msg) ? text.length : undefined;
    const where = offset === undefined ? undefined : lineColumn(text, offset);
    const loc = where ? `:${where.line}:${where.column}` : '';
    // V8's messages quote the whole input sometimes; keep the message to one line.
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*$/s, '');
    throw new OpsctlError('input', `${path}${loc}: invalid JSON (${reason})`, 'fix the environment file (a JSON object describing your stack)', { cause: e });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new OpsctlError('input', `${path}:1:1: an environment file must be a JSON object`, 'wrap the description in { ... }');
  }
  const obj = data as Record<string, unknown>;
  const tags = Array.isArray(obj.tags) ? obj.tags.filter((t): t is string => typeof t === 'string') : [];
  return { path, data: obj, text: JSON.stringify(obj, null, 2), tags };
}
