import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { readSections, writeSections } from '../../../src/core/runbooks/store-parts.js';
import type { StoredSection } from '../../../src/core/runbooks/store.js';
import { PartReader, PartWriter } from '../../../src/core/runbooks/store-io.js';
import { tempDirs } from '../../helpers/cli.js';
import { resealedReader } from './store-reader.js';

const tmp = tempDirs('opsctl-sections-');
afterAll(() => tmp.cleanup());

const DEEP = 'team/payments/runbooks/database-connection-pool-exhausted.md';

/** Sections as the indexer makes them: twins share a section, a removed label stays null. */
function sections(): Array<StoredSection | null> {
  return [
    {
      label: 0, hash: 'a1', title: 'Pool exhausted', headingPath: ['Pool exhausted', 'Detection'], text: 'Check the pool gauge.',
      sources: [{ file: DEEP, startLine: 3, endLine: 9, headingPath: ['Pool exhausted', 'Detection'] }], meta: 'database connection pool Pool exhausted db',
    },
    null,
    {
      label: 2, hash: 'b2', title: 'Pool exhausted', headingPath: ['Pool exhausted', 'Fix'], text: 'Restart — then überprüfen 🚒',
      sources: [
        { file: DEEP, startLine: 10, endLine: 20, headingPath: ['Pool exhausted', 'Fix'] },
        { file: 'shared/restart.md', startLine: 1, endLine: 5, headingPath: [] },
      ],
      meta: 'database connection pool Pool exhausted db restart',
    },
    { label: 3, hash: 'c3', title: '', headingPath: [], text: '', sources: [{ file: 'shared/restart.md', startLine: 6, endLine: 6, headingPath: [] }], meta: '' },
  ];
}

async function written(): Promise<string> {
  const gen = await tmp.make();
  writeSections(new PartWriter(gen), sections());
  return gen;
}

function readError(gen: string): OpsctlError {
  try {
    readSections(resealedReader('/idx', gen));
  } catch (e) {
    return e as OpsctlError;
  }
  throw new Error('read did not fail');
}

describe('sections.json (columnar) and texts.bin', () => {
  it('reads back the sections it wrote, removed labels included', async () => {
    const got = readSections(resealedReader('/idx', await written()));
    expect(got.map((s) => (s ? { ...s } : null))).toEqual(sections());
  });

  it('stores each file path, heading path, title and meta once', async () => {
    const raw = readFileSync(join(await written(), 'sections.json'), 'utf8');
    expect(raw.split(DEEP)).toHaveLength(2);
    const { files, headings, strings } = JSON.parse(raw);
    expect(files.sort()).toEqual([DEEP, 'shared/restart.md'].sort());
    expect(headings.map((h: string[]) => JSON.stringify(h)).sort()).toEqual(['["Pool exhausted","Detection"]', '["Pool exhausted","Fix"]', '[]'].sort());
    expect(strings.filter((x: string) => x === 'Pool exhausted')).toHaveLength(1);
  });

  it('decodes a text on first use, as an ordinary enumerable property that can be replaced', async () => {
    const [first, , second] = readSections(resealedReader('/idx', await written()));
    expect(Object.getOwnPropertyDescriptor(first!, 'text')!.get).toBeTypeOf('function');
    expect(Object.keys(first!)).toContain('text');
    expect(second!.text).toBe('Restart — then überprüfen 🚒');
    expect(Object.getOwnPropertyDescriptor(second!, 'text')).toMatchObject({ value: second!.text, enumerable: true, writable: true });
    expect(first!.text).toBe('Check the pool gauge.');
    first!.text = 'edited';
    expect(first!.text).toBe('edited');
    expect(JSON.parse(JSON.stringify(first)).text).toBe('edited');
  });

  it.each([
    ['an index of the old object layout', () => [{ label: 0, hash: 'a', title: 't', headingPath: [], sources: [], meta: '', at: [0, 1] }]],
    ['a row of the wrong length', (r: { sections: unknown[] }) => ((r.sections[0] as unknown[]).length = 6, r)],
    ['a file index out of range', (r: { sections: unknown[][] }) => (((r.sections[0][3] as number[])[0] = 99), r)],
    ['a heading index out of range', (r: { sections: unknown[][] }) => ((r.sections[0][2] = 42), r)],
    ['a meta index out of range', (r: { sections: unknown[][] }) => ((r.sections[0][4] = 42), r)],
    ['a text range backwards', (r: { sections: unknown[][] }) => ((r.sections[0][5] = 5), (r.sections[0][6] = 2), r)],
  ])('refuses %s as a damaged index', async (_name, damage) => {
    const gen = await written();
    const path = join(gen, 'sections.json');
    writeFileSync(path, JSON.stringify(damage(JSON.parse(readFileSync(path, 'utf8')))));
    const err = readError(gen);
    expect(err).toBeInstanceOf(OpsctlError);
    expect(err.message).toBe('the index in /idx is damaged (sections.json is malformed)');
    expect(err.exitCode).toBe(5);
  });

  it('refuses a text range past the end of texts.bin', async () => {
    const gen = await written();
    writeFileSync(join(gen, 'texts.bin'), 'short');
    expect(readError(gen).message).toMatch(/texts\.bin is truncated/);
  });
});

describe('checksums', () => {
  it('a part whose bytes changed after it was written fails its checksum, even at the same size', async () => {
    const gen = await tmp.make();
    const out = new PartWriter(gen);
    writeSections(out, sections());
    const path = join(gen, 'texts.bin');
    const bytes = readFileSync(path);
    bytes[3] ^= 0x20;
    writeFileSync(path, bytes);
    let err: unknown;
    try {
      readSections(new PartReader('/idx', gen, out.checksums));
    } catch (e) {
      err = e;
    }
    expect((err as OpsctlError).message).toBe('the index in /idx is damaged (texts.bin fails its checksum)');
    expect((err as OpsctlError).exitCode).toBe(5);
  });
});
