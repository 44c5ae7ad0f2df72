import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../../src/core/runbooks/chunk.js';
import { bestSectionsFit, numberMatches, votesOf } from '../../../src/core/runbooks/fusion.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import { openIndex } from '../../../src/core/runbooks/open.js';
import { searchIndex, type OpenIndex } from '../../../src/core/runbooks/search.js';
import type { IndexData } from '../../../src/core/runbooks/store.js';
import { asWritten, tokenSources, tokenize } from '../../../src/core/runbooks/tokenize.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { tempDirs } from '../../helpers/cli.js';

describe('percentages are tokens', () => {
  it('keeps "75%" and "87.5 %" as one token each; bare numbers stay dropped', () => {
    expect(tokenize('volume crossed 75% then 87.5 % and 12 files')).toEqual(['volum', 'cross', '75pct', '87pct', 'file']);
  });
});

describe('"why" shows the words as the user wrote them', () => {
  it('maps stems back to the written word, each once, punctuation trimmed', () => {
    const written = tokenSources('Responses slow since the deploy, OOMKilled pods at 90%!');
    expect(asWritten(['respons', 'sinc', 'oom', 'kill', '90pct', 'deploy'], written)).toEqual(['Responses', 'since', 'OOMKilled', '90%', 'deploy']);
  });
});

describe('stacked empty headings', () => {
  const md = ['# Queue alerts', '', '## QueueBacklogGrowing', '## QueueConsumersMissing', '', 'Scale the consumers of the queue.', '', '## Other', '', 'Something else.', ''].join('\n');

  it('join the next section, which starts at the first of them', () => {
    const { chunks } = chunkMarkdown('queue.md', md);
    expect(chunks.map((c) => [c.startLine, c.endLine, c.headingPath])).toEqual([
      [3, 6, ['QueueConsumersMissing']],
      [8, 10, ['Other']],
    ]);
  });

  it('name every subsection under the last of them (aliases), until the next heading of their level', () => {
    const wiki = ['# Alerts', '', '## ThanosCompactIsDown', '## ThanosRuleIsDown', '', '### Impact', '', 'Degraded.', '', '### Steps', '', 'Restart it.', '', '## Other', '', 'Else.', ''].join('\n');
    const { chunks } = chunkMarkdown('alerts.md', wiki);
    expect(chunks.map((c) => [c.headingPath.at(-1), c.aliases])).toEqual([
      ['Impact', ['ThanosCompactIsDown']],
      ['Steps', ['ThanosCompactIsDown']],
      ['Other', undefined],
    ]);
  });
});

describe('aliases in the index', () => {
  const tmp = tempDirs('opsctl-aliases-');
  afterAll(() => tmp.cleanup());

  it('are stored, read back, and searched as heading words of every subsection', async () => {
    const dir = await tmp.make();
    const root = join(dir, 'runbooks');
    mkdirSync(root);
    writeFileSync(join(root, 'alerts.md'), ['# Alerts', '', '## ReplicaGone', '## PrimaryGone', '', '### Impact', '', 'Writes fail.', '', '### Steps', '', 'Promote a standby.', '', '## Backups', '', 'Check the nightly job.', ''].join('\n'));
    writeFileSync(join(root, 'other.md'), '# Other\n\n## Steps\n\nPromote the canary.\n');
    const indexDir = join(dir, '.opsctl');
    await updateIndex({ root, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: { pid: 4242, isAlive: () => false }, now: () => new Date() });
    const index = await openIndex(indexDir, hnswFactory);
    const steps = index.data.sections.find((s) => s?.headingPath.join('/') === 'PrimaryGone/Steps');
    expect(steps?.aliases).toEqual(['ReplicaGone']);
    const r = await searchIndex(index, 'ReplicaGone: promote', { topK: 3, minScore: 0 });
    expect(r.hits[0].section.sources[0]).toMatchObject({ file: 'alerts.md', headingPath: ['PrimaryGone', 'Steps'] });
  });
});

describe('signals of the fused ranking', () => {
  it('votesOf: equal scores share a rank, zero scores get no vote; scaled votes shrink with the score', () => {
    const plain = votesOf([['a', 3], ['b', 3], ['c', 1], ['d', 0]], 1, 10, false);
    expect([...plain]).toEqual([['a', 1 / 11], ['b', 1 / 11], ['c', 1 / 13]]);
    const scaled = votesOf([['a', 4], ['b', 1]], 2, 10, true);
    expect([...scaled]).toEqual([['a', 2 / 11], ['b', (2 * 0.25) / 12]]);
  });

  it('a file\'s fit is the mean of its best sections that exist: a one-section file is not divided by three', () => {
    const src = (file: string) => ({ sources: [{ file, startLine: 1, endLine: 2, headingPath: [] }] });
    const data = { sections: [src('short.md'), src('long.md'), src('long.md'), src('long.md'), src('long.md')] } as unknown as IndexData;
    const out = new Map<string, number>();
    bestSectionsFit(data, Float32Array.from([0.6, 0.1, 0.5, 0.3, 0.4]), 3, out);
    expect(out.get('short.md')).toBeCloseTo(0.6, 6);
    expect(out.get('long.md')).toBeCloseTo(0.4, 6);
  });
});

describe('sibling alerts told apart by their threshold', () => {
  const tmp = tempDirs('opsctl-siblings-');
  let index: OpenIndex;
  beforeAll(async () => {
    const dir = await tmp.make();
    const root = join(dir, 'runbooks');
    mkdirSync(root);
    const body = (pct: number) => `Fires when the data volume has crossed ${pct}% of its capacity for ten minutes. Free space on the volume: delete old snapshots, then expand it.`;
    writeFileSync(join(root, 'volumes.md'), ['# Volume alerts', '', '## VolumeNearlyFull', '', body(75), '', '## VolumeCriticallyFull', '', body(90), ''].join('\n'));
    writeFileSync(join(root, 'cpu.md'), '# CPU\n\n## CpuHigh\n\nThe CPU stays above 90% for ten minutes: find the busy process.\n');
    writeFileSync(join(root, 'dns.md'), '# DNS\n\n## Resolution failing\n\nLookups time out; check the resolver and the VPC DNS settings.\n');
    const indexDir = join(dir, '.opsctl');
    await updateIndex({ root, indexDir, embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: { pid: 4242, isAlive: () => false }, now: () => new Date() });
    index = await openIndex(indexDir, hnswFactory);
  });
  afterAll(() => tmp.cleanup());

  it.each([
    ['data volume crossed 90% of capacity', 'VolumeCriticallyFull'],
    ['data volume crossed 75% of capacity', 'VolumeNearlyFull'],
  ])('%s → %s first', async (q, heading) => {
    const r = await searchIndex(index, q, { topK: 3, minScore: 0 });
    expect(r.hits[0].section.sources[0].headingPath).toEqual([heading]);
    expect(r.hits[0].matched).toContain(q.match(/\d+%/)![0]);
  });

  it('a percentage votes only for sections that share a word with the question ("RDS CPU at 100%" is not about df at 100%)', async () => {
    const headings = (m: Map<number, number>) => [...m.keys()].map((l) => index.data.sections[l]!.sources[0].headingPath.at(-1)).sort();
    expect(headings(numberMatches(index.data, 'DNS lookups failing at 90%').sections)).toEqual([]);
    expect(headings(numberMatches(index.data, 'CPU above 90%').sections)).toEqual(['CpuHigh']);
    expect(headings(numberMatches(index.data, 'volume at 90%').sections)).toEqual(['VolumeCriticallyFull']);
  });

});
