import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, sleep, type ServerFault } from './loopback-server.js';

export interface OllamaChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  options?: { temperature?: number; num_predict?: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface OllamaServerOptions {
  /** Pulled models as /api/tags lists them; "x" matches "x:latest". Default llama3.1 and nomic-embed-text. */
  models?: string[];
  /** The answer to a chat request; an array gives the exact stream chunks. Default: echoes the last user message. */
  reply?: (body: OllamaChatBody) => string | string[];
  /** Embedding of one input. Default: an 8-dimensional letter histogram (deliberately not normalised). */
  embed?: (text: string) => number[];
}

/** A node:http server on 127.0.0.1 speaking Ollama's /api/chat, /api/embed and /api/tags wire format. */
export class OllamaTestServer extends LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  private readonly models: string[];

  constructor(private readonly opts: OllamaServerOptions = {}) {
    super();
    this.models = (opts.models ?? ['llama3.1', 'nomic-embed-text']).map((m) => (m.includes(':') ? m : `${m}:latest`));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : undefined;
    const path = (req.url ?? '/').split('?')[0];
    this.requests.push({ method: req.method ?? 'GET', path, body });
    const fault = this.takeFault();
    if (fault?.kind === 'status' && fault.plain !== undefined) return text(res, fault.status, fault.plain);
    if (fault?.kind === 'status') return json(res, fault.status, { error: `simulated failure (HTTP ${fault.status})` });
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (req.method === 'GET' && path === '/api/tags') return json(res, 200, { models: this.models.map(modelEntry) });
    if (req.method === 'GET' && path === '/') return text(res, 200, 'Ollama is running');
    if (req.method !== 'POST' || (path !== '/api/chat' && path !== '/api/embed')) return text(res, 404, '404 page not found');
    const model = String(body?.model ?? '');
    if (!this.knows(model)) return json(res, 404, { error: `model "${model}" not found, try pulling it first` });
    if (path === '/api/embed') return this.embed(res, body);
    return this.chat(res, body as OllamaChatBody, fault);
  }

  private knows(model: string): boolean {
    return this.models.includes(model.includes(':') ? model : `${model}:latest`);
  }

  private embed(res: ServerResponse, body: { model: string; input: string | string[] }): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const embed = this.opts.embed ?? letterHistogram;
    json(res, 200, { model: body.model, embeddings: inputs.map(embed), total_duration: 1000, load_duration: 100, prompt_eval_count: inputs.length });
  }

  private async chat(res: ServerResponse, body: OllamaChatBody, fault: ServerFault | undefined): Promise<void> {
    const reply = (this.opts.reply ?? echo)(body);
    const chunks = Array.isArray(reply) ? reply : (reply.match(/\s*\S+\s*/g) ?? []);
    const base = { model: body.model, created_at: new Date().toISOString() };
    const final = { done: true, done_reason: 'stop', total_duration: 5_000_000, load_duration: 1_000_000, prompt_eval_count: 10, prompt_eval_duration: 1_000_000, eval_count: chunks.length, eval_duration: 2_000_000 };
    // Ollama streams unless the request says "stream": false.
    if (body.stream === false) {
      if (fault?.kind === 'drop') return void res.socket?.destroy();
      if (fault?.kind === 'stall') return;
      return json(res, 200, { ...base, message: { role: 'assistant', content: chunks.join('') }, ...final });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const [i, chunk] of chunks.entries()) {
      if ((fault?.kind === 'drop' || fault?.kind === 'stall') && i === fault.afterChunks) {
        if (fault.kind === 'drop') res.socket?.destroy();
        return;
      }
      res.write(`${JSON.stringify({ ...base, message: { role: 'assistant', content: chunk }, done: false })}\n`);
      await sleep(1);
    }
    res.end(`${JSON.stringify({ ...base, message: { role: 'assistant', content: '' }, ...final })}\n`);
  }
}

function echo(body: OllamaChatBody): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  return `You asked: ${last?.content ?? ''}`;
}

function letterHistogram(text: string): number[] {
  const v = new Array<number>(8).fill(0);
  for (const ch of text.toLowerCase()) if (ch >= 'a' && ch <= 'z') v[(ch.charCodeAt(0) - 97) % 8] += 1;
  v[7] += 1;
  return v;
}

function modelEntry(name: string) {
  return { name, model: name, modified_at: '2026-01-01T00:00:00Z', size: 4_661_224_676, digest: 'sha256:0000', details: { format: 'gguf', family: 'llama', parameter_size: '8B', quantization_level: 'Q4_K_M' } };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

