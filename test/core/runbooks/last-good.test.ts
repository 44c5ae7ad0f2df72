import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import type { VectorStore, VectorStoreFactory } from '../../../src/core/ports.js';
import { askRunbooks, type AskEvent } from '../../../src/core/runbooks/ask.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import type { StaleIndex } from '../../../src/core/runbooks/last-good.js';
import type { LockOwner } from '../../../src/core/runbooks/lock.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { MINI_RUNBOOKS, tempDirs } from '../../helpers/cli.js';

// When the index cannot be updated, ask (and diagnose and triage, which retrieve through it) answers from the last
// good index and says why once; the previous generation stays the live one.

const tmp = tempDirs('opsctl-lastgood-');
afterAll(() => tmp.cleanup());

const QUESTION = 'redis evictions memory pressure';
const noLock: LockOwner = { pid: 7, isAlive: () => false };

/** Vectors whose save fails with `code`, as a write on a full disk or a read-only file system does. */
function failingSave(code: string): VectorStoreFactory {
  return {
    ...hnswFactory,
    async create(d) {
      const store = await hnswFactory.create(d);
      return Object.assign(store, { save: async () => Promise.reject(Object.assign(new Error(`${code}: simulated, write`), { code })) });
    },
    async load(p, d) {
      const store = await hnswFactory.load(p, d);
      return Object.assign(store, { save: async () => Promise.reject(Object.assign(new Error(`${code}: simulated, write`), { code })) });
    },
  };
}

async function builtAndChanged(): Promise<{ root: string; indexDir: string }> {
  const dir = await tmp.withCopy(MINI_RUNBOOKS);
  const root = join(dir, 'runbooks');
  const indexDir = join(dir, '.opsctl');
  await updateIndex({ root, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: noLock, now: () => new Date('2026-12-01T10:00:00Z') });
  appendFileSync(join(root, 'redis-memory-eviction.md'), '\n## Also\n\nCheck the maxmemory-policy after a failover.\n');
  return { root, indexDir };
}

async function ask(opts: { root: string; indexDir: string; vectors: VectorStoreFactory; lock?: LockOwner; onStale?: (s: StaleIndex) => void }): Promise<{ events: AskEvent[]; stale: StaleIndex[] }> {
  const stale: StaleIndex[] = [];
  const events: AskEvent[] = [];
  for await (const ev of askRunbooks({ ...opts, question: QUESTION, topK: 3, minScore: 0.1, embedder: { kind: 'lsa' }, lock: opts.lock ?? noLock, now: () => new Date(), onStale: (s) => (stale.push(s), opts.onStale?.(s)) })) events.push(ev);
  return { events, stale };
}

const hitsOf = (events: AskEvent[]) => {
  const r = events.find((e) => e.type === 'retrieved');
  return r && r.type === 'retrieved' ? r.result.hits.map((h) => h.section.sources[0].file) : [];
};

describe('answering from the last good index', () => {
  it.each([
    ['ENOSPC', /the disk is full \(ENOSPC\)/, /free some disk space/],
    ['EROFS', /read-only \(EROFS\)/, /writable/],
    ['EDQUOT', /quota/, /free some disk space/],
  ])('a write failing with %s: answers from the previous index, warns once, keeps it live', async (code, reason, fix) => {
    const { root, indexDir } = await builtAndChanged();
    const gens = readdirSync(indexDir).filter((e) => e.startsWith('gen-'));
    const { events, stale } = await ask({ root, indexDir, vectors: failingSave(code) });
    expect(hitsOf(events)[0]).toBe('redis-memory-eviction.md');
    expect(events.some((e) => e.type === 'indexed')).toBe(false);
    expect(stale).toHaveLength(1);
    expect(stale[0].reason).toMatch(reason);
    expect(stale[0].fix).toMatch(fix);
    expect(stale[0].updatedAt).toBe('2026-12-01T10:00:00.000Z');
    // The half-written generation is gone, the old one still live, and no lock is left behind.
    expect(readdirSync(indexDir).filter((e) => e.startsWith('gen-'))).toEqual(gens);
    expect(readdirSync(indexDir)).not.toContain('lock');
  });

  it('new index files damaged on their way to the disk: never made live; answers from the previous index', async () => {
    const { root, indexDir } = await builtAndChanged();
    const before = readFileSync(join(indexDir, 'CURRENT'), 'utf8');
    // The vector file is written last: by then the other parts are on disk, and one of them gets damaged.
    const damageAfterSave = (store: VectorStore): VectorStore => {
      const save = store.save.bind(store);
      return Object.assign(store, {
        save: async (path: string) => {
          await save(path);
          const texts = join(path, '..', 'texts.bin');
          const b = readFileSync(texts);
          b[0] ^= 0x40;
          writeFileSync(texts, b);
        },
      });
    };
    const damaging: VectorStoreFactory = {
      ...hnswFactory,
      create: async (d) => damageAfterSave(await hnswFactory.create(d)),
      load: async (p, d) => damageAfterSave(await hnswFactory.load(p, d)),
    };
    const { events, stale } = await ask({ root, indexDir, vectors: damaging });
    expect(hitsOf(events)[0]).toBe('redis-memory-eviction.md');
    expect(stale.map((s) => s.reason)).toEqual([expect.stringMatching(/damaged \(texts\.bin fails its checksum\)/)]);
    expect(readFileSync(join(indexDir, 'CURRENT'), 'utf8')).toBe(before);
  });

  it('another index run holding the lock: answers, names the pid', async () => {
    const { root, indexDir } = await builtAndChanged();
    writeFileSync(join(indexDir, 'lock'), JSON.stringify({ pid: 4242, since: new Date().toISOString() }));
    const { events, stale } = await ask({ root, indexDir, vectors: hnswFactory, lock: { pid: 7, isAlive: (pid: number) => pid === 4242 } });
    expect(hitsOf(events)[0]).toBe('redis-memory-eviction.md');
    expect(stale.map((s) => s.reason)).toEqual([expect.stringMatching(/another opsctl \(pid 4242\) is updating the index/)]);
  });

  it('no index yet and the write fails: the write error itself (exit 5), not a stale answer', async () => {
    const dir = await tmp.withCopy(MINI_RUNBOOKS);
    const err = await ask({ root: join(dir, 'runbooks'), indexDir: join(dir, '.opsctl'), vectors: failingSave('ENOSPC') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).message).toMatch(/cannot write the index in .*: the disk is full \(ENOSPC\)/);
    expect((err as OpsctlError).exitCode).toBe(5);
  });

  it('a damaged last index: the damage is the error (exit 5, --rebuild), with no "answering from" warning', async () => {
    const { root, indexDir } = await builtAndChanged();
    const gen = join(indexDir, readFileSync(join(indexDir, 'CURRENT'), 'utf8').trim());
    const texts = readFileSync(join(gen, 'texts.bin'));
    texts[5] ^= 1;
    writeFileSync(join(gen, 'texts.bin'), texts);
    const stale: StaleIndex[] = [];
    const err = await ask({ root, indexDir, vectors: failingSave('ENOSPC'), onStale: (s) => stale.push(s) }).catch((e: unknown) => e);
    expect((err as OpsctlError).message).toMatch(/damaged \(texts\.bin fails its checksum\)/);
    expect((err as OpsctlError).hint).toMatch(/--rebuild/);
    expect(stale).toEqual([]);
  });

  it('an index of other runbooks is not used as a fallback', async () => {
    const { indexDir } = await builtAndChanged();
    const other = await tmp.withCopy(MINI_RUNBOOKS);
    const err = await ask({ root: join(other, 'runbooks'), indexDir, vectors: failingSave('ENOSPC') }).catch((e: unknown) => e);
    expect((err as OpsctlError).exitCode).toBe(5);
  });

  it('an interrupted update is not hidden behind a stale answer', async () => {
    const { root, indexDir } = await builtAndChanged();
    const ctl = new AbortController();
    ctl.abort();
    const stale: StaleIndex[] = [];
    const run = async () => {
      for await (const _ of askRunbooks({ root, indexDir, vectors: hnswFactory, question: QUESTION, topK: 3, minScore: 0.1, embedder: { kind: 'lsa' }, lock: noLock, now: () => new Date(), signal: ctl.signal, onStale: (s) => stale.push(s) }));
    };
    const err = await run().catch((e: unknown) => e);
    expect((err as OpsctlError).exitCode).toBe(130);
    expect(stale).toEqual([]);
  });
});
