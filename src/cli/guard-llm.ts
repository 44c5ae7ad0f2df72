import type { Config } from '../config/schema.js';
import type { LlmClient } from '../core/ports.js';
import { isLoopbackUrl, redactingLlm } from '../core/safety/redact.js';
import type { Deps } from './deps.js';

/** Where a backend sends text: Bedrock always leaves the machine; Ollama only when its host is not loopback. */
export function remoteBackend(config: Pick<Config, 'llm' | 'ollamaHost'>): string | undefined {
  if (config.llm === 'bedrock') return 'Bedrock';
  return isLoopbackUrl(config.ollamaHost) ? undefined : `Ollama at ${config.ollamaHost}`;
}

/**
 * The one place LLM clients come from: every command gets its client through `deps.llm`, and createProgram wraps
 * that factory here, so a client for a backend off this machine always masks secrets first (fakes and test
 * providers included).
 */
export function guardLlmDeps(deps: Deps): Deps {
  return {
    ...deps,
    async llm(config: Config): Promise<LlmClient> {
      const inner = await deps.llm(config);
      const remote = remoteBackend(config);
      if (!remote) return inner;
      // redact: false comes only from the user's own config, the environment or a flag, and the config loader
      // says so on stderr at every run (src/config/load.ts).
      return config.redact ? redactingLlm(inner) : inner;
    },
  };
}
