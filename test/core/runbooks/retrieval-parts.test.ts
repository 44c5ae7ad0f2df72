import { describe, expect, it } from 'vitest';
import { buildLexical, LexicalIndex } from '../../../src/core/runbooks/lexical.js';
import { fitLsa, LsaEmbedder } from '../../../src/core/runbooks/lsa.js';
import { rankedFiles, type Hit } from '../../../src/core/runbooks/search.js';
import { stem, tokenize } from '../../../src/core/runbooks/tokenize.js';

describe('tokenize', () => {
  it('splits camelCase and acronyms in alert names', () => {
    expect(tokenize('KubePodCrashLooping')).toEqual(['kube', 'pod', 'crash', 'loop']);
    expect(tokenize('etcdHighNumberOfFailedGRPCRequests')).toEqual(['etcd', 'high', 'number', 'fail', 'grpc', 'request']);
  });

  it('splits snake_case and kebab-case, lowercases, drops stopwords', () => {
    expect(tokenize('DISK_SPACE-low on the Node')).toEqual(['disk', 'spac', 'low', 'node']);
  });

  it('keeps HTTP codes and 4-digit numbers, drops other bare numbers', () => {
    expect(tokenize('502 errors on port 8080 after 12345 requests in 7 s')).toEqual(['502', 'error', 'port', '8080', 'request']);
  });

  it.each([
    ['failing', 'fail'],
    ['failed', 'fail'],
    ['fails', 'fail'],
    ['queries', 'query'],
    ['processes', 'process'],
    ['running', 'run'],
    ['stopped', 'stop'],
    ['killed', 'kill'],
    ['pods', 'pod'],
    ['patches', 'patch'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['tls', 'tls'],
    ['ec2s', 'ec2s'],
    // Forms of one word meet in one stem (a final silent e goes too).
    ['cache', 'cach'],
    ['cached', 'cach'],
    ['caching', 'cach'],
    ['queue', 'queu'],
    ['queued', 'queu'],
    ['throttle', 'throttl'],
    ['throttled', 'throttl'],
    ['retried', 'retry'],
    ['retries', 'retry'],
    ['free', 'free'],
  ])('stems %s → %s', (word, want) => {
    expect(stem(word)).toBe(want);
  });
});

describe('BM25F', () => {
  const filler = 'check the dashboard and the recent changes then page the owner';
  it('ranks a match in the title field above the same match in the body', () => {
    const data = buildLexical([
      { title: 'redis eviction', heading: 'Detection', body: filler },
      { title: 'kafka lag', heading: 'Detection', body: `${filler} redis eviction` },
      { title: 'dns failures', heading: 'Detection', body: filler },
    ]);
    const hits = new LexicalIndex(data).search('redis eviction');
    expect(hits.map((h) => h.doc)).toEqual([0, 1]);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
  });

  it('reports matched terms and the covered share of the query', () => {
    const data = buildLexical([
      { title: 'a', heading: '', body: 'disk full on the node' },
      { title: 'b', heading: '', body: 'memory pressure' },
    ]);
    const [hit] = new LexicalIndex(data).search('disk memory');
    expect(hit.matched).toHaveLength(1);
    expect(hit.coverage).toBeGreaterThan(0);
    expect(hit.coverage).toBeLessThan(1);
  });

  it('skips documents that are no longer alive', () => {
    const data = buildLexical([
      { title: '', heading: '', body: 'disk full' },
      { title: '', heading: '', body: 'disk full again' },
    ]);
    expect(new LexicalIndex(data, undefined, (d) => d !== 0).search('disk').map((h) => h.doc)).toEqual([1]);
  });
});

describe('LSA', () => {
  const corpus = [
    'postgres database slow query index vacuum',
    'postgres database connection pool exhausted query',
    'database replica lag postgres query',
    'dns resolver timeout packet network',
    'network packet loss dns resolver',
    'network interface packet drop timeout',
    'disk full volume inode cleanup',
    'disk volume resize inode full',
  ].map(tokenize);

  it('is deterministic: the same corpus gives the same projection', () => {
    const a = fitLsa(corpus, { dim: 4 });
    const b = fitLsa(corpus, { dim: 4 });
    expect(a.vocab).toEqual(b.vocab);
    expect(Array.from(a.projection)).toEqual(Array.from(b.projection));
  });

  it('embeds to unit vectors of the fitted dimension, and unknown words to zero', async () => {
    const e = new LsaEmbedder(fitLsa(corpus, { dim: 4 }));
    expect(e.id).toBe('lsa-4');
    expect(await e.dimension()).toBe(4);
    const [v] = await e.embedDocuments(['postgres query slow']);
    expect(v).toHaveLength(4);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    const z = await e.embedQuery('sourdough bread');
    expect(z.every((x) => x === 0)).toBe(true);
  });

  it('puts related documents closer than unrelated ones', async () => {
    const e = new LsaEmbedder(fitLsa(corpus, { dim: 3 }));
    const [db1, db2, net] = await e.embedDocuments(['postgres slow query', 'database connection pool', 'dns packet timeout']);
    const cos = (x: Float32Array, y: Float32Array) => x.reduce((s, xi, i) => s + xi * y[i], 0);
    expect(cos(db1, db2)).toBeGreaterThan(cos(db1, net));
    expect(cos(db1, db2)).toBeGreaterThan(cos(db2, net));
  });
});

describe('rankedFiles', () => {
  const hit = (files: Array<[string, number]>): Hit => ({
    section: { label: 0, hash: '', title: '', headingPath: [], text: '', sources: files.map(([file]) => ({ file, startLine: 1, endLine: 2, headingPath: [] })), meta: '' },
    score: Math.max(...files.map(([, s]) => s)),
    files: files.map(([file, score]) => ({ file, score })),
    relevance: 1,
    lexical: 1,
    dense: 1,
    matched: [],
  });

  it("ranks each file by its own best score, not by the score a shared section earned in another file", () => {
    // The shared section scores 0.9 in good.md but only 0.5 in copy.md, where other.md's 0.7 beats it.
    expect(rankedFiles([hit([['good.md', 0.9], ['copy.md', 0.5]]), hit([['other.md', 0.7]])])).toEqual(['good.md', 'other.md', 'copy.md']);
  });
});
