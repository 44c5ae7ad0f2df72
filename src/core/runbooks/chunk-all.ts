import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedRunbook } from './chunk.js';

/** Below this many files a second thread costs more (~100 ms to start and load the parser) than it saves. */
const MIN_FILES_FOR_WORKER = 64;
const BATCH = 16;

export interface ChunkItem {
  file: string;
  text: string;
}

/**
 * The worker module, when it exists as JavaScript: next to this module (dist/core/runbooks), or from the esbuild
 * bundle (dist/bundle, two levels below the package like dist/cli). Under vitest (TypeScript sources) there is none,
 * and everything is parsed on this thread: the result is the same either way.
 */
function workerPath(): URL | undefined {
  for (const rel of ['./chunk-worker.js', '../core/runbooks/chunk-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Whether another core is idle. On a busy machine the worker only adds its start-up (~1 s of CPU at 800 files:
 * loading the parser again, copying the chunks back): measured 7.2-9.4 s with it against 6.4 s without at load 3.5
 * on 2 cores. The result is the same either way; only the time differs.
 */
function coreToSpare(): boolean {
  return loadavg()[0] < availableParallelism() - 1;
}

/**
 * Parses runbooks into chunks, in order. Parsing Markdown is most of a full index (~1.7 s of ~5 s at 800 files):
 * with many files, a worker thread takes batches from the same queue as this thread, so a second core halves it.
 * `between` runs between files on this thread (Ctrl-C checks, progress); it may throw to stop. `threads` forces
 * one thread or two (tests; two needs the built worker module).
 */
export async function chunkAll(items: ChunkItem[], between: (done: number) => Promise<void>, threads: 'auto' | 'one' | 'two' = 'auto'): Promise<ParsedRunbook[]> {
  const { chunkMarkdown } = await import('./chunk.js');
  const out: Array<ParsedRunbook | undefined> = new Array(items.length);
  let next = 0;
  let done = 0;
  const wanted = threads === 'two' || (threads === 'auto' && items.length >= MIN_FILES_FOR_WORKER && coreToSpare());
  const path = wanted ? workerPath() : undefined;
  let worker: Worker | undefined;
  let remote: Promise<void> = Promise.resolve();
  if (path) {
    const w = new Worker(path);
    worker = w;
    // The worker asks for a batch, parses it, posts it back, and gets the next one, until the queue is empty.
    remote = new Promise<void>((resolve) => {
      let batch: { id: number; start: number; end: number } | undefined;
      const send = () => {
        if (next >= items.length) return resolve();
        batch = { id: next, start: next, end: Math.min(items.length, next + BATCH) };
        next = batch.end;
        w.postMessage({ id: batch.id, items: items.slice(batch.start, batch.end) });
      };
      // Anything wrong with the worker: its unfinished batch goes back to this thread, which parses it itself.
      const fail = () => {
        if (batch) for (let i = batch.start; i < batch.end; i++) if (!out[i]) out[i] = chunkMarkdown(items[i].file, items[i].text);
        batch = undefined;
        resolve();
      };
      w.on('message', (msg: { id: number; docs?: ParsedRunbook[]; error?: string }) => {
        if (!batch || msg.id !== batch.id || !msg.docs) return fail();
        msg.docs.forEach((d, k) => (out[batch!.start + k] = d));
        done += msg.docs.length;
        send();
      });
      w.on('error', fail);
      w.on('exit', () => (batch ? fail() : resolve()));
      send();
    });
  }
  try {
    while (next < items.length) {
      const i = next++;
      await between(done);
      out[i] = chunkMarkdown(items[i].file, items[i].text);
      done++;
    }
    await remote;
  } finally {
    await worker?.terminate();
  }
  return out as ParsedRunbook[];
}
