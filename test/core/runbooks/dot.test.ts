import { describe, expect, it } from 'vitest';
import { dotAll } from '../../../src/core/runbooks/dot.js';

/** Deterministic pseudo-random floats in [-1, 1). */
function floats(count: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 30 - 1;
  });
}

function reference(rows: Float32Array, q: Float32Array): number[] {
  const n = rows.length / q.length;
  return Array.from({ length: n }, (_, r) => q.reduce((s, v, i) => s + v * rows[r * q.length + i], 0));
}

describe('dotAll (WebAssembly)', () => {
  it.each([
    [1, 1],
    [5, 7],
    [300, 192],
  ])('matches a plain dot product for %i rows of width %i', (n, dim) => {
    const rows = floats(n * dim, n + dim);
    const q = floats(dim, 7);
    const got = dotAll(rows, q);
    expect(got).toHaveLength(n);
    reference(rows, q).forEach((want, i) => expect(got[i]).toBeCloseTo(want, 4));
  });

  it('grows its memory for a larger matrix after a smaller one, and returns a copy', () => {
    const small = dotAll(floats(16, 1), floats(4, 2));
    const rows = floats(40_000 * 8, 3);
    const q = floats(8, 4);
    const big = dotAll(rows, q);
    expect(big).toHaveLength(40_000);
    expect(big[39_999]).toBeCloseTo(reference(rows.subarray(39_999 * 8), q)[0], 4);
    expect(small).toHaveLength(4);
    expect(small[0]).toBeCloseTo(reference(floats(16, 1), floats(4, 2))[0], 4);
  });

  it('returns nothing for no rows or an empty query', () => {
    expect(dotAll(new Float32Array(0), floats(4, 1))).toHaveLength(0);
    expect(dotAll(floats(8, 1), new Float32Array(0))).toHaveLength(0);
  });
});
