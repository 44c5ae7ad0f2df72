import type { Readable, Writable } from 'node:stream';

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Everything a command may touch of the process, injected so tests can run commands in-process. */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C: long work checks it and stops cleanly. */
  signal: AbortSignal;
}

/** What a command reports back besides thrown errors (e.g. "answered, but nothing matched" = 3). */
export interface RunState {
  exitCode: number;
  /** Called when the command line does not parse (unknown or missing option), before the error is reported. */
  onParseError?: (error: Error) => void;
}
