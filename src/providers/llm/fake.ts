import type { LlmClient, LlmRequest } from '../../core/ports.js';

/** What the fake answers: one fixed text, a queue (one per call, in order), or a function of the request. */
export type FakeScript =
  | string
  | ReadonlyArray<string | Error>
  | ((req: LlmRequest, call: number) => string | Error | Promise<string | Error>);

export interface FakeLlmOptions {
  /** Default "fake". */
  id?: string;
  /** Pause between streamed chunks, to show streaming in the UI. Default 0. */
  chunkDelayMs?: number;
}

/**
 * Scripted LlmClient for tests and `opsctl eval`. Streams its answer one word (with its trailing space)
 * per delta, so consumers see several deltas. An Error in the script is thrown; an exhausted queue throws.
 * Every request is recorded in `requests`.
 */
export class FakeLlm implements LlmClient {
  readonly id: string;
  readonly requests: LlmRequest[] = [];
  private readonly script: FakeScript;
  private readonly chunkDelayMs: number;

  constructor(script: FakeScript, opts: FakeLlmOptions = {}) {
    this.script = script;
    this.id = opts.id ?? 'fake';
    this.chunkDelayMs = opts.chunkDelayMs ?? 0;
  }

  async complete(req: LlmRequest): Promise<string> {
    return this.answer(req);
  }

  async *stream(req: LlmRequest): AsyncIterable<string> {
    const text = await this.answer(req);
    for (const chunk of splitChunks(text)) {
      if (this.chunkDelayMs > 0) await delay(this.chunkDelayMs, req.signal);
      throwIfAborted(req.signal);
      yield chunk;
    }
  }

  private async answer(req: LlmRequest): Promise<string> {
    throwIfAborted(req.signal);
    const call = this.requests.length;
    this.requests.push(req);
    let out: string | Error | undefined;
    if (typeof this.script === 'string') out = this.script;
    else if (typeof this.script === 'function') out = await this.script(req, call);
    else out = this.script[call] ?? new Error(`FakeLlm: script has ${this.script.length} answers, call ${call + 1} has none`);
    if (out instanceof Error) throw out;
    return out;
  }
}

/** Word-sized chunks that concatenate back to exactly `text`. */
export function splitChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
