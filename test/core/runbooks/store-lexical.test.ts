import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { buildLexical } from '../../../src/core/runbooks/lexical.js';
import { readLexical, writeLexical } from '../../../src/core/runbooks/store-parts.js';
import { PartWriter } from '../../../src/core/runbooks/store-io.js';
import { tempDirs } from '../../helpers/cli.js';
import { resealedReader } from './store-reader.js';

const tmp = tempDirs('opsctl-lexical-');
afterAll(() => tmp.cleanup());

const DOCS = [
  { title: 'Redis eviction', heading: 'Detection', body: 'used_memory close to maxmemory; 502 from the constructor service' },
  { title: '', heading: '', body: '' },
  { title: 'Kafka lag', heading: 'Fix', body: 'consumer lag grows; restart the consumer, check redis too' },
];

async function written(): Promise<string> {
  const gen = await tmp.make();
  writeLexical(new PartWriter(gen), buildLexical(DOCS));
  return gen;
}

describe('lexical.json and lexical.bin', () => {
  it('finds every term it wrote (numbers and "constructor" too) and nothing else', async () => {
    const built = buildLexical(DOCS);
    const read = readLexical(resealedReader('/idx', await written()));
    const terms = [...built.postings.keys()];
    expect([...read.postings.keys()].sort()).toEqual([...terms].sort());
    for (const t of terms) expect(Array.from(read.postings.get(t)!), t).toEqual(Array.from(built.postings.get(t)!));
    for (const t of ['', 'aaa', 'zzz', 'redi', '__proto__', 'hasOwnProperty']) expect(read.postings.get(t), t).toBeUndefined();
    expect(read.lengths).toEqual(built.lengths);
  });

  it.each([
    ['terms out of order', (r: { terms: string[] }) => (r.terms.reverse(), r)],
    ['a repeated term', (r: { terms: string[] }) => ((r.terms[1] = r.terms[0]), r)],
    ['offsets going backwards', (r: { offsets: number[] }) => ((r.offsets[2] = -1), r)],
  ])('refuses %s as a damaged index', async (_name, damage) => {
    const gen = await written();
    const path = join(gen, 'lexical.json');
    writeFileSync(path, JSON.stringify(damage(JSON.parse(readFileSync(path, 'utf8')))));
    let err: unknown;
    try {
      readLexical(resealedReader('/idx', gen));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).message).toBe('the index in /idx is damaged (lexical.json is malformed)');
  });
});
