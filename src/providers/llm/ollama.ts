import { Ollama, type Message } from 'ollama';
import type { LlmClient, LlmRequest } from '../../core/ports.js';
import { ollamaError, timeoutError } from './errors.js';
import { callWithPolicy, streamWithPolicy, type CallPolicy } from './retry.js';

export interface OllamaLlmOptions {
  /** e.g. http://127.0.0.1:11434 (config.ollamaHost, which already honours OLLAMA_HOST). */
  host: string;
  model: string;
  /** Idle timeout: longest wait for the reply to start and between streamed chunks. Default 60 s. */
  timeoutMs?: number;
  /** Pause before the one retry after a transient failure. Default 250 ms. */
  retryDelayMs?: number;
}

/**
 * An `ollama` client whose every request carries `signal`.
 *
 * The library passes no signal on non-streaming calls and logs to stdout (console.log) when an error
 * body is not JSON, which would corrupt `--json` output; the fetch wrapper fixes both.
 */
export function ollamaClient(host: string, signal: AbortSignal): Ollama {
  const guarded: typeof fetch = async (input, init) => {
    const res = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    if (res.ok || (res.headers.get('content-type') ?? '').includes('application/json')) return res;
    const text = (await res.text().catch(() => '')).trim();
    return new Response(JSON.stringify({ error: text || `HTTP ${res.status} ${res.statusText}` }), {
      status: res.status,
      statusText: res.statusText,
      headers: { 'content-type': 'application/json' },
    });
  };
  return new Ollama({ host, fetch: guarded });
}

/** LlmClient over Ollama's /api/chat (streaming NDJSON or one JSON reply). */
export class OllamaLlm implements LlmClient {
  readonly id: string;
  private readonly host: string;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly retryDelayMs?: number;

  constructor(opts: OllamaLlmOptions) {
    this.host = opts.host.replace(/\/+$/, '');
    this.model = opts.model;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.retryDelayMs = opts.retryDelayMs;
    this.id = `ollama:${opts.model}`;
  }

  async complete(req: LlmRequest): Promise<string> {
    return callWithPolicy(this.policy(req), async (signal) => {
      const res = await ollamaClient(this.host, signal).chat({ ...this.body(req), stream: false });
      return res.message?.content ?? '';
    });
  }

  stream(req: LlmRequest): AsyncIterable<string> {
    const body = this.body(req);
    const host = this.host;
    return streamWithPolicy(this.policy(req), async function* (signal) {
      const parts = await ollamaClient(host, signal).chat({ ...body, stream: true });
      for await (const part of parts) {
        if (part.message?.content) yield part.message.content;
      }
    });
  }

  private body(req: LlmRequest) {
    const options: { temperature?: number; num_predict?: number } = {};
    if (req.temperature !== undefined) options.temperature = req.temperature;
    if (req.maxTokens !== undefined) options.num_predict = req.maxTokens;
    const messages: Message[] = req.messages.map((m) => ({ role: m.role, content: m.content }));
    return { model: this.model, messages, options };
  }

  private policy(req: LlmRequest): CallPolicy {
    return {
      timeoutMs: this.timeoutMs,
      retryDelayMs: this.retryDelayMs,
      signal: req.signal,
      onTimeout: () =>
        timeoutError(this.id, this.timeoutMs, 'the model may still be loading (first call) or be too big for this machine; retry, pick a smaller --model, or raise llmTimeoutMs (OPSCTL_LLM_TIMEOUT_MS)'),
      mapError: (err) => ollamaError(err, { host: this.host, model: this.model }),
    };
  }
}
