import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import { openIndex } from '../../../src/core/runbooks/open.js';
import { searchIndex } from '../../../src/core/runbooks/search.js';
import { currentGeneration } from '../../../src/core/runbooks/store.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { MINI_RUNBOOKS, tempDirs } from '../../helpers/cli.js';

// Random byte damage in every part of one built index: each case either fails with the index error (exit 5, the
// --rebuild hint) or, where the damaged part is not read at all, gives exactly the undamaged answer. Never another
// answer, never a crash. One index is built once; each case damages one file and puts it back.

const tmp = tempDirs('opsctl-fuzz-');
afterAll(() => tmp.cleanup());

const QUESTIONS = ['redis evictions memory pressure', 'TLS certificate expires soon', 'kafka consumer lag growing'];
type Answer = Array<{ file: string; lines: string; relevance: number; text: string }>;

let indexDir: string;
let gen: string;
let parts: string[];
const pristine = new Map<string, Buffer>();
const expected: Answer[] = [];

async function answers(exactSearchMax?: number): Promise<Answer[]> {
  const index = await openIndex(indexDir, hnswFactory, undefined, { exactSearchMax });
  const out: Answer[] = [];
  for (const q of QUESTIONS) {
    const r = await searchIndex(index, q, { topK: 3, minScore: 0 });
    out.push(r.hits.map((h) => ({ file: h.section.sources[0].file, lines: `${h.section.sources[0].startLine}-${h.section.sources[0].endLine}`, relevance: h.relevance, text: h.section.text })));
  }
  return out;
}

beforeAll(async () => {
  const dir = await tmp.withCopy(MINI_RUNBOOKS);
  indexDir = join(dir, '.opsctl');
  await updateIndex({ root: join(dir, 'runbooks'), indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: { pid: 1, isAlive: () => false }, now: () => new Date() });
  gen = currentGeneration(indexDir)!;
  parts = readdirSync(gen).sort();
  for (const p of parts) pristine.set(p, readFileSync(join(gen, p)));
  expected.push(...(await answers()));
});

type Damage = { kind: 'flip'; at: number[]; xor: number[] } | { kind: 'truncate'; keep: number } | { kind: 'append'; bytes: number[] } | { kind: 'swap'; a: number; b: number };

const damage = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), xor: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 4, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0, max: 0.999, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }) },
) as fc.Arbitrary<Damage>;

/** The damaged bytes, or undefined when this damage would leave them unchanged (swapping equal bytes). */
function damaged(orig: Buffer, d: Damage): Buffer | undefined {
  const b = Buffer.from(orig);
  if (d.kind === 'flip') {
    if (!b.length) return undefined;
    // Distinct positions, so two flips never cancel out.
    [...new Set(d.at.map((i) => i % b.length))].forEach((i, k) => (b[i] ^= d.xor[k]));
    return b;
  }
  if (d.kind === 'truncate') return b.subarray(0, Math.floor(d.keep * b.length));
  if (d.kind === 'append') return Buffer.concat([b, Buffer.from(d.bytes)]);
  const i = d.a % b.length;
  const j = d.b % b.length;
  if (b[i] === b[j]) return undefined;
  [b[i], b[j]] = [b[j], b[i]];
  return b;
}

let cases = 0;
let refused = 0;

describe('index damage fuzz', () => {
  it('1,100 random damages over every part: exit 5 with the --rebuild hint, or the undamaged answer; never another', { timeout: 600_000 }, async () => {
    expect(parts).toEqual(expect.arrayContaining(['manifest.json', 'sections.json', 'texts.bin', 'lexical.json', 'lexical.bin', 'lsa.json', 'lsa.bin', 'files.json', 'files.bin', 'sections.bin', 'vectors.hnsw']));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...parts), damage, fc.boolean(), async (part, d, viaHnsw) => {
        const orig = pristine.get(part)!;
        const bad = damaged(orig, d);
        if (!bad) return;
        cases++;
        writeFileSync(join(gen, part), bad);
        try {
          const got = await answers(viaHnsw ? 0 : undefined);
          // Only a part that this way of searching never reads may be damaged unnoticed: the vector file, which
          // exact search checks for structure only (it searches the section vectors of sections.bin).
          expect(part === 'vectors.hnsw' && !viaHnsw, `damaged ${part} was not noticed`).toBe(true);
          expect(got).toEqual(expected);
        } catch (e) {
          if (!(e instanceof OpsctlError)) throw e;
          expect(e.exitCode).toBe(5);
          expect(e.hint).toMatch(/--rebuild/);
          refused++;
        } finally {
          writeFileSync(join(gen, part), orig);
        }
      }),
      { numRuns: 1100, seed: 1717 },
    );
    expect(cases).toBeGreaterThanOrEqual(1000);
    expect(refused).toBeGreaterThan(cases * 0.9);
    // Put back as it was: the undamaged index still answers the same.
    expect(await answers()).toEqual(expected);
  });
});
