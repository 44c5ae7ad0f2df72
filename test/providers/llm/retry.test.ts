import { describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { bedrockError, isTransient, ollamaError } from '../../../src/providers/llm/errors.js';
import { callWithPolicy, streamWithPolicy, type CallPolicy } from '../../../src/providers/llm/retry.js';

const policy = (over: Partial<CallPolicy> = {}): CallPolicy => ({
  timeoutMs: 200,
  retryDelayMs: 1,
  onTimeout: () => new OpsctlError('llm', 'timed out'),
  mapError: (e) => new OpsctlError('llm', `mapped: ${(e as Error).message}`),
  ...over,
});
const http = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status_code: status });
const reset = () => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });

describe('isTransient', () => {
  it.each([
    ['HTTP 500', http(500), true],
    ['HTTP 503', http(503), true],
    ['HTTP 429', http(429), true],
    ['HTTP 404', http(404), false],
    ['HTTP 400', http(400), false],
    ['connection reset (in cause)', reset(), true],
    ['undici "terminated"', new TypeError('terminated'), true],
    ['AWS throttling', Object.assign(new Error('slow down'), { name: 'ThrottlingException' }), true],
    ['AWS access denied (403)', Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }), false],
    ['connection refused', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), false],
    ['plain bug', new Error('undefined is not a function'), false],
  ])('%s -> %s', (_n, err, want) => expect(isTransient(err)).toBe(want));
});

describe('callWithPolicy', () => {
  it('retries once on a transient failure, then maps the error', async () => {
    let calls = 0;
    const err = await callWithPolicy(policy(), async () => {
      calls++;
      throw http(502);
    }).catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect((err as OpsctlError).message).toBe('mapped: HTTP 502');
  });

  it('does not retry a 4xx', async () => {
    let calls = 0;
    await expect(callWithPolicy(policy(), async () => {
      calls++;
      throw http(404);
    })).rejects.toThrow('mapped: HTTP 404');
    expect(calls).toBe(1);
  });

  it('times out even when the call ignores its signal', async () => {
    await expect(callWithPolicy(policy({ timeoutMs: 30 }), () => new Promise(() => undefined))).rejects.toThrow('timed out');
  });

  it("rethrows the caller's abort reason, without retrying", async () => {
    const ctl = new AbortController();
    const reason = new Error('cancelled by user');
    let calls = 0;
    const p = callWithPolicy(policy({ signal: ctl.signal, timeoutMs: 10_000 }), (signal) => {
      calls++;
      return new Promise((_r, reject) => signal.addEventListener('abort', () => reject(reset())));
    });
    ctl.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(calls).toBe(1);
  });
});

describe('streamWithPolicy', () => {
  it('does not retry once a delta was yielded', async () => {
    let calls = 0;
    const seen: string[] = [];
    const run = (async () => {
      for await (const d of streamWithPolicy(policy(), async function* () {
        calls++;
        yield 'partial ';
        throw reset();
      })) seen.push(d);
    })();
    await expect(run).rejects.toThrow('mapped: fetch failed');
    expect(calls).toBe(1);
    expect(seen).toEqual(['partial ']);
  });

  it('aborts the source when the consumer stops early', async () => {
    let sourceSignal: AbortSignal | undefined;
    for await (const d of streamWithPolicy(policy(), async function* (signal) {
      sourceSignal = signal;
      yield 'a';
      yield 'b';
    })) {
      expect(d).toBe('a');
      break;
    }
    expect(sourceSignal?.aborted).toBe(true);
  });

  it('does not count the consumer\'s time against the idle timeout', async () => {
    const out: string[] = [];
    for await (const d of streamWithPolicy(policy({ timeoutMs: 40 }), async function* () {
      yield 'a';
      yield 'b';
    })) {
      out.push(d);
      await new Promise((r) => setTimeout(r, 80));
    }
    expect(out).toEqual(['a', 'b']);
  });
});

describe('error mapping', () => {
  it('passes an OpsctlError through unchanged', () => {
    const e = new OpsctlError('llm', 'already mapped');
    expect(ollamaError(e, { host: 'h', model: 'm' })).toBe(e);
    expect(bedrockError(e, { model: 'm', region: 'r' })).toBe(e);
  });

  it('names a missing region for Bedrock', () => {
    const e = bedrockError(new Error('Region is missing'), { model: 'm', region: 'the default region' });
    expect(e.message).toBe('no AWS region for Bedrock');
    expect(e.hint).toContain('AWS_REGION');
  });

  it('keeps Bedrock messages to one line', () => {
    const e = bedrockError(Object.assign(new Error('line one\nline two'), { name: 'ModelErrorException' }), { model: 'm', region: 'r' });
    expect(e.message).toBe('Bedrock request failed: ModelErrorException: line one');
  });
});
