import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_RUNBOOKS, tempDirs } from '../helpers/cli.js';

// Runs the built binary: which native addons a real cold process loads is the point.
const BIN = resolve('bin/opsctl.js');
const tmp = tempDirs('opsctl-native-');

beforeAll(() => {
  if (!existsSync(resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
});
afterAll(() => tmp.cleanup());

/** Runs opsctl with process.dlopen wrapped: every native addon it loads is named on stderr. */
function run(cwd: string, args: string[]): { code: number | null; stdout: string; addons: string[] } {
  const hook = join(cwd, 'dlopen-hook.mjs');
  writeFileSync(hook, 'const d = process.dlopen;\nprocess.dlopen = function (m, f, ...r) { process.stderr.write(`DLOPEN ${f}\\n`); return d.call(this, m, f, ...r); };\n');
  const r = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, encoding: 'utf8' });
  const addons = r.stderr.split('\n').filter((l) => l.startsWith('DLOPEN ')).map((l) => l.slice(7));
  return { code: r.status, stdout: r.stdout, addons };
}

describe('a small index needs no native HNSW', () => {
  it('indexing loads hnswlib; a cold ask on that index answers without loading it', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const index = run(cwd, ['index']);
    expect(index.code).toBe(0);
    expect(index.addons.some((f) => f.includes('hnswlib'))).toBe(true);

    const ask = run(cwd, ['ask', 'redis evictions memory pressure', '--json']);
    expect(ask.code).toBe(0);
    expect(JSON.parse(ask.stdout).hits[0].file).toBe('runbooks/redis-memory-eviction.md');
    expect(ask.addons.filter((f) => f.includes('hnswlib'))).toEqual([]);
  });
});
