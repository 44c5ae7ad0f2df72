import { OpsctlError } from '../errors.js';

/** A task definition named by family and revision, whatever form (ARN, "family:rev") it came in. */
export interface TaskDefRef {
  family: string;
  revision: number;
}

const ARN = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/;

/** Parses "family:rev" or a task definition ARN; a bare revision ("38") needs `family`. */
export function parseTaskDefRef(ref: string, family?: string): TaskDefRef {
  const s = ref.trim();
  const name = ARN.exec(s)?.[1] ?? s;
  if (/^\d+$/.test(name) && family) return { family, revision: Number(name) };
  const m = /^([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(name);
  if (!m) {
    throw new OpsctlError('usage', `not a task definition revision: "${ref}"`, 'use family:revision (web-api:38), a revision number (38) or a task definition ARN');
  }
  return { family: m[1], revision: Number(m[2]) };
}

/** "family:rev", the short form shown to people and written to the audit log. */
export function refName(ref: TaskDefRef): string {
  return `${ref.family}:${ref.revision}`;
}

/** True when two references (ARN or short) name the same revision. */
export function sameTaskDef(a: string, b: string): boolean {
  try {
    return refName(parseTaskDefRef(a)) === refName(parseTaskDefRef(b));
  } catch {
    return a === b;
  }
}
