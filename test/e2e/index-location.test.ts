import { cp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AskJsonV1 } from '../../src/output/ask-json.js';
import { BUNDLED_RUNBOOKS, MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

// Issue 16: an index remembers its runbooks directory; a command never silently rebuilds it from ./runbooks.
const tmp = tempDirs('opsctl-location-');
afterAll(() => tmp.cleanup());

const QUESTION = 'Redis is evicting keys, memory almost full';
const manifestOf = (indexDir: string) => {
  const gen = readFileSync(join(indexDir, 'CURRENT'), 'utf8').trim();
  return JSON.parse(readFileSync(join(indexDir, gen, 'manifest.json'), 'utf8')) as { root: string; rootGiven?: string; counts: { files: number } };
};
const files = (r: { stdout: string }) => (JSON.parse(r.stdout) as AskJsonV1).hits.map((h) => h.file);

describe('the index knows its runbooks', () => {
  it('ask --index-dir X without --runbooks searches X, never rebuilds it from ./runbooks', async () => {
    const home = await tmp.make();
    const docs = join(home, 'docs');
    await cp(MINI_RUNBOOKS, docs, { recursive: true });
    const indexDir = join(home, 'idx');
    expect((await runOpsctl(['index', docs, '--index-dir', indexDir], { cwd: home })).code).toBe(0);
    // A project checkout with the bundled runbooks in ./runbooks: what used to replace the index.
    const project = await tmp.withCopy(BUNDLED_RUNBOOKS);
    const r = await runOpsctl(['ask', '--index-dir', indexDir, '--json', QUESTION], { cwd: project, env: { HOME: home } });
    expect(r.code).toBe(0);
    expect(files(r)[0]).toMatch(/redis-memory-eviction\.md$/);
    expect(manifestOf(indexDir)).toMatchObject({ root: docs, counts: { files: 6 } });
  });

  it('refuses a runbooks directory other than the index\'s, leaving the index as it was', async () => {
    const home = await tmp.withCopy(MINI_RUNBOOKS, 'docs');
    const indexDir = join(home, 'idx');
    await runOpsctl(['index', 'docs', '--index-dir', indexDir], { cwd: home });
    const before = readFileSync(join(indexDir, 'CURRENT'), 'utf8');
    await cp(BUNDLED_RUNBOOKS, join(home, 'runbooks'), { recursive: true });
    for (const argv of [['ask', '--index-dir', indexDir, '--runbooks', 'runbooks', QUESTION], ['index', 'runbooks', '--index-dir', indexDir]]) {
      const r = await runOpsctl(argv, { cwd: home });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^opsctl: the index in .*idx holds the runbooks in .*docs, not .*runbooks\n {2}hint: .*--rebuild/);
    }
    expect(readFileSync(join(indexDir, 'CURRENT'), 'utf8')).toBe(before);
    const rebuilt = await runOpsctl(['index', 'runbooks', '--index-dir', indexDir, '--rebuild'], { cwd: home });
    expect(rebuilt.code).toBe(0);
    expect(manifestOf(indexDir)).toMatchObject({ root: join(home, 'runbooks'), rootGiven: 'runbooks', counts: { files: 10 } });
  });

  it('opsctl index ./docs once, then ask works there and from any other directory (user-level index)', async () => {
    const home = await tmp.withCopy(MINI_RUNBOOKS, 'docs');
    const elsewhere = await tmp.make();
    const env = { HOME: home };
    const indexed = await runOpsctl(['index', './docs'], { cwd: home, env });
    expect(indexed.code).toBe(0);
    const userIndex = join(home, '.local', 'state', 'opsctl', 'index');
    expect(manifestOf(userIndex)).toMatchObject({ root: join(home, 'docs'), rootGiven: './docs' });
    for (const cwd of [home, elsewhere]) {
      const r = await runOpsctl(['ask', '--json', QUESTION], { cwd, env });
      expect(r.code).toBe(0);
      expect(files(r)[0]).toMatch(/redis-memory-eviction\.md$/);
    }
  });

  it('honours XDG_STATE_HOME for the user-level index', async () => {
    const home = await tmp.withCopy(MINI_RUNBOOKS, 'docs');
    const state = await tmp.make();
    expect((await runOpsctl(['index', 'docs'], { cwd: home, env: { XDG_STATE_HOME: state } })).code).toBe(0);
    expect(manifestOf(join(state, 'opsctl', 'index')).root).toBe(join(home, 'docs'));
  });

  it('keeps the quick start: a checkout with ./runbooks and no index builds ./.opsctl from it', async () => {
    const cwd = await tmp.withCopy(BUNDLED_RUNBOOKS);
    const r = await runOpsctl(['ask', '--json', 'ALB returns 502 errors'], { cwd });
    expect(r.code).toBe(0);
    expect(manifestOf(join(cwd, '.opsctl'))).toMatchObject({ root: join(cwd, 'runbooks'), rootGiven: './runbooks' });
  });
});
