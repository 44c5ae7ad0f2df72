import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRunbook, planGenerate } from '../../../src/core/authoring/generate.js';
import type { Clock } from '../../../src/core/ports.js';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { BROKEN_BODY, GOOD_BODY } from './fixtures.js';

const ROOT = join(import.meta.dirname, '../../..');
const dirs = { templatesDir: join(ROOT, 'prompt-templates'), environmentsDir: join(ROOT, 'environments') };
const clock: Clock = { now: () => new Date('2025-03-01T10:00:00Z'), sleep: async () => {} };
const mode = (p: string) => statSync(p).mode & 0o777;

describe('saved prompts are private (they can hold log lines and environment details)', () => {
  it('the prompt and the repair prompt are 0600 in a 0700 .prompts folder, even under a permissive umask', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsctl-prompt-mode-'));
    const old = process.umask(0o022);
    try {
      const plan = planGenerate({ failureMode: 'database connection leak', dirs, outputDir: join(cwd, 'runbooks'), force: false, cwd, clock });
      const r = await generateRunbook(plan, { llm: new FakeLlm([BROKEN_BODY, GOOD_BODY]) });
      expect(mode(r.promptFile)).toBe(0o600);
      expect(mode(r.promptFile.replace('.prompt.txt', '.repair.prompt.txt'))).toBe(0o600);
      expect(mode(dirname(r.promptFile))).toBe(0o700);
      expect(mode(r.path)).toBe(0o644); // the runbook itself is meant to be shared
    } finally {
      process.umask(old);
    }
  });

  it('a .prompts folder left world-readable by an older version is tightened', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsctl-prompt-mode-'));
    mkdirSync(join(cwd, 'runbooks', '.prompts'), { recursive: true });
    chmodSync(join(cwd, 'runbooks', '.prompts'), 0o755);
    const plan = planGenerate({ failureMode: 'database connection leak', dirs, outputDir: join(cwd, 'runbooks'), force: false, cwd, clock });
    const r = await generateRunbook(plan, { llm: new FakeLlm([GOOD_BODY]) });
    expect(mode(dirname(r.promptFile))).toBe(0o700);
  });
});
