import { describe, expect, it } from 'vitest';
import { guardLlmDeps, remoteBackend } from '../../../src/cli/guard-llm.js';
import { DEFAULTS, type Config } from '../../../src/config/schema.js';
import { defaultDeps } from '../../../src/cli/deps.js';
import type { LlmClient, LlmRequest } from '../../../src/core/ports.js';

function recording(): LlmClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    id: 'rec',
    sent,
    complete: async (req: LlmRequest) => (sent.push(req.messages.map((m) => m.content).join('\n')), 'ok'),
    async *stream(req: LlmRequest) {
      sent.push(req.messages.map((m) => m.content).join('\n'));
      yield 'ok';
    },
  };
}

function guarded(config: Partial<Config>) {
  const inner = recording();
  const deps = guardLlmDeps({ ...defaultDeps(), llm: async () => inner });
  return { inner, llm: () => deps.llm({ ...DEFAULTS, ...config }) };
}

describe('guardLlmDeps: the one place LLM clients come from', () => {
  it.each([
    ['bedrock', { llm: 'bedrock' as const }, 'Bedrock'],
    ['ollama on another host', { llm: 'ollama' as const, ollamaHost: 'http://gpu-box:11434' }, 'Ollama at http://gpu-box:11434'],
    ['ollama at remote\\@localhost', { llm: 'ollama' as const, ollamaHost: 'http://remote\\@localhost:11434' }, 'Ollama at http://remote\\@localhost:11434'],
    ['ollama on loopback', { llm: 'ollama' as const, ollamaHost: 'http://127.0.0.1:11434' }, undefined],
  ])('%s → remote: %s', (_n, config, want) => expect(remoteBackend({ ...DEFAULTS, ...config })).toBe(want));

  it('masks secrets for a remote backend, whatever command asked for the client', async () => {
    const g = guarded({ llm: 'ollama', ollamaHost: 'http://remote\\@localhost:11434' });
    const llm = await g.llm();
    expect(llm.redaction).toBeDefined();
    await llm.complete({ messages: [{ role: 'user', content: '"db_password" => "hunter2"' }] });
    expect(g.inner.sent).toEqual(['"db_password" => "[REDACTED:password]"']);
  });

  it('leaves a loopback backend alone (nothing leaves the machine)', async () => {
    const g = guarded({ llm: 'ollama', ollamaHost: 'http://localhost:11434' });
    const llm = await g.llm();
    await llm.complete({ messages: [{ role: 'user', content: 'password=hunter2' }] });
    expect(g.inner.sent).toEqual(['password=hunter2']);
  });

  it('with redact: false (user config, env or flag only; the loader warns) sends as is', async () => {
    const g = guarded({ llm: 'bedrock', redact: false });
    const llm = await g.llm();
    expect(llm.redaction).toBeUndefined();
  });
});
