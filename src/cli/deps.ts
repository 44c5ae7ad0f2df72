import type { Config } from '../config/schema.js';
import type { AlarmSource, Clock, EcsGateway, Embedder, IdentitySource } from '../core/ports.js';

/**
 * Provider factories. Real ones import their SDK lazily so `ask` stays fast when they are unused;
 * tests pass fakes or point real clients at loopback servers.
 */
export interface Deps {
  /** Dense embedder for a model-backed config (transformers, ollama). "lsa" is built into the core. */
  embedder(config: Config): Promise<Embedder>;
  alarms(config: Config): Promise<AlarmSource>;
  /** ECS for rollback and triage; region/profile fall back to the SDK's own resolution. */
  ecs(opts: { region?: string; profile?: string }): Promise<EcsGateway>;
  /** STS caller identity for the audit trail. */
  identity(opts: { region?: string; profile?: string }): Promise<IdentitySource>;
  clock: Clock;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      }, { once: true });
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
    async ecs(opts) {
      const { AwsEcsGateway } = await import('../providers/aws/ecs.js');
      return new AwsEcsGateway(opts);
    },
    async identity(opts) {
      const { AwsIdentitySource } = await import('../providers/aws/sts.js');
      return new AwsIdentitySource(opts);
    },
    clock: systemClock,
  };
}
