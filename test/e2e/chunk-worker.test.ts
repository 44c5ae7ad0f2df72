import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_RUNBOOKS, MINI_RUNBOOKS } from '../helpers/cli.js';

// The second parsing thread runs the built worker module (dist/): the chunks must be exactly those of one thread.
const DIST = resolve('dist/core/runbooks/chunk-all.js');

describe('chunkAll on two threads', () => {
  it('gives the same chunks, in the same order, as one thread', { timeout: 120_000 }, async () => {
    const { chunkAll } = (await import(DIST)) as typeof import('../../src/core/runbooks/chunk-all.js');
    const items = [BUNDLED_RUNBOOKS, MINI_RUNBOOKS].flatMap((d) =>
      readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => ({ file: f, text: readFileSync(join(d, f), 'utf8') })),
    );
    // Several batches for the worker, and more files than it can take alone.
    const many = [...items, ...items, ...items];
    let calls = 0;
    const one = await chunkAll(many, async () => void calls++, 'one');
    let here = 0;
    const two = await chunkAll(many, async () => void here++, 'two');
    expect(calls).toBe(many.length);
    // The worker took at least its first batch of 16: this thread parsed fewer.
    expect(here).toBeLessThanOrEqual(many.length - 16);
    expect(two).toEqual(one);
    expect(one.length).toBe(many.length);
  });
});
