import { parentPort } from 'node:worker_threads';
import { chunkMarkdown } from './chunk.js';

// A second thread for `chunkAll`: it parses the batches of runbooks it is sent and posts back their chunks.
parentPort?.on('message', (batch: { id: number; items: Array<{ file: string; text: string }> }) => {
  try {
    parentPort!.postMessage({ id: batch.id, docs: batch.items.map((it) => chunkMarkdown(it.file, it.text)) });
  } catch (e) {
    parentPort!.postMessage({ id: batch.id, error: (e as Error).message });
  }
});
