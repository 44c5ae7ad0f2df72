import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMarkdown, MAX_FILE_BYTES } from '../../../src/core/runbooks/corpus.js';

describe('listMarkdown', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'opsctl-corpus-'));
    await mkdir(join(root, 'db', 'rds'), { recursive: true });
    await mkdir(join(root, 'node_modules', 'x'), { recursive: true });
    await mkdir(join(root, '.hidden'), { recursive: true });
    await Promise.all([
      writeFile(join(root, 'b.md'), '# B'),
      writeFile(join(root, 'a.markdown'), '# A'),
      writeFile(join(root, 'notes.txt'), 'not markdown'),
      writeFile(join(root, 'db', 'rds', 'cpu.md'), '# CPU'),
      writeFile(join(root, 'db', 'pool.MD'), '# Pool'),
      writeFile(join(root, 'node_modules', 'x', 'readme.md'), '# ignored'),
      writeFile(join(root, '.hidden', 'secret.md'), '# ignored'),
      writeFile(join(root, 'huge.md'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a')),
    ]);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('lists Markdown files sorted, relative with forward slashes, skipping ignored and hidden dirs', () => {
    const { files, skipped } = listMarkdown(root);
    expect(files.map((f) => f.path)).toEqual(['a.markdown', 'b.md', 'db/pool.MD', 'db/rds/cpu.md']);
    expect(files.every((f) => f.size > 0 && f.mtimeMs > 0)).toBe(true);
    expect(skipped).toEqual([expect.objectContaining({ path: 'huge.md', reason: expect.stringMatching(/too large/) })]);
  });

  it('gives the same relative paths when the root has a trailing slash', () => {
    expect(listMarkdown(`${root}/`).files.map((f) => f.path)).toEqual(listMarkdown(root).files.map((f) => f.path));
  });

  it('refuses a missing directory and a file with an input error', () => {
    expect(() => listMarkdown(join(root, 'nope'))).toThrow(/runbooks directory not found/);
    expect(() => listMarkdown(join(root, 'b.md'))).toThrow(/not a directory/);
  });
});
