import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { updateIndex, type IndexOptions } from '../../../src/core/runbooks/indexer.js';
import type { VectorStoreFactory } from '../../../src/core/ports.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { tempDirs } from '../../helpers/cli.js';
import { generateRunbooks } from '../../helpers/runbooks.js';

const tmp = tempDirs('opsctl-intr-');
afterAll(() => tmp.cleanup());

describe('interrupting the indexer', () => {
  it('notices Ctrl-C while reading files, before any vectors are computed or written', async () => {
    const dir = await tmp.make();
    generateRunbooks(join(dir, 'runbooks'), 200);
    const calls: string[] = [];
    const vectors: VectorStoreFactory = {
      create: (d) => (calls.push('create'), hnswFactory.create(d)),
      load: (p, d) => (calls.push('load'), hnswFactory.load(p, d)),
      verify: (p, d) => (calls.push('verify'), hnswFactory.verify(p, d)),
    };
    const ctl = new AbortController();
    const opts: IndexOptions = {
      root: join(dir, 'runbooks'),
      indexDir: join(dir, '.opsctl'),
      embedder: { kind: 'lsa' },
      vectors,
      lock: { pid: 4242, isAlive: () => false },
      now: () => new Date(),
      signal: ctl.signal,
    };
    // A signal handler runs as a macrotask, like this timer: it fires only when the indexer lets the event loop in.
    setTimeout(() => ctl.abort(new Error('interrupted')), 0);
    const err = await updateIndex(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).exitCode).toBe(130);
    expect(calls).toEqual([]);
    expect(readdirSync(opts.indexDir)).toEqual([]); // no generation, no lock left behind
  });

  it('still finishes when nobody interrupts', async () => {
    const dir = await tmp.make();
    generateRunbooks(join(dir, 'runbooks'), 40);
    const r = await updateIndex({
      root: join(dir, 'runbooks'), indexDir: join(dir, '.opsctl'), embedder: { kind: 'lsa' }, vectors: hnswFactory,
      lock: { pid: 4242, isAlive: () => false }, now: () => new Date(), signal: new AbortController().signal,
    });
    expect(r.files).toBe(40);
    expect(readFileSync(join(dir, '.opsctl', 'CURRENT'), 'utf8')).toMatch(/^gen-/);
  });
});
