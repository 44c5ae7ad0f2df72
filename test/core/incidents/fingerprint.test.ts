import { describe, expect, it } from 'vitest';
import { decide, minShared } from '../../../src/core/incidents/decide.js';
import { fingerprint, similarity, similarityOf } from '../../../src/core/incidents/fingerprint.js';
import { checkReportText, parseIncidentId } from '../../../src/core/incidents/text.js';
import type { IncidentRecord } from '../../../src/core/ports.js';

const sim = (a: string, b: string) => similarity(fingerprint(a).terms, fingerprint(b).terms);

describe('fingerprint similarity (default threshold 0.7)', () => {
  it.each([
    ['Lambda timeout after 30s', 'Lambda timeout 30 seconds'],
    ['Task timed out after 30.03 seconds', '2026-11-02T10:11:12Z ERROR Task timed out after 29.98 seconds RequestId: 8f3a-11ee'],
    ['Connection refused to db-7.internal:5432', 'connection refused to db-12.internal:5433 after 3 retries'],
    ['ERROR OutOfMemoryError: Java heap space in worker-3', 'java.lang.OutOfMemoryError: Java heap space (worker 9)'],
    ['INFO starting job 42\nERROR disk full on /var/lib/data\nINFO retry in 5s', 'ERROR disk full on /var/lib/data'],
    ['upstream connect error: connection reset by peer', 'connection reset by peer, upstream connect error'],
  ])('same failure: %j ~ %j', (a, b) => {
    expect(sim(a, b)).toBeGreaterThanOrEqual(0.7);
  });

  it.each([
    ['Lambda timeout after 30s', 'Lambda out of memory: Runtime exited with signal: killed'],
    ['Connection refused to db-7.internal:5432', 'Connection refused to cache-3.internal:6379 (redis)'],
    ['ERROR disk full on /var/lib/data', 'ERROR permission denied on /var/lib/data'],
    ['npm ERR! test failed: 3 failing tests', 'npm ERR! lint failed: 12 problems (eslint)'],
  ])('different failures: %j vs %j', (a, b) => {
    expect(sim(a, b)).toBeLessThan(0.7);
  });

  it('ignores ids, numbers, timestamps and word order in the key', () => {
    expect(fingerprint('2026-01-01T00:00:00Z req=ab12 Lambda timeout after 30s').key).toBe(fingerprint('Lambda timeout 45 seconds').key);
  });

  it('keeps the failure lines, not the context, in the template', () => {
    const fp = fingerprint('INFO GET /health 200\nERROR Task timed out after 30.03 seconds\nINFO shutting down');
    expect(fp.template).toBe('ERROR Task timed out after <*> seconds');
  });

  it('is in [0, 1] and 0 for empty term sets', () => {
    expect(similarity([], ['a'])).toBe(0);
    expect(similarity(['a', 'b'], ['a', 'b'])).toBe(1);
  });
});

const inc = (id: number, status: 'open' | 'resolved', terms: string[], resolvedAt?: string): IncidentRecord => ({
  id, service: 's', status, template: '', terms, title: '', createdAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:00:00.000Z', occurrences: 1, runbooks: [], resolvedAt,
});

describe('decide', () => {
  const terms = ['lambda', 'timeout'];
  it.each([
    ['no candidates → new', [], 'new', undefined],
    ['open match → existing', [{ incident: inc(1, 'open', terms), shared: 2 }], 'existing', 1],
    ['resolved match → regression', [{ incident: inc(2, 'resolved', terms, '2026-02-01') }].map((c) => ({ ...c, shared: 2 })), 'regression', 2],
    ['open wins over resolved', [{ incident: inc(2, 'resolved', terms), shared: 2 }, { incident: inc(3, 'open', terms), shared: 2 }], 'existing', 3],
    ['latest resolution wins a tie', [{ incident: inc(4, 'resolved', terms, '2026-01-05'), shared: 2 }, { incident: inc(5, 'resolved', terms, '2026-03-05'), shared: 2 }], 'regression', 5],
    ['below threshold → new', [{ incident: inc(6, 'open', ['lambda', 'memory', 'kill', 'signal']), shared: 1 }], 'new', undefined],
  ] as const)('%s', (_name, candidates, status, id) => {
    const d = decide(terms, (candidates as unknown as Array<{ incident: IncidentRecord; shared: number }>).map((c) => ({ ...c, nterms: c.incident.terms.length })), 0.7);
    expect(d.status).toBe(status);
    expect(d.match?.id).toBe(id);
  });
});

describe('report text checks', () => {
  it.each([[''], ['  \n\t '], ['abc\u0000\u0000def'], ['\u0001\u0002\u0003\u0004 binary']])('refuses %j', (t) => {
    expect(() => checkReportText(t, '--log')).toThrow(/empty|binary/);
  });
  it.each([['INC-12', 12], ['inc-3', 3], ['7', 7]])('parses id %s', (raw, id) => expect(parseIncidentId(raw)).toBe(id));
  it.each([['INC-'], ['x'], ['INC-0']])('refuses id %s', (raw) => expect(() => parseIncidentId(raw)).toThrow(/not an incident id/));
});

describe('minShared (the stores skip signatures that cannot reach the threshold)', () => {
  it.each([
    [8, 0.7, 2], [4, 0.7, 1], [12, 0.7, 3], [8, 0.5, 1], [8, 0.9, 6], [1, 0.7, 1],
  ])('n=%i at %f → %i', (n, t, want) => {
    expect(minShared(n, t)).toBe(want);
    // Nothing below it can reach t, even a signature holding only the shared terms.
    if (want > 1) expect(similarityOf(want - 1, n, want - 1)).toBeLessThan(t);
    expect(similarityOf(want, n, want)).toBeGreaterThanOrEqual(t);
  });
});
