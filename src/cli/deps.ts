import type { Config } from '../config/schema.js';
import type { AlarmSource, Clock, EcsGateway, Embedder, IdentitySource, IncidentStore, LlmClient, LogSource, MetricSource, VectorStoreFactory } from '../core/ports.js';

/**
 * Provider factories. Real ones import their SDK lazily so `ask` stays fast when they are unused;
 * tests pass fakes or point real clients at loopback servers.
 */
export interface Deps {
  /** Dense embedder for a model-backed config (transformers, ollama). "lsa" is built into the core. */
  embedder(config: Config): Promise<Embedder>;
  alarms(config: Config): Promise<AlarmSource>;
  /** LLM client for config.llm ("ollama" or "bedrock"; callers decide what "none" means for them). */
  llm(config: Config): Promise<LlmClient>;
  /** ECS for rollback and triage; region/profile fall back to the SDK's own resolution. */
  ecs(opts: { region?: string; profile?: string }): Promise<EcsGateway>;
  /** STS caller identity for the audit trail. */
  identity(opts: { region?: string; profile?: string }): Promise<IdentitySource>;
  /** The HNSW vector store. */
  vectors(): Promise<VectorStoreFactory>;
  /** CloudWatch Logs (FilterLogEvents) for logs reduce and diagnose. */
  logs(opts: { region?: string }): Promise<LogSource>;
  /** CloudWatch metrics (GetMetricData) and alarm history for triage. */
  metrics(opts: { region?: string; profile?: string }): Promise<MetricSource>;
  /** Incident memory: PostgreSQL when `url` is set (never falling back to the file), else the SQLite file at `path`. */
  incidents(opts: { url?: string; path: string }): Promise<IncidentStore>;
  clock: Clock;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      // The listener goes when the sleep ends either way: a wait loop sleeps on one signal hundreds of times,
      // and listeners left behind pile up (MaxListenersExceededWarning after ~11 polls, and a leak).
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function defaultDeps(): Deps {
  return {
    async embedder(config) {
      if (config.embedder === 'transformers') {
        const { TransformersEmbedder } = await import('../providers/embed/transformers.js');
        return new TransformersEmbedder({ model: config.embedModel, modelDir: config.modelDir });
      }
      if (config.embedder === 'ollama') {
        const { OllamaEmbedder } = await import('../providers/embed/ollama.js');
        return new OllamaEmbedder({ host: config.ollamaHost, model: config.embedModel });
      }
      throw new Error(`no provider embedder for "${config.embedder}"`);
    },
    async alarms(config) {
      const { CloudWatchAlarmSource } = await import('../providers/aws/cloudwatch-alarms.js');
      return new CloudWatchAlarmSource({ region: config.region });
    },
    async llm(config) {
      if (config.llm === 'bedrock') {
        const { BedrockLlm } = await import('../providers/llm/bedrock.js');
        return new BedrockLlm({ model: config.model ?? 'amazon.nova-lite-v1:0', region: config.region, timeoutMs: config.llmTimeoutMs });
      }
      if (config.llm === 'ollama') {
        const { OllamaLlm } = await import('../providers/llm/ollama.js');
        return new OllamaLlm({ host: config.ollamaHost, model: config.model ?? 'llama3.1', timeoutMs: config.llmTimeoutMs });
      }
      throw new Error(`no LLM provider for "${config.llm}"`);
    },
    async vectors() {
      return (await import('../providers/vector/hnsw.js')).hnswFactory;
    },
    async logs(opts) {
      const { CloudWatchLogSource } = await import('../providers/aws/cloudwatch-logs.js');
      return new CloudWatchLogSource({ region: opts.region, clock: systemClock });
    },
    async ecs(opts) {
      const { AwsEcsGateway } = await import('../providers/aws/ecs.js');
      return new AwsEcsGateway(opts);
    },
    async identity(opts) {
      const { AwsIdentitySource } = await import('../providers/aws/sts.js');
      return new AwsIdentitySource(opts);
    },
    async metrics(opts) {
      const { CloudWatchMetricSource } = await import('../providers/aws/cloudwatch-metrics.js');
      return new CloudWatchMetricSource(opts);
    },
    async incidents(opts) {
      if (opts.url) return (await import('../providers/store/postgres.js')).PostgresIncidentStore.open(opts.url);
      return (await import('../providers/store/sqlite.js')).SqliteIncidentStore.open(opts.path);
    },
    clock: systemClock,
  };
}
