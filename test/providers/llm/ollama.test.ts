import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../src/core/ports.js';
import { OllamaLlm, ollamaClient } from '../../../src/providers/llm/ollama.js';
import { OllamaTestServer, type OllamaChatBody } from '../../helpers/ollama-server.js';
import { collect, failure } from '../../helpers/async.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'Answer only from the sections.' },
  { role: 'user', content: 'How do I roll back the api?' },
];

describe('OllamaLlm against a loopback Ollama', () => {
  const server = new OllamaTestServer({
    reply: (body: OllamaChatBody) => (body.messages.some((m) => m.content.includes('chunks')) ? ['Roll ', 'back ', 'with ', '[1].'] : 'Roll back with [1].'),
  });
  let host = '';
  // Generous by default so a loaded CI machine cannot fail the normal paths; timeout tests pass a short one.
  const llm = (timeoutMs = 5000) => new OllamaLlm({ host, model: 'llama3.1', timeoutMs, retryDelayMs: 5 });

  beforeAll(async () => {
    host = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('completes without streaming and sends model, messages, temperature and maxTokens', async () => {
    expect(await llm().complete({ messages, temperature: 0, maxTokens: 256 })).toBe('Roll back with [1].');
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.path).toBe('/api/chat');
    expect(req.body).toMatchObject({ model: 'llama3.1', stream: false, messages, options: { temperature: 0, num_predict: 256 } });
  });

  it('streams deltas in order over NDJSON', async () => {
    const deltas = await collect(llm().stream({ messages: [{ role: 'user', content: 'give me chunks' }] }));
    expect(deltas).toEqual(['Roll ', 'back ', 'with ', '[1].']);
    expect(server.requests[0].body).toMatchObject({ stream: true });
  });

  it('retries once after an HTTP 500', async () => {
    server.fault = { kind: 'status', status: 500 };
    expect(await llm().complete({ messages })).toBe('Roll back with [1].');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a stream that failed before its first delta', async () => {
    server.fault = { kind: 'status', status: 503 };
    expect((await collect(llm().stream({ messages }))).join('')).toBe('Roll back with [1].');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after the one retry', async () => {
    server.fault = { kind: 'status', status: 500, times: 5 };
    const err = await failure(llm().complete({ messages }));
    expect(err.code).toBe('llm');
    expect(err.message).toContain('HTTP 500');
    expect(server.requests).toHaveLength(2);
  });

  it('reports a non-JSON error body without writing to stdout (the library would console.log it)', async () => {
    server.fault = { kind: 'status', status: 502, times: 2, plain: 'Bad Gateway from proxy' };
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const err = await failure(llm().complete({ messages }));
      expect(err.message).toContain('Bad Gateway from proxy');
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it('does not retry a 4xx', async () => {
    server.fault = { kind: 'status', status: 400 };
    await failure(llm().complete({ messages }));
    expect(server.requests).toHaveLength(1);
  });

  it('times out a reply that does not start', async () => {
    server.fault = { kind: 'slow', delayMs: 3000 };
    const err = await failure(llm(300).complete({ messages }));
    expect(err.code).toBe('llm');
    expect(err.message).toBe('no answer from ollama:llama3.1 within 300 ms');
    expect(err.hint).toContain('llmTimeoutMs');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stream that stalls mid-answer, after the deltas it did send', async () => {
    server.fault = { kind: 'stall', afterChunks: 2 };
    const seen: string[] = [];
    const err = await failure((async () => {
      for await (const d of llm(1000).stream({ messages: [{ role: 'user', content: 'chunks' }] })) seen.push(d);
    })());
    expect(seen).toEqual(['Roll ', 'back ']);
    expect(err.message).toBe('no answer from ollama:llama3.1 within 1 s');
    expect(server.requests).toHaveLength(1);
  });

  it('fails (no hang, no retry) when the connection drops mid-stream', async () => {
    server.fault = { kind: 'drop', afterChunks: 2 };
    const seen: string[] = [];
    const err = await failure((async () => {
      for await (const d of llm().stream({ messages: [{ role: 'user', content: 'chunks' }] })) seen.push(d);
    })());
    expect(seen).toEqual(['Roll ', 'back ']);
    expect(err.message).toMatch(/connection to Ollama at .* dropped/);
    expect(server.requests).toHaveLength(1);
  });

  it('says which model to pull when the model is unknown', async () => {
    const err = await failure(new OllamaLlm({ host, model: 'mistral-nemo', timeoutMs: 5000 }).complete({ messages }));
    expect(err.message).toBe(`model mistral-nemo not pulled in Ollama at ${host}`);
    expect(err.hint).toContain('ollama pull mistral-nemo');
    expect(server.requests).toHaveLength(1);
  });

  it("rejects with the caller's abort reason when cancelled mid-stream", async () => {
    server.fault = { kind: 'stall', afterChunks: 1 };
    const ctl = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const run = (async () => {
      for await (const _d of new OllamaLlm({ host, model: 'llama3.1', timeoutMs: 30_000 }).stream({ messages, signal: ctl.signal })) ctl.abort(reason);
    })();
    await expect(run).rejects.toBe(reason);
  });
});

describe('OllamaLlm: cancellation and the helper server', () => {
  const server = new OllamaTestServer({ models: ['llama3.1', 'qwen2.5:7b'] });
  let host = '';
  beforeAll(async () => {
    host = await server.start();
  });
  afterAll(() => server.stop());

  it("honours the caller's signal on a non-streaming call (the library itself passes none)", async () => {
    server.fault = { kind: 'slow', delayMs: 1500 };
    const ctl = new AbortController();
    const reason = new Error('cancelled');
    const p = new OllamaLlm({ host, model: 'llama3.1', timeoutMs: 30_000 }).complete({ messages, signal: ctl.signal });
    setTimeout(() => ctl.abort(reason), 20);
    await expect(p).rejects.toBe(reason);
  });

  it('lists pulled models over /api/tags as the official client expects', async () => {
    const list = await ollamaClient(host, new AbortController().signal).list();
    expect(list.models.map((m) => m.name)).toEqual(['llama3.1:latest', 'qwen2.5:7b']);
  });
});

describe('OllamaLlm with no server', () => {
  it('says Ollama is not running at the host, with a hint', async () => {
    const server = new OllamaTestServer();
    const host = await server.start();
    await server.stop(); // the port is now closed
    const err = await failure(new OllamaLlm({ host, model: 'llama3.1', timeoutMs: 2000, retryDelayMs: 5 }).complete({ messages }));
    expect(err.code).toBe('llm');
    expect(err.exitCode).toBe(6);
    expect(err.message).toBe(`Ollama not running at ${host}`);
    expect(err.hint).toContain('ollama serve');
    expect(err.hint).toContain('OLLAMA_HOST');
  });
});
