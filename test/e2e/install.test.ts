import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/cli.js';

// Issue 16: a production install was 309 MB (243 MB for the optional MiniLM path) and `npm ci --omit=dev` failed
// with exit 127 (`prepare` ran tsc, a dev dependency). The real install is measured in BENCHMARKS.md (it needs
// the registry); here: what the package declares and ships, and that `prepare` survives a missing tsc.
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, unknown>>;
const tmp = tempDirs('opsctl-install-');
afterAll(() => tmp.cleanup());

describe('a small, publishable install', () => {
  it('needs only the native addons at run time: everything else is bundled into dist/bundle', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['better-sqlite3', 'hnswlib-node']);
  });

  it('declares transformers.js as an optional peer dependency, not a dependency', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('@xenova/transformers');
    expect(pkg.peerDependencies['@xenova/transformers']).toBeDefined();
    expect(pkg.peerDependenciesMeta['@xenova/transformers']).toEqual({ optional: true });
    expect(Object.keys(pkg.devDependencies)).toContain('@xenova/transformers');
  });

  it('builds in prepack; prepare skips the build when dev dependencies are missing (npm ci --omit=dev)', async () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
    const dir = await tmp.make(); // no node_modules anywhere above a temp dir: typescript cannot resolve
    const [cmd, script] = String(pkg.scripts.prepare).split(' ');
    expect(cmd).toBe('node');
    copyFileSync(script, join(dir, 'prepare.mjs'));
    const r = spawnSync(process.execPath, [join(dir, 'prepare.mjs')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/skipping the build/);
  });

  it('packs dist/, bin/ and the bundled runbooks, and no sources or tests', () => {
    if (!existsSync(resolve('dist/bundle/main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/opsctl.js', 'dist/bundle/main.js', 'runbooks/alb-5xx.md', 'package.json']));
    // dist/bundle holds the dependencies too; tsc's per-module output (which imports them) is not shipped.
    expect(files.filter((f) => /^(src|test|node_modules|dist\/cli|dist\/core)\//.test(f))).toEqual([]);
  });
});
