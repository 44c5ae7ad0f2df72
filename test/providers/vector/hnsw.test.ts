import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { tempDirs } from '../../helpers/cli.js';

const DIM = 8;
const tmp = tempDirs('opsctl-hnsw-');
afterAll(() => tmp.cleanup());

/** Deterministic, well-spread unit vectors. */
function vec(i: number, dim = DIM): Float32Array {
  const v = Float32Array.from({ length: dim }, (_, j) => Math.sin((i + 1) * (j + 1.7)));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

async function filled(count = 100) {
  const store = await hnswFactory.create(DIM);
  for (let i = 0; i < count; i++) store.add(i, vec(i));
  return store;
}

describe('HNSW vector store', () => {
  it('finds a stored vector as its own nearest neighbour, with cosine similarity ~1', async () => {
    const store = await filled();
    expect(store.size()).toBe(100); // grew past the initial capacity of 64
    const [top] = store.search(vec(42), 5);
    expect(top.label).toBe(42);
    expect(top.similarity).toBeCloseTo(1, 4);
  });

  it('returns the stored vector of a label, and undefined for an unknown one', async () => {
    const store = await filled(10);
    const got = store.get(3)!;
    expect(Array.from(got).map((x) => x.toFixed(5))).toEqual(Array.from(vec(3)).map((x) => x.toFixed(5)));
    expect(store.get(999)).toBeUndefined();
  });

  it('does not return removed labels, and ignores removing an unknown one', async () => {
    const store = await filled(20);
    store.remove(7);
    store.remove(12345);
    const labels = store.search(vec(7), 20).map((r) => r.label);
    expect(labels).not.toContain(7);
    expect(labels.length).toBeGreaterThan(0);
  });

  it('asks for fewer neighbours than stored without failing, and nothing from an empty store', async () => {
    expect((await filled(3)).search(vec(1), 50)).toHaveLength(3);
    expect((await hnswFactory.create(DIM)).search(vec(1), 5)).toEqual([]);
  });

  it('saves and loads with the stored dimension: same neighbours, tombstones kept', async () => {
    const store = await filled(50);
    store.remove(5);
    const path = join(await tmp.make(), 'vectors.hnsw');
    await store.save(path);
    const loaded = await hnswFactory.load(path, DIM);
    for (const q of [1, 5, 30]) expect(loaded.search(vec(q), 5)).toEqual(store.search(vec(q), 5));
    expect(loaded.search(vec(5), 50).map((r) => r.label)).not.toContain(5);
    loaded.add(50, vec(50));
    expect(loaded.search(vec(50), 1)[0].label).toBe(50);
  });

  it('refuses a file of another dimension instead of returning nonsense', async () => {
    const path = join(await tmp.make(), 'vectors.hnsw');
    await (await filled(10)).save(path);
    await expect(hnswFactory.load(path, DIM * 2)).rejects.toThrow(`dimension ${DIM}, expected ${DIM * 2}`);
  });

  it('throws on a truncated or missing file', async () => {
    const dir = await tmp.make();
    const path = join(dir, 'vectors.hnsw');
    await (await filled(30)).save(path);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(hnswFactory.load(path, DIM)).rejects.toThrow();
    await writeFile(path, bytes.subarray(0, 20));
    await expect(hnswFactory.load(path, DIM)).rejects.toThrow();
    await expect(hnswFactory.load(join(dir, 'missing.hnsw'), DIM)).rejects.toThrow();
  });

  it('verify accepts a saved file and rejects a truncated, garbage, missing or wrongly sized one without loading it', async () => {
    const dir = await tmp.make();
    const path = join(dir, 'vectors.hnsw');
    const store = await filled(30);
    store.remove(3);
    await store.save(path);
    await expect(hnswFactory.verify(path, DIM)).resolves.toBeUndefined();
    await expect(hnswFactory.verify(path, DIM * 2)).rejects.toThrow(`dimension ${DIM}, expected ${DIM * 2}`);
    const bytes = await readFile(path);
    // One byte missing or extra anywhere is noticed: the link lists after the vectors give the exact length.
    await writeFile(path, bytes.subarray(0, bytes.length - 1));
    await expect(hnswFactory.verify(path, DIM)).rejects.toThrow('truncated');
    await writeFile(path, Buffer.concat([bytes, Buffer.alloc(1)]));
    await expect(hnswFactory.verify(path, DIM)).rejects.toThrow('longer than its header says');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(hnswFactory.verify(path, DIM)).rejects.toThrow('truncated');
    await writeFile(path, 'garbage');
    await expect(hnswFactory.verify(path, DIM)).rejects.toThrow('truncated');
    await expect(hnswFactory.verify(join(dir, 'missing.hnsw'), DIM)).rejects.toThrow();
  });
});
