import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');

/** A loopback server script running in its own process (as a real Ollama would), and the lines it printed. */
export interface ServerProcess {
  url: string;
  lines: string[];
  stop(): void;
}

/**
 * Writes `source` (TypeScript, run with tsx) to `dir` and starts it; it must print `url <base URL>` once
 * listening. Other lines it prints are collected in `lines`, for the test to read.
 */
export async function startServerProcess(dir: string, source: string): Promise<ServerProcess> {
  const script = join(dir, 'server.mts');
  writeFileSync(script, source);
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  let url = '';
  for (let i = 0; i < 200 && !url; i++) {
    url = lines.find((l) => l.startsWith('url '))?.slice(4) ?? '';
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!url) {
    child.kill();
    throw new Error('the loopback server process did not start');
  }
  return { url, lines, stop: () => child.kill() };
}
