import { describe, expect, it } from 'vitest';
import { windowVector } from '../../../src/core/logs/density.js';
import { Heap } from '../../../src/core/logs/heap.js';
import { LruQueue } from '../../../src/core/logs/lru-queue.js';
import { RankHeap } from '../../../src/core/logs/rank-heap.js';

describe('Heap', () => {
  it('pops in comparator order, ties broken by the comparator, through interleaved pushes and pops', () => {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const before = (a: { k: number; n: number }, b: { k: number; n: number }) => a.k > b.k || (a.k === b.k && a.n < b.n);
    const heap = new Heap(before);
    const shadow: { k: number; n: number }[] = [];
    const popped: { k: number; n: number }[] = [];
    const expected: { k: number; n: number }[] = [];
    for (let i = 0; i < 3000; i++) {
      if (rnd() < 0.6 || shadow.length === 0) {
        const item = { k: Math.floor(rnd() * 20), n: i };
        heap.push(item);
        shadow.push(item);
      } else {
        shadow.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
        expected.push(shadow.shift() as { k: number; n: number });
        popped.push(heap.pop() as { k: number; n: number });
      }
    }
    expect(popped).toEqual(expected);
    expect(heap.size).toBe(shadow.length);
  });
});

describe('RankHeap', () => {
  it('pops in the order of Heap ranking by key, then by lower n, with equal entries kept apart', () => {
    let seed = 5;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const ref = new Heap<{ k: number; n: number; id: number }>((a, b) => a.k > b.k || (a.k === b.k && a.n < b.n));
    const rank = new RankHeap<{ k: number; n: number; id: number }>();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 5000; i++) {
      if (rnd() < 0.55 || rank.size === 0) {
        const item = { k: Math.floor(rnd() * 8) / 8, n: Math.floor(rnd() * 50), id: i };
        ref.push(item);
        rank.push(item.k, item.n, item);
      } else {
        a.push((ref.pop() as { id: number }).id);
        b.push(rank.pop().id);
      }
    }
    while (rank.size > 0) {
      a.push((ref.pop() as { id: number }).id);
      b.push(rank.pop().id);
    }
    expect(b).toEqual(a);
    expect(ref.size).toBe(0);
  });
});

describe('LruQueue', () => {
  it('returns items oldest first, skips entries of items queued again, and keeps order across compaction', () => {
    const q = new LruQueue<{ id: number; seq: number }>();
    const items = Array.from({ length: 3000 }, (_, id) => ({ id, seq: 0 }));
    let seq = 0;
    for (const it of items) q.push(it, (it.seq = ++seq));
    // Re-queue every third item (it becomes the newest), many times over to force compaction.
    for (let round = 0; round < 3; round++) for (const it of items) if (it.id % 3 === 0) q.push(it, (it.seq = ++seq));
    const order: number[] = [];
    for (let it = q.shift(); it; it = q.shift()) order.push(it.id);
    const others = items.filter((it) => it.id % 3 !== 0).map((it) => it.id);
    const moved = items.filter((it) => it.id % 3 === 0).map((it) => it.id);
    expect(order).toEqual([...others, ...moved]);
  });
});

describe('windowVector', () => {
  it('fills a given vector exactly as it builds a new one (stale values cleared)', () => {
    const ids = [3, 3, 7, 1, 9, 9, 9, 2];
    const out = new Float32Array(32).fill(5);
    expect(Array.from(windowVector(ids, 8, out))).toEqual(Array.from(windowVector(ids, 8)));
    const norm = Array.from(out).reduce((s, x) => s + x * x, 0);
    expect(norm).toBeCloseTo(1, 5);
  });
});
