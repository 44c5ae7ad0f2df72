import type { ContainerSummary, TaskDefinitionInfo } from '../ports.js';

/** How one container differs between the current and the target revision. Env values never appear. */
export interface ContainerChange {
  name: string;
  kind: 'changed' | 'unchanged' | 'added' | 'removed';
  imageFrom?: string;
  imageTo?: string;
  envAdded: string[];
  envRemoved: string[];
}

export interface FieldChange {
  field: 'cpu' | 'memory' | 'taskRole';
  from?: string;
  to?: string;
}

export interface TaskDefDiff {
  containers: ContainerChange[];
  fields: FieldChange[];
}

function minus(a: string[], b: string[]): string[] {
  const set = new Set(b);
  return [...new Set(a.filter((x) => !set.has(x)))].sort();
}

function containerChange(name: string, from?: ContainerSummary, to?: ContainerSummary): ContainerChange {
  const envAdded = minus(to?.envNames ?? [], from?.envNames ?? []);
  const envRemoved = minus(from?.envNames ?? [], to?.envNames ?? []);
  let kind: ContainerChange['kind'] = 'unchanged';
  if (!from) kind = 'added';
  else if (!to) kind = 'removed';
  else if (from.image !== to.image || envAdded.length > 0 || envRemoved.length > 0) kind = 'changed';
  return { name, kind, imageFrom: from?.image, imageTo: to?.image, envAdded, envRemoved };
}

/**
 * What rolling from `from` to `to` changes: per container image and env var names (added = present only in
 * the target), plus task-level cpu, memory and task role. Containers keep the current revision's order.
 */
export function diffTaskDefinitions(from: TaskDefinitionInfo, to: TaskDefinitionInfo): TaskDefDiff {
  const names = [...from.containers.map((c) => c.name), ...to.containers.map((c) => c.name)];
  const containers = [...new Set(names)].map((name) =>
    containerChange(name, from.containers.find((c) => c.name === name), to.containers.find((c) => c.name === name)),
  );
  const fields: FieldChange[] = [];
  const pairs: Array<[FieldChange['field'], string | undefined, string | undefined]> = [
    ['cpu', from.cpu, to.cpu],
    ['memory', from.memory, to.memory],
    ['taskRole', from.taskRoleArn, to.taskRoleArn],
  ];
  for (const [field, a, b] of pairs) if (a !== b) fields.push({ field, from: a, to: b });
  return { containers, fields };
}
