import type { Embedder } from '../../core/ports.js';
import { ollamaError, timeoutError } from '../llm/errors.js';
import { ollamaClient } from '../llm/ollama.js';
import { callWithPolicy } from '../llm/retry.js';

export interface OllamaEmbedderOptions {
  host: string;
  /** Default nomic-embed-text. */
  model?: string;
  /** Per request. Default 60 s (the first call may load the model). */
  timeoutMs?: number;
  /** Texts per /api/embed request. Default 32. */
  batchSize?: number;
  retryDelayMs?: number;
}

export const DEFAULT_OLLAMA_EMBED_MODEL = 'nomic-embed-text';

/**
 * Embedder over Ollama's /api/embed. nomic-embed models were trained with task prefixes, so documents get
 * "search_document: " and queries "search_query: "; other models get the text as is. Vectors are
 * L2-normalised here whatever the server returns.
 */
export class OllamaEmbedder implements Embedder {
  readonly id: string;
  private readonly host: string;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly retryDelayMs?: number;
  private dim: Promise<number> | undefined;

  constructor(opts: OllamaEmbedderOptions) {
    this.host = opts.host.replace(/\/+$/, '');
    this.model = opts.model ?? DEFAULT_OLLAMA_EMBED_MODEL;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.batchSize = opts.batchSize ?? 32;
    this.retryDelayMs = opts.retryDelayMs;
    this.id = `ollama:${this.model}`;
  }

  /** Embeds a probe once and remembers its length. */
  dimension(): Promise<number> {
    this.dim ??= this.embed(['dimension probe']).then((v) => v[0].length);
    this.dim.catch(() => (this.dim = undefined));
    return this.dim;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const prefix = this.isNomic() ? 'search_document: ' : '';
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      out.push(...(await this.embed(texts.slice(i, i + this.batchSize).map((t) => prefix + t))));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.embed([(this.isNomic() ? 'search_query: ' : '') + text]);
    return v;
  }

  private isNomic(): boolean {
    return /nomic-embed/i.test(this.model);
  }

  private async embed(input: string[]): Promise<Float32Array[]> {
    if (input.length === 0) return [];
    const res = await callWithPolicy(
      {
        timeoutMs: this.timeoutMs,
        retryDelayMs: this.retryDelayMs,
        onTimeout: () => timeoutError(this.id, this.timeoutMs, 'the embedding model may still be loading; retry or raise llmTimeoutMs'),
        mapError: (err) => ollamaError(err, { host: this.host, model: this.model }),
      },
      (signal) => ollamaClient(this.host, signal).embed({ model: this.model, input }),
    );
    if (!Array.isArray(res.embeddings) || res.embeddings.length !== input.length) {
      throw ollamaError(new Error(`expected ${input.length} embeddings, got ${res.embeddings?.length ?? 'none'}`), { host: this.host, model: this.model });
    }
    return res.embeddings.map(normalise);
  }
}

function normalise(v: number[]): Float32Array {
  const out = Float32Array.from(v);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}
