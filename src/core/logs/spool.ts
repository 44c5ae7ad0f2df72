import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import type { LogEvent, LogQuery, LogSource } from '../ports.js';
import type { LogInput } from './types.js';

/** A temporary directory for spooled inputs; `dispose` removes it. */
export interface Spool {
  dir: string;
  dispose(): Promise<void>;
}

export async function openSpool(): Promise<Spool> {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-logs-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function writeAll(path: string, chunks: AsyncIterable<Uint8Array | string>, signal?: AbortSignal): Promise<void> {
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw new OpsctlError('interrupted', 'interrupted');
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  } finally {
    out.end();
  }
  await done;
}

let streams = 0;

/**
 * Copies a stream (stdin, a pipe) to a file in the spool so it can be read twice in bounded memory.
 * Reading stops at end of stream; a terminal on stdin is refused instead of waiting forever.
 */
export async function spoolStream(spool: Spool, name: string, stream: AsyncIterable<Uint8Array | string> & { isTTY?: boolean }, signal?: AbortSignal): Promise<LogInput> {
  if (stream.isTTY) throw new OpsctlError('usage', 'stdin is a terminal: nothing is piped into `-`', 'pipe a log in, e.g. kubectl logs deploy/api | opsctl logs reduce -');
  const path = join(spool.dir, `stream-${++streams}.log`);
  await writeAll(path, stream, signal);
  return { name, path };
}

/** One output line per event line: ISO time, then the message (multi-line messages keep their lines). */
export function formatEvent(e: LogEvent): string {
  const ts = new Date(e.timestamp).toISOString();
  const msg = e.message.endsWith('\n') ? e.message.slice(0, -1) : e.message;
  return msg.split('\n').map((l) => `${ts} ${l.replace(/\r$/, '')}`).join('\n') + '\n';
}

/** Spools the events of one log group to a file named after the group. */
export async function spoolLogGroup(spool: Spool, source: LogSource, query: LogQuery): Promise<LogInput> {
  const path = join(spool.dir, `group-${query.group.replace(/[^A-Za-z0-9._-]+/g, '_')}-${Date.now()}.log`);
  async function* lines(): AsyncIterable<string> {
    let batch = '';
    for await (const e of source.events(query)) {
      batch += formatEvent(e);
      if (batch.length > 1 << 16) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  await writeAll(path, lines(), query.signal);
  return { name: query.group, path };
}
