import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/schema.js';
import { parseYamlCases } from '../../../src/core/eval/cases.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import { openIndex } from '../../../src/core/runbooks/open.js';
import { searchIndex, type OpenIndex } from '../../../src/core/runbooks/search.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { BUNDLED_RUNBOOKS, tempDirs } from '../../helpers/cli.js';

/**
 * The relevance floor on the bundled runbooks (issue 17 item 8): 88 hand-written questions from other domains
 * (test/fixtures/refusal) are refused, the bundled eval's answerable questions are not. The dev collections'
 * sweep is bench/refusal.mjs (BENCHMARKS.md, "Refusal").
 */
describe('the relevance floor refuses other domains and answers on-call questions', () => {
  const tmp = tempDirs('opsctl-refusal-');
  let index: OpenIndex;
  beforeAll(async () => {
    const indexDir = join(await tmp.make(), 'idx');
    await updateIndex({ root: BUNDLED_RUNBOOKS, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: { pid: 4242, isAlive: () => false }, now: () => new Date() });
    index = await openIndex(indexDir, hnswFactory);
  }, 60_000);
  afterAll(() => tmp.cleanup());
  const refused = async (q: string) => (await searchIndex(index, q, { topK: 5, minScore: DEFAULTS.minScore })).noMatch;

  it('refuses at least 90% of the unrelated questions', async () => {
    const rows = readFileSync('test/fixtures/refusal/unrelated.jsonl', 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { query: string });
    expect(rows.length).toBeGreaterThanOrEqual(80);
    const answered: string[] = [];
    for (const r of rows) if (!(await refused(r.query))) answered.push(r.query);
    expect(1 - answered.length / rows.length, `answered: ${answered.join(' / ')}`).toBeGreaterThanOrEqual(0.9);
  });

  it('answers every answerable question of the bundled eval cases', async () => {
    const cases = readdirSync('eval').filter((f) => f.endsWith('.yaml')).flatMap((f) => parseYamlCases(readFileSync(join('eval', f), 'utf8'), f));
    const answerable = cases.filter((c) => !c.mustRefuse && c.question);
    expect(answerable.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const c of answerable) if (await refused(c.question)) wrong.push(c.id);
    expect(wrong).toEqual([]);
  });
});
