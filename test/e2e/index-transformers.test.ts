import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

// The committed tiny BERT-like model (scripts/make-tiny-model.mjs): real ONNX through transformers.js, 32-d, offline.
const MODEL_ENV = { OPSCTL_MODEL_DIR: resolve('test/fixtures/tiny-model'), OPSCTL_EMBED_MODEL: 'Xenova/tiny-minilm' };
const tmp = tempDirs('opsctl-tf-');
let cwd = '';
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  cwd = await tmp.withCopy(MINI_RUNBOOKS);
});

describe('index and ask with the transformers embedder', () => {
  it('indexes through the real model and records it in the manifest', async () => {
    const r = await runOpsctl(['index', '--embedder', 'transformers', '--json'], { cwd, env: MODEL_ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ embedder: 'transformers:Xenova/tiny-minilm', files: 6 });
    expect(j.embedded).toBe(j.sections);
    const gen = readFileSync(join(cwd, '.opsctl', 'CURRENT'), 'utf8').trim();
    const manifest = JSON.parse(readFileSync(join(cwd, '.opsctl', gen, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ embedder: 'transformers:Xenova/tiny-minilm', dimension: 32 });
  });

  it('asks with the same model (OPSCTL_EMBEDDER) and gets cited hits', async () => {
    const r = await runOpsctl(['ask', 'kafka consumer group lag', '--json'], { cwd, env: { ...MODEL_ENV, OPSCTL_EMBEDDER: 'transformers' } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.index).toMatchObject({ embedder: 'transformers:Xenova/tiny-minilm', updated: false });
    expect(j.hits.length).toBeGreaterThan(0);
    expect(j.hits[0].file).toBe('runbooks/kafka-consumer-lag.md');
    expect(j.hits[0].why.dense).not.toBe(0);
  });

  it('refuses the model-built index to the default lsa embedder, with the --rebuild hint', async () => {
    const r = await runOpsctl(['ask', 'kafka consumer group lag'], { cwd, env: MODEL_ENV });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^opsctl: the index in .*\.opsctl was built with embedder transformers:Xenova\/tiny-minilm, not lsa\n {2}hint: .*opsctl index --rebuild\n$/);
    const idx = await runOpsctl(['index'], { cwd, env: MODEL_ENV });
    expect(idx.code).toBe(5);
    expect(idx.stderr).toContain('--rebuild');
  });
});
