import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultDeps, type Deps } from '../../src/cli/deps.js';
import type { LlmRequest } from '../../src/core/ports.js';
import { FakeLlm } from '../../src/providers/llm/fake.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const dirs = tempDirs('opsctl-incident-llm-');
let cwd = '';
beforeAll(async () => {
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
}, 60_000);
afterAll(() => dirs.cleanup());

/** A sentence lifted from section [1] of the prompt, cited: grounded by construction. */
function grounded(req: LlmRequest): string {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const section = /<section n="1"[^>]*>\n([\s\S]*?)\n<\/section>/.exec(user)?.[1] ?? '';
  const words = section.replace(/[#`*|>-]/g, ' ').split(/\s+/).filter((w) => /^[a-z]{4,}$/i.test(w)).slice(0, 14);
  return `${words.join(' ')} [1].`;
}

const withLlm = (script: (req: LlmRequest) => string): Deps => ({ ...defaultDeps(), llm: async () => new FakeLlm(script) });
const report = (deps: Deps, service: string) =>
  runOpsctl(['incident', 'report', '--service', service, '--log', 'ERROR java.lang.OutOfMemoryError: Java heap space', '--llm', 'ollama', '--json'], { cwd, env: { XDG_STATE_HOME: join(cwd, 'state') }, deps });

describe('incident report --llm', () => {
  it('a new incident keeps a grounded recommendation with its runbook sections', async () => {
    const r = await report(withLlm(grounded), 'orders');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('new');
    expect(j.incident.runbooks.length).toBeGreaterThan(0);
    expect(j.incident.recommendation).toMatch(/\[1\]\.$/);
  });

  it('an ungrounded recommendation is dropped with a note; the incident is still opened', async () => {
    const r = await report(withLlm(() => 'Run rm -rf /var/lib/postgresql and restart everything.'), 'billing');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('new');
    expect(j.incident.recommendation).toBeNull();
    expect(r.stderr).toMatch(/recommendation dropped: it is not grounded/);
  });
});
