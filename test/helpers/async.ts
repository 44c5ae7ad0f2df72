import { expect } from 'vitest';
import { OpsctlError } from '../../src/core/errors.js';

/** Every item of an async iterable, in order. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const d of it) out.push(d);
  return out;
}

/** The OpsctlError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<OpsctlError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpsctlError);
  return err as OpsctlError;
}
