import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { defaultDeps, type Deps } from '../../src/cli/deps.js';
import type { Io, OutStream } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

/** Absolute path of the committed mini corpus (six short runbooks). */
export const MINI_RUNBOOKS = resolve('test/fixtures/runbooks-mini');
/** The bundled runbooks shipped with opsctl. */
export const BUNDLED_RUNBOOKS = resolve('runbooks');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Merged over an env whose HOME is `cwd`, so no user config file on this machine leaks in. */
  env?: Record<string, string>;
  deps?: Deps;
  signal?: AbortSignal;
}

/** A non-TTY stream that keeps everything written to it. */
function capture(): { stream: OutStream; text: () => string } {
  const chunks: string[] = [];
  const stream: OutStream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  stream.isTTY = false;
  return { stream, text: () => chunks.join('') };
}

/** Builds an Io for in-process runs: string-capturing stdout/stderr, empty non-TTY stdin, isolated env. */
export function makeIo(opts: RunOptions): { io: Io; stdout: () => string; stderr: () => string } {
  const out = capture();
  const err = capture();
  const stdin = new PassThrough();
  stdin.end();
  const io: Io = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Object.assign(stdin, { isTTY: false }),
    env: { HOME: opts.cwd, ...opts.env },
    cwd: opts.cwd,
    signal: opts.signal ?? new AbortController().signal,
  };
  return { io, stdout: out.text, stderr: err.text };
}

/** Runs `opsctl <argv>` in-process with the real providers (or `opts.deps`). */
export async function runOpsctl(argv: string[], opts: RunOptions): Promise<CliResult> {
  const { io, stdout, stderr } = makeIo(opts);
  const code = await runCli(argv, opts.deps ?? defaultDeps(), io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Temp directories removed by `cleanup()` (call it in afterAll/afterEach). */
export function tempDirs(prefix = 'opsctl-test-') {
  const made: string[] = [];
  return {
    async make(): Promise<string> {
      const d = await mkdtemp(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    /** A fresh temp dir holding a copy of `from` under `name` (default "runbooks"). */
    async withCopy(from: string, name = 'runbooks'): Promise<string> {
      const d = await this.make();
      await cp(from, join(d, name), { recursive: true });
      return d;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
