import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import { crc32 } from './checksum.js';

// Reading and writing the parts of an index generation: every damaged or missing part becomes one clear error.

export function corrupt(dir: string, what: string): OpsctlError {
  return new OpsctlError('index', `the index in ${dir} is damaged (${what})`, 'rebuild it: opsctl index --rebuild');
}

/** CRC-32 of each part file of a generation, by file name (kept in the manifest). */
export type Checksums = Record<string, number>;

/** Writes the parts of one generation and records each one's CRC-32 for the manifest. */
export class PartWriter {
  readonly checksums: Checksums = {};
  constructor(readonly gen: string) {}

  put(file: string, data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    writeFileSync(join(this.gen, file), bytes);
    this.checksums[file] = crc32(bytes);
  }

  /** Records the CRC of a part another writer saved (the vector file). */
  seal(file: string): void {
    this.checksums[file] = crc32(readFileSync(join(this.gen, file)));
  }
}

/**
 * Reads the parts of one generation, each checked against its CRC-32 in the manifest: flipped bytes anywhere are a
 * damaged index, never a wrong answer. Errors name the index directory the user knows, not the generation.
 */
export class PartReader {
  constructor(
    readonly indexDir: string,
    readonly gen: string,
    private readonly checksums: Checksums,
  ) {}

  /** The raw bytes of one part. */
  bytes(file: string): Buffer {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.gen, file));
    } catch (e) {
      throw corrupt(this.indexDir, `${file} ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}`);
    }
    const want = this.checksums[file];
    if (typeof want !== 'number') throw corrupt(this.indexDir, `${file} has no checksum in manifest.json`);
    if (crc32(buf) !== want) throw corrupt(this.indexDir, `${file} fails its checksum`);
    return buf;
  }

  /** One JSON part. */
  json<T>(file: string): T {
    const buf = this.bytes(file);
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch {
      throw corrupt(this.indexDir, `${file}: unreadable`);
    }
  }

  /** One part of `count` float32s. */
  floats(file: string, count: number): Float32Array {
    const buf = this.bytes(file);
    if (buf.byteLength !== count * 4) throw corrupt(this.indexDir, `${file} has the wrong size`);
    return new Float32Array(...aligned(buf));
  }
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
