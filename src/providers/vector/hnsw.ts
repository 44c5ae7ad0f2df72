import { open, type FileHandle } from 'node:fs/promises';
import type { HierarchicalNSW } from 'hnswlib-node';
import type { VectorStore, VectorStoreFactory } from '../../core/ports.js';

type Hnsw = HierarchicalNSW;

// The native addon costs a cold `ask` 15-20 ms to load, and a small index is searched exactly without it:
// it loads on the first create or load, not when this module is imported.
let addon: Promise<typeof HierarchicalNSW> | undefined;
const hnswClass = () => (addon ??= import('hnswlib-node').then((m) => m.default.HierarchicalNSW));

const M = 16;
// Runbook corpora are small (thousands of sections): 100 keeps recall near exact at half the build time of 200.
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 100;

/** hnswlib-node behind the VectorStore port: cosine space, deletes are tombstones, capacity grows on demand. */
class HnswStore implements VectorStore {
  constructor(private readonly index: Hnsw) {
    index.setEf(EF_SEARCH);
  }

  add(label: number, vector: Float32Array): void {
    const capacity = this.index.getMaxElements();
    if (this.index.getCurrentCount() >= capacity) this.index.resizeIndex(Math.max(64, capacity * 2));
    // hnswlib-node wants plain arrays.
    this.index.addPoint(Array.from(vector), label);
  }

  remove(label: number): void {
    try {
      this.index.markDelete(label);
    } catch {
      // Unknown label: nothing to remove.
    }
  }

  search(vector: Float32Array, k: number): Array<{ label: number; similarity: number }> {
    const query = Array.from(vector);
    // With tombstones, fewer than k live points may exist and hnswlib throws: ask for fewer.
    for (let n = Math.min(k, this.size()); n > 0; n = Math.floor(n / 2)) {
      try {
        const res = this.index.searchKnn(query, n);
        return res.neighbors.map((label, i) => ({ label, similarity: 1 - res.distances[i] }));
      } catch {
        // retry smaller
      }
    }
    return [];
  }

  get(label: number): Float32Array | undefined {
    try {
      return Float32Array.from(this.index.getPoint(label));
    } catch {
      return undefined;
    }
  }

  /** Points stored, tombstones included (hnswlib does not count deletions). */
  size(): number {
    return this.index.getCurrentCount();
  }

  async save(path: string): Promise<void> {
    await this.index.writeIndex(path);
  }
}

export const hnswFactory: VectorStoreFactory = {
  async create(dimension) {
    const index = new (await hnswClass())('cosine', dimension);
    index.initIndex({ maxElements: 64, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 42 });
    return new HnswStore(index);
  },
  async load(path, dimension) {
    // hnswlib reads a file of another dimension without complaint and then returns nonsense neighbours.
    const fh = await open(path, 'r');
    let stored: number | undefined;
    try {
      stored = (await readHeader(fh))?.dimension;
    } finally {
      await fh.close();
    }
    if (stored !== undefined && stored !== dimension) throw new Error(`vector file has dimension ${stored}, expected ${dimension}`);
    const index = new (await hnswClass())('cosine', dimension);
    await index.readIndex(path);
    return new HnswStore(index);
  },
  async verify(path, dimension) {
    const fh = await open(path, 'r');
    try {
      const header = await readHeader(fh);
      if (!header) throw new Error('vector file is truncated (no header)');
      if (header.dimension !== dimension) throw new Error(`vector file has dimension ${header.dimension ?? 'unknown'}, expected ${dimension}`);
      // Level 0 (every point's links, vector and label) follows the header, then per point a 4-byte size and its
      // upper-level links: walking those sizes (a few KB) gives the exact file length without reading the vectors.
      const level0End = HEADER_BYTES + header.count * header.bytesPerElement;
      const size = (await fh.stat()).size;
      if (size < level0End + header.count * 4) throw new Error('vector file is truncated');
      const tail = Buffer.alloc(size - level0End);
      await fh.read(tail, 0, tail.length, level0End);
      const sizes = new DataView(tail.buffer, tail.byteOffset, tail.length);
      let at = 0;
      for (let i = 0; i < header.count; i++) {
        if (at + 4 > tail.length) throw new Error('vector file is truncated');
        at += 4 + sizes.getUint32(at, true);
      }
      if (at !== tail.length) throw new Error(`vector file is ${at > tail.length ? 'truncated' : 'longer than its header says'}`);
    } finally {
      await fh.close();
    }
  },
};

/** hnswlib's saveIndex header: six size_t, two 32-bit ints, three size_t, a double and a size_t. */
const HEADER_BYTES = 96;

interface Header {
  count: number;
  bytesPerElement: number;
  /** Undefined when the recorded offsets make no sense. */
  dimension: number | undefined;
}

/**
 * The sizes recorded in an hnswlib file header (six little-endian size_t fields first: level-0 offset, max elements,
 * count, bytes per element, label offset, data offset; the float data sits between the last two).
 * Undefined when the file is too short to hold a header: hnswlib's own reader then reports the damage.
 */
async function readHeader(fh: FileHandle): Promise<Header | undefined> {
  const header = Buffer.alloc(HEADER_BYTES);
  const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
  if (bytesRead < HEADER_BYTES) return undefined;
  const size = (at: number) => Number(header.readBigUInt64LE(at));
  const bytes = size(32) - size(40);
  return { count: size(16), bytesPerElement: size(24), dimension: bytes > 0 && bytes % 4 === 0 ? bytes / 4 : undefined };
}
