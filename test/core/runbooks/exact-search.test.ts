import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorStoreFactory } from '../../../src/core/ports.js';
import { dotAll } from '../../../src/core/runbooks/dot.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import { EXACT_SEARCH_MAX, openIndex } from '../../../src/core/runbooks/open.js';
import { nearestLabels, searchIndex } from '../../../src/core/runbooks/search.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { BUNDLED_RUNBOOKS, tempDirs } from '../../helpers/cli.js';

const tmp = tempDirs('opsctl-exact-');
afterAll(() => tmp.cleanup());

const QUERIES = [
  'disk full on the root volume',
  'RDS CPU at 100 percent',
  'lambda function timing out',
  'rabbitmq messages piling up in the queue',
  'pods OOMKilled on a node',
  'load balancer health checks failing',
  'API gateway returns 502',
];

/** The factory, counting which of its methods ran. */
function spied(): { factory: VectorStoreFactory; calls: string[] } {
  const calls: string[] = [];
  const factory: VectorStoreFactory = {
    create: (d) => (calls.push('create'), hnswFactory.create(d)),
    load: (p, d) => (calls.push('load'), hnswFactory.load(p, d)),
    verify: (p, d) => (calls.push('verify'), hnswFactory.verify(p, d)),
  };
  return { factory, calls };
}

let indexDir: string;
beforeAll(async () => {
  const dir = await tmp.withCopy(BUNDLED_RUNBOOKS);
  indexDir = join(dir, '.opsctl');
  const lock = { pid: 4242, isAlive: () => false };
  await updateIndex({ root: join(dir, 'runbooks'), indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock, now: () => new Date() });
});

describe('exact dense search for a small index', () => {
  it('opens a small index without loading the HNSW file (only its header is checked); above the limit it loads it', async () => {
    const exact = spied();
    const small = await openIndex(indexDir, exact.factory);
    expect(small.data.manifest.counts.sections).toBeLessThanOrEqual(EXACT_SEARCH_MAX);
    expect(small.vectors).toBeUndefined();
    expect(exact.calls).toEqual(['verify']);
    const hnsw = spied();
    const large = await openIndex(indexDir, hnsw.factory, undefined, { exactSearchMax: 0 });
    expect(large.vectors).toBeDefined();
    expect(hnsw.calls).toEqual(['load']);
  });

  it('finds the same nearest sections, in the same order, as HNSW', async () => {
    const index = await openIndex(indexDir, hnswFactory, undefined, { exactSearchMax: 0 });
    const { sections, sectionVectors } = index.data;
    for (const q of QUERIES) {
      const qv = await index.embedder.embedQuery(q);
      const exact = nearestLabels(dotAll(sectionVectors, qv), sections, 10);
      const approx = index.vectors!.search(qv, 10);
      expect(exact.map((d) => d.label), q).toEqual(approx.map((d) => d.label));
      exact.forEach((d, i) => expect(d.similarity).toBeCloseTo(approx[i].similarity, 4));
    }
  });

  it('ranks the same sections with the same scores as the HNSW path', async () => {
    const exact = await openIndex(indexDir, hnswFactory);
    const hnsw = await openIndex(indexDir, hnswFactory, undefined, { exactSearchMax: 0 });
    for (const q of QUERIES) {
      const a = await searchIndex(exact, q, { topK: 8, minScore: 0 });
      const b = await searchIndex(hnsw, q, { topK: 8, minScore: 0 });
      expect(a.hits.length).toBeGreaterThan(0);
      expect(a.hits.map((h) => h.section.label), q).toEqual(b.hits.map((h) => h.section.label));
      a.hits.forEach((h, i) => expect(h.score).toBeCloseTo(b.hits[i].score, 4));
    }
  });

  it('skips removed sections and returns at most the live ones', () => {
    const sims = Float32Array.of(0.9, 0.8, 0.7, 0.95);
    const sections = [{}, null, {}, null] as Parameters<typeof nearestLabels>[1];
    expect(nearestLabels(sims, sections, 10)).toEqual([{ label: 0, similarity: sims[0] }, { label: 2, similarity: sims[2] }]);
    expect(nearestLabels(sims, sections, 1).map((d) => d.label)).toEqual([0]);
    expect(nearestLabels(sims, [null, null, null, null], 5)).toEqual([]);
  });
});
