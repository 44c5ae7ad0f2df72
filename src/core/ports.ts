/**
 * The interfaces the core needs from the outside world. Providers implement them; tests fake them.
 * Each feature owns its section; keep sections small and documented.
 */

// ---- embeddings and vectors (index / ask) ----

/** Turns text into dense vectors. `id` names the model so an index built by another one is refused. */
export interface Embedder {
  /** Stable identity, e.g. "lsa-256", "transformers:Xenova/all-MiniLM-L6-v2", "ollama:nomic-embed-text". */
  readonly id: string;
  /** Vector length; known before the first call (read from the model's config where needed). */
  dimension(): Promise<number>;
  /** Embeds passages to be stored. Vectors are L2-normalised. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embeds a search query (some models want a different prefix for queries). Vector is L2-normalised. */
  embedQuery(text: string): Promise<Float32Array>;
}

/** Nearest-neighbour search over normalised vectors (cosine). Labels are dense section ids. */
export interface VectorStore {
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /** Up to k nearest labels with cosine similarity in [-1, 1]. */
  search(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
  size(): number;
  save(path: string): Promise<void>;
}

// ---- LLMs (ask, runbook authoring, diagnose) ----

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  messages: ChatMessage[];
  /** 0 for reproducible, grounded answers. */
  temperature?: number;
  maxTokens?: number;
  /** Aborts the request (Ctrl-C, timeout). */
  signal?: AbortSignal;
}

export interface LlmClient {
  /** e.g. "ollama:llama3.1" or "bedrock:amazon.nova-lite-v1:0". */
  readonly id: string;
  complete(req: LlmRequest): Promise<string>;
  /** Yields text deltas as they arrive. */
  stream(req: LlmRequest): AsyncIterable<string>;
}

// ---- AWS ----

/** A CloudWatch alarm as opsctl needs it to build a query or triage. */
export interface AlarmInfo {
  name: string;
  description?: string;
  metricName?: string;
  namespace?: string;
  dimensions: Array<{ name: string; value: string }>;
  state?: string;
  stateReason?: string;
  statistic?: string;
  threshold?: number;
  comparison?: string;
}

export interface AlarmSource {
  /** Throws OpsctlError('aws') with a hint when the alarm does not exist or AWS is unreachable. */
  describeAlarm(name: string): Promise<AlarmInfo>;
}

// ---- time and people ----

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Asks a human a yes/no question; resolves false unless they clearly said yes. */
export interface Confirm {
  ask(question: string): Promise<boolean>;
}
