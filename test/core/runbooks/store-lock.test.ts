import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { buildLexical, type Postings } from '../../../src/core/runbooks/lexical.js';
import { acquireLock, type LockOwner } from '../../../src/core/runbooks/lock.js';
import { currentGeneration, INDEX_FORMAT, readIndex, writeIndex, type IndexData, type StoredSection } from '../../../src/core/runbooks/store.js';
import { tempDirs } from '../../helpers/cli.js';

const tmp = tempDirs('opsctl-store-');
afterAll(() => tmp.cleanup());

function data(text: string): Omit<IndexData, 'vectorPath'> {
  const section: StoredSection = {
    label: 0, hash: 'h', title: 'T', headingPath: ['A'], text, meta: 'a.md', sources: [{ file: 'a.md', startLine: 1, endLine: 3, headingPath: ['A'] }],
  };
  // Built as a variable: the index may carry more parts than this test names (file vectors), which writeIndex needs.
  const d = {
    fileVectors: { files: ['a.md'], dim: 4, data: new Float32Array(4) },
    sectionVectors: Float32Array.of(0.5, 0.5, 0.5, 0.5),
    manifest: {
      format: INDEX_FORMAT, embedder: 'test:model', dimension: 4, root: '/r', builtAt: 'x', updatedAt: 'x',
      files: {}, skipped: [], counts: { files: 1, sections: 1 },
    },
    sections: [section],
    lexical: buildLexical([{ title: 'T', heading: 'A', body: text }]),
  };
  return d as Omit<IndexData, 'vectorPath'>;
}

const writeVectors = (marker: string) => async (path: string) => writeFileSync(path, marker);

describe('index store', () => {
  it('writes a generation, then points CURRENT at it; the one before stays for readers until the next write', async () => {
    const dir = await tmp.make();
    const name = (gen: string) => gen.split('/').pop()!;
    expect(readIndex(dir)).toBeUndefined();
    await writeIndex(dir, data('first'), writeVectors('v1'));
    const gen1 = currentGeneration(dir)!;
    expect(readIndex(dir)!.sections[0]!.text).toBe('first');
    // A reader resolved CURRENT to gen1 just before the next write flips it...
    await writeIndex(dir, data('second'), writeVectors('v2'));
    const gen2 = currentGeneration(dir)!;
    expect(gen2).not.toBe(gen1);
    const idx = readIndex(dir)!;
    expect(idx.sections[0]!.text).toBe('second');
    expect(readFileSync(idx.vectorPath, 'utf8')).toBe('v2');
    // ...and can still read every file of gen1.
    expect(readFileSync(join(gen1, 'vectors.hnsw'), 'utf8')).toBe('v1');
    expect(readFileSync(join(gen1, 'texts.bin'), 'utf8')).toBe('first');
    await writeIndex(dir, data('third'), writeVectors('v3'));
    const gen3 = currentGeneration(dir)!;
    expect(readdirSync(dir).sort()).toEqual(['CURRENT', name(gen2), name(gen3)].sort());
  });

  it('reads back what it wrote: texts (non-ASCII too, decoded on first use) and postings, "constructor" included', async () => {
    const dir = await tmp.make();
    const text = 'Drain the node — then restart the constructor service: überprüfen 🚒';
    const written = data(text);
    await writeIndex(dir, written, writeVectors('v1'));
    const idx = readIndex(dir)!;
    expect(idx.sections[0]!.text).toBe(text);
    expect({ ...idx.sections[0]! }).toEqual(written.sections[0]);
    const plain = (p: Postings) => Object.fromEntries([...p.keys()].map((t) => [t, Array.from(p.get(t)!)]));
    expect(plain(idx.lexical.postings)).toEqual(plain(written.lexical.postings));
    expect(idx.lexical.postings.get('constructor')).toBeDefined();
    expect(idx.lexical.postings.get('toString')).toBeUndefined();
    expect(idx.lexical.lengths).toEqual(written.lexical.lengths);
    expect(idx.lexical.docCount).toBe(written.lexical.docCount);
    expect(Array.from(idx.sectionVectors)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const again = readIndex(dir)!.sections[0]!;
    again.text = 'edited';
    expect(again.text).toBe('edited');
  });

  it('rebuilds over a garbage CURRENT', async () => {
    const dir = await tmp.make();
    await writeIndex(dir, data('first'), writeVectors('v1'));
    writeFileSync(join(dir, 'CURRENT'), 'garbage');
    await writeIndex(dir, data('second'), writeVectors('v2'));
    expect(readIndex(dir)!.sections[0]!.text).toBe('second');
    expect(readdirSync(dir).filter((e) => e.startsWith('gen-'))).toHaveLength(1);
  });

  it('leaves the previous generation live and no debris when writing fails', async () => {
    const dir = await tmp.make();
    await writeIndex(dir, data('good'), writeVectors('v1'));
    const before = readdirSync(dir).sort();
    const failing = async () => {
      throw new Error('disk full');
    };
    await expect(writeIndex(dir, data('broken'), failing)).rejects.toThrow('disk full');
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readIndex(dir)!.sections[0]!.text).toBe('good');
  });

  it('does not flip CURRENT when interrupted during the write', async () => {
    const dir = await tmp.make();
    await writeIndex(dir, data('good'), writeVectors('v1'));
    const ctl = new AbortController();
    const abortWhileWriting = async (path: string) => {
      writeFileSync(path, 'v2');
      ctl.abort();
    };
    const err = await writeIndex(dir, data('new'), abortWhileWriting, ctl.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).exitCode).toBe(130);
    expect(readIndex(dir)!.sections[0]!.text).toBe('good');
    expect(readdirSync(dir).filter((e) => e.startsWith('gen-'))).toHaveLength(1);
  });

  it.each([
    ['garbage CURRENT', (dir: string) => writeFileSync(join(dir, 'CURRENT'), '../../etc'), /CURRENT/],
    ['CURRENT to a missing generation', (dir: string) => writeFileSync(join(dir, 'CURRENT'), 'gen-gone'), /manifest\.json: missing/],
    ['truncated sections.json', (dir: string) => truncate(join(currentGeneration(dir)!, 'sections.json')), /sections\.json fails its checksum/],
    ['lexical.json of "null"', (dir: string) => writeFileSync(join(currentGeneration(dir)!, 'lexical.json'), 'null'), /lexical/],
    ['truncated texts.bin', (dir: string) => truncate(join(currentGeneration(dir)!, 'texts.bin')), /texts\.bin fails its checksum/],
    ['truncated lexical.bin', (dir: string) => truncate(join(currentGeneration(dir)!, 'lexical.bin')), /lexical\.bin fails its checksum/],
    ['missing texts.bin', (dir: string) => rmSync(join(currentGeneration(dir)!, 'texts.bin')), /texts\.bin missing/],
    ['truncated sections.bin', (dir: string) => truncate(join(currentGeneration(dir)!, 'sections.bin')), /sections\.bin fails its checksum/],
  ])('reports a damaged index (%s) as an index error with a --rebuild hint', async (_name, damage, message) => {
    const dir = await tmp.make();
    await writeIndex(dir, data('good'), writeVectors('v1'));
    damage(dir);
    const err = (() => {
      try {
        readIndex(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).exitCode).toBe(5);
    expect((err as OpsctlError).message).toMatch(message);
    expect((err as OpsctlError).hint).toContain('--rebuild');
  });
});

function truncate(path: string): void {
  const s = readFileSync(path, 'utf8');
  writeFileSync(path, s.slice(0, Math.floor(s.length / 2)));
}

describe('index lock', () => {
  const me: LockOwner = { pid: 1001, isAlive: () => true };

  it('refuses a second writer while a live process holds the lock', async () => {
    const dir = await tmp.make();
    const release = acquireLock(dir, me);
    const other: LockOwner = { pid: 2002, isAlive: (pid) => pid === 1001 };
    const err = (() => {
      try {
        acquireLock(dir, other);
      } catch (e) {
        return e as OpsctlError;
      }
    })();
    expect(err).toBeInstanceOf(OpsctlError);
    expect(err!.code).toBe('index-locked');
    expect(err!.exitCode).toBe(5);
    expect(err!.message).toContain('pid 1001');
    expect(err!.hint).toContain(`delete ${join(dir, 'lock')}`);
    release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    acquireLock(dir, other)();
  });

  it('takes over a lock left by a dead process, or an unreadable one', async () => {
    const dir = await tmp.make();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 999999, since: 'x' }));
    const owner: LockOwner = { pid: 3003, isAlive: () => false };
    const release = acquireLock(dir, owner);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')).pid).toBe(3003);
    release();
    writeFileSync(join(dir, 'lock'), '{not json');
    acquireLock(dir, { pid: 3003, isAlive: () => true })();
  });
});
