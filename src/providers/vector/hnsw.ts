import { open } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import type { VectorStore, VectorStoreFactory } from '../../core/ports.js';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

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
  create(dimension) {
    const index = new HierarchicalNSW('cosine', dimension);
    index.initIndex({ maxElements: 64, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 42 });
    return new HnswStore(index);
  },
  async load(path, dimension) {
    // hnswlib reads a file of another dimension without complaint and then returns nonsense neighbours.
    const stored = await storedDimension(path);
    if (stored !== undefined && stored !== dimension) throw new Error(`vector file has dimension ${stored}, expected ${dimension}`);
    const index = new HierarchicalNSW('cosine', dimension);
    await index.readIndex(path);
    return new HnswStore(index);
  },
};

/**
 * The vector width recorded in an hnswlib file header (six little-endian size_t fields: level-0 offset, max elements,
 * count, bytes per element, label offset, data offset; the float data sits between the last two).
 * Undefined when the header is too short to tell: hnswlib's own reader then reports the damage.
 */
async function storedDimension(path: string): Promise<number | undefined> {
  const fh = await open(path, 'r');
  try {
    const header = Buffer.alloc(48);
    const { bytesRead } = await fh.read(header, 0, 48, 0);
    if (bytesRead < 48) return undefined;
    const bytes = Number(header.readBigUInt64LE(32) - header.readBigUInt64LE(40));
    return bytes > 0 && bytes % 4 === 0 ? bytes / 4 : undefined;
  } finally {
    await fh.close();
  }
}
