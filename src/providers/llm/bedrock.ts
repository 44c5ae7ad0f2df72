import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  type Message,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatMessage, LlmClient, LlmRequest } from '../../core/ports.js';
import { bedrockError, timeoutError } from './errors.js';
import { callWithPolicy, raceAbort, streamWithPolicy, type CallPolicy } from './retry.js';

export interface BedrockLlmOptions {
  /** A Bedrock model or inference-profile id, e.g. "amazon.nova-lite-v1:0" or "us.anthropic.claude-3-5-haiku-20241022-v1:0". */
  model: string;
  /** Falls back to the SDK's resolution (AWS_REGION, profile). */
  region?: string;
  /** Idle timeout: longest wait for the reply to start and between streamed chunks. Default 60 s. */
  timeoutMs?: number;
  retryDelayMs?: number;
  /** Tests: `new NodeHttpHandler()` to talk HTTP/1.1 to a node:http server (the default handler is HTTP/2). */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler'];
  /** Tests or private endpoints; AWS_ENDPOINT_URL(_BEDROCK_RUNTIME) is honoured by the SDK as well. */
  endpoint?: string;
  /** Default: the standard credential chain. */
  credentials?: BedrockRuntimeClientConfig['credentials'];
}

/** LlmClient over the Bedrock Converse / ConverseStream APIs, which take the same shape for every model. */
export class BedrockLlm implements LlmClient {
  readonly id: string;
  private readonly opts: BedrockLlmOptions;
  private readonly timeoutMs: number;
  private client: BedrockRuntimeClient | undefined;

  constructor(opts: BedrockLlmOptions) {
    this.opts = opts;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.id = `bedrock:${opts.model}`;
  }

  async complete(req: LlmRequest): Promise<string> {
    const input = this.input(req);
    return callWithPolicy(await this.policy(req), async (signal) => {
      const res = await this.sdk().send(new ConverseCommand(input), { abortSignal: signal });
      return (res.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
    });
  }

  stream(req: LlmRequest): AsyncIterable<string> {
    const input = this.input(req);
    const sdk = () => this.sdk();
    const policy = () => this.policy(req);
    return (async function* () {
      yield* streamWithPolicy(await policy(), async function* (signal) {
        const res = await sdk().send(new ConverseStreamCommand(input), { abortSignal: signal });
        if (!res.stream) return;
        const events = res.stream[Symbol.asyncIterator]();
        for (;;) {
          // The event-stream reader does not always notice an abort; race it so a stalled stream cannot hang.
          const r = await raceAbort(events.next(), signal);
          if (r.done) return;
          const text = r.value.contentBlockDelta?.delta?.text;
          if (text) yield text;
        }
      });
    })();
  }

  private sdk(): BedrockRuntimeClient {
    // maxAttempts 1: retries are ours (one, and never after text was streamed), not the SDK's three.
    this.client ??= new BedrockRuntimeClient({
      region: this.opts.region,
      maxAttempts: 1,
      ...(this.opts.requestHandler ? { requestHandler: this.opts.requestHandler } : {}),
      ...(this.opts.endpoint ? { endpoint: this.opts.endpoint } : {}),
      ...(this.opts.credentials ? { credentials: this.opts.credentials } : {}),
    });
    return this.client;
  }

  /** Resolved lazily so error messages can name the region even when it came from the environment. */
  private async region(): Promise<string> {
    if (this.opts.region) return this.opts.region;
    try {
      return await this.sdk().config.region();
    } catch {
      return 'the default region';
    }
  }

  private async policy(req: LlmRequest): Promise<CallPolicy> {
    const region = await this.region();
    return {
      timeoutMs: this.timeoutMs,
      retryDelayMs: this.opts.retryDelayMs,
      signal: req.signal,
      onTimeout: () => timeoutError(this.id, this.timeoutMs, 'Bedrock may be busy; retry, or raise llmTimeoutMs (OPSCTL_LLM_TIMEOUT_MS)'),
      mapError: (err) => bedrockError(err, { model: this.opts.model, region }),
    };
  }

  private input(req: LlmRequest) {
    const inferenceConfig: { temperature?: number; maxTokens?: number } = {};
    if (req.temperature !== undefined) inferenceConfig.temperature = req.temperature;
    if (req.maxTokens !== undefined) inferenceConfig.maxTokens = req.maxTokens;
    const { system, messages } = toConverse(req.messages);
    return { modelId: this.opts.model, messages, ...(system.length > 0 ? { system } : {}), inferenceConfig };
  }
}

/**
 * Converse wants system text apart, and user/assistant turns that alternate starting with a user turn;
 * consecutive messages of one role are merged into one turn with several text blocks.
 */
export function toConverse(chat: ChatMessage[]): { system: SystemContentBlock[]; messages: Message[] } {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  for (const m of chat) {
    if (m.role === 'system') {
      system.push({ text: m.content });
      continue;
    }
    const last = messages[messages.length - 1];
    const block: ContentBlock = { text: m.content };
    if (last && last.role === m.role) last.content = [...(last.content ?? []), block];
    else messages.push({ role: m.role, content: [block] });
  }
  return { system, messages };
}
