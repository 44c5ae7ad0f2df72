import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';

// Reading and writing the parts of an index generation: every damaged or missing part becomes one clear error.

export function corrupt(dir: string, what: string): OpsctlError {
  return new OpsctlError('index', `the index in ${dir} is damaged (${what})`, 'rebuild it: opsctl index --rebuild');
}

/** Parses one JSON file of generation `gen`; errors name the index directory the user knows, not the generation. */
export function readJson<T>(indexDir: string, gen: string, file: string): T {
  try {
    return JSON.parse(readFileSync(join(gen, file), 'utf8')) as T;
  } catch (e) {
    throw corrupt(indexDir, `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}`);
  }
}

/** The raw bytes of one binary file of generation `gen`. */
export function readBytes(indexDir: string, gen: string, file: string): Buffer {
  try {
    return readFileSync(join(gen, file));
  } catch {
    throw corrupt(indexDir, `${file} missing`);
  }
}

export function readFloats(dir: string, file: string, count: number, indexDir: string): Float32Array {
  const buf = readBytes(indexDir, dir, file);
  if (buf.byteLength !== count * 4) throw corrupt(indexDir, `${file} has the wrong size`);
  return new Float32Array(...aligned(buf));
}

/**
 * `buf` as (ArrayBuffer, offset, length) for a 4-byte typed array. A file of more than a few KB is read into a buffer
 * of its own, used as is (copying the megabytes of vectors cost a cold `ask` ~3 ms); a small one may sit in Node's
 * shared pool at an offset that is not a multiple of 4, and is copied.
 */
export function aligned(buf: Buffer): [ArrayBuffer, number, number] {
  if (buf.byteOffset % 4 === 0) return [buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength / 4];
  return [buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, 0, buf.byteLength / 4];
}

/** The bytes of a Float32Array, for writing. */
export function floatBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
