import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

/**
 * Issue 17: the index reported `lsa-141` where the README promised 192 dimensions. The embedder id says what was
 * built; the README's `ask --json` example must show what the bundled runbooks really give, and say why the
 * dimension can be lower than 192.
 */
describe('README claims about the index match what is built from the bundled runbooks', () => {
  const tmp = tempDirs('opsctl-readme-');
  afterAll(() => tmp.cleanup());

  it('the example "index" block and the LSA dimension note', async () => {
    const cwd = await tmp.make();
    const r = await runOpsctl(['ask', 'RDS CPU at 100%', '--runbooks', BUNDLED_RUNBOOKS, '--index-dir', join(cwd, 'idx'), '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const index = JSON.parse(r.stdout).index as { files: number; sections: number; embedder: string };
    const dim = Number(/^lsa-(\d+)$/.exec(index.embedder)?.[1]);
    // LSA's rank is capped by the collection: at most 192, and below the number of sections.
    expect(dim).toBeGreaterThan(0);
    expect(dim).toBeLessThanOrEqual(Math.min(192, index.sections - 1));
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`"index": { "files": ${index.files}, "sections": ${index.sections}, "embedder": "${index.embedder}"`);
    expect(readme).toMatch(/up to 192 dimensions[^|]*fewer/);
  }, 60_000);
});
