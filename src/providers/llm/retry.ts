import type { OpsctlError } from '../../core/errors.js';
import { isTransient } from './errors.js';

/** How one LLM call is guarded: timeout, one retry on a transient failure, the caller's cancellation. */
export interface CallPolicy {
  /**
   * Longest wait, in ms, for the reply to start and (when streaming) between two chunks. An idle timeout
   * rather than a total one, so a slow local model that keeps streaming is not cut off mid-answer.
   */
  timeoutMs: number;
  /** Extra attempts after a transient failure (connection reset, 5xx, throttling). Default 1. */
  retries?: number;
  /** Pause before a retry. Default 250 ms. */
  retryDelayMs?: number;
  /** The caller's cancellation (Ctrl-C). When it fires, its reason is thrown as is, never retried. */
  signal?: AbortSignal;
  /** Builds the error thrown when the timeout fires. */
  onTimeout: () => OpsctlError;
  /** Turns any other failure into an OpsctlError with a hint. */
  mapError: (err: unknown) => OpsctlError;
}

/** One attempt's abort signal: fires on the caller's signal or when no progress was seen for timeoutMs. */
class Watchdog {
  readonly controller = new AbortController();
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(private readonly ms: number, private readonly caller?: AbortSignal) {
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Progress: restart the idle timer. */
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error('timeout'));
    }, this.ms);
  }

  /** The consumer holds a delta: its time is not the model's. */
  pause(): void {
    clearTimeout(this.timer);
  }

  /** Stops the timer and aborts whatever is still open (e.g. a stream the consumer stopped reading). */
  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort(new Error('done'));
  }
}

/** Settles with `p`, or rejects as soon as `signal` aborts, so a client that ignores its signal cannot hang us. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** Decides what to do with a failed attempt: returns true to retry, otherwise throws the final error. */
async function handleFailure(err: unknown, wd: Watchdog, policy: CallPolicy, attempt: number, canRetry: boolean): Promise<true> {
  if (policy.signal?.aborted) throw policy.signal.reason;
  if (wd.timedOut) throw policy.onTimeout();
  if (canRetry && attempt < (policy.retries ?? 1) && isTransient(err)) {
    await sleep(policy.retryDelayMs ?? 250, policy.signal);
    return true;
  }
  throw policy.mapError(err);
}

/** Runs a one-shot call under the policy. `run` must pass the signal it gets to its HTTP client. */
export async function callWithPolicy<T>(policy: CallPolicy, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const wd = new Watchdog(policy.timeoutMs, policy.signal);
    try {
      return await raceAbort(run(wd.signal), wd.signal);
    } catch (err) {
      await handleFailure(err, wd, policy, attempt, true);
    } finally {
      wd.dispose();
    }
  }
}

/**
 * Streams text deltas under the policy. A failure is retried only before the first delta was yielded:
 * text already shown to the user cannot be taken back, so a break mid-answer is an error.
 */
export async function* streamWithPolicy(policy: CallPolicy, run: (signal: AbortSignal) => AsyncIterable<string>): AsyncGenerator<string> {
  for (let attempt = 0; ; attempt++) {
    const wd = new Watchdog(policy.timeoutMs, policy.signal);
    let yielded = false;
    let it: AsyncIterator<string> | undefined;
    try {
      it = run(wd.signal)[Symbol.asyncIterator]();
      for (;;) {
        const r = await raceAbort(it.next(), wd.signal);
        if (r.done) return;
        if (r.value === '') {
          wd.touch();
          continue;
        }
        yielded = true;
        wd.pause();
        yield r.value;
        wd.touch();
      }
    } catch (err) {
      await handleFailure(err, wd, policy, attempt, !yielded);
    } finally {
      wd.dispose();
      // Close the source (and its connection) when the consumer stopped early or we failed.
      void it?.return?.()?.catch(() => undefined);
    }
  }
}
