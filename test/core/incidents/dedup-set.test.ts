import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD } from '../../../src/core/incidents/decide.js';
import { SqliteIncidentStore } from '../../../src/providers/store/sqlite.js';
import { readDedupSet, scoreDedup } from '../../helpers/dedup-eval.js';

const SET = 'test/fixtures/incidents/dedup-set.jsonl';
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('labelled dedup set (test/fixtures/incidents)', () => {
  it('is big and varied enough to mean something', () => {
    const lines = readDedupSet(SET).filter((l) => l.kind === 'report');
    expect(lines.length).toBeGreaterThanOrEqual(300);
    expect(new Set(lines.map((l) => l.failure)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(lines.map((l) => l.service)).size).toBeGreaterThanOrEqual(8);
  });

  it('folds duplicates (pairwise precision ≥ 0.95, recall ≥ 0.90) and catches every regression at the default threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsctl-dedup-'));
    dirs.push(dir);
    const store = SqliteIncidentStore.open(join(dir, 'incidents.db'));
    try {
      const score = await scoreDedup(store, readDedupSet(SET), DEFAULT_THRESHOLD);
      console.log(`dedup set: ${score.reports} reports, ${score.failures} failures, ${score.services} services: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}, regressions ${score.regressionsCaught}/${score.regressionsExpected}`);
      expect(score.precision).toBeGreaterThanOrEqual(0.95);
      expect(score.recall).toBeGreaterThanOrEqual(0.9);
      expect(score.misses).toEqual([]);
      expect(score.regressionsExpected).toBeGreaterThanOrEqual(10);
      expect(score.regressionsCaught).toBe(score.regressionsExpected);
    } finally {
      await store.close();
    }
  });
});
