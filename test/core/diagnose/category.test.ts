import { describe, expect, it } from 'vitest';
import { categorize, matchLine } from '../../../src/core/diagnose/category.js';

describe('categorize: one line per case', () => {
  const table: Array<[string, string]> = [
    ["Error: Cannot find module 'left-pad'", 'dependency'],
    ["ModuleNotFoundError: No module named 'requests'", 'dependency'],
    ['npm ERR! code E404 npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fui', 'dependency'],
    ['Caused by: java.lang.ClassNotFoundException: org.postgresql.Driver', 'dependency'],
    ["mkdir: cannot create directory '/var/www': Permission denied", 'permission'],
    ['An error occurred (AccessDenied) when calling the PutObject operation: Access Denied', 'permission'],
    ['Error: EACCES: permission denied, open /etc/app.conf', 'permission'],
    ['ReadTimeout: request timed out after 30000 ms', 'timeout'],
    ['rpc error: code = DeadlineExceeded desc = context deadline exceeded', 'timeout'],
    ['Task timed out after 15.02 seconds', 'timeout'],
    ['java.lang.OutOfMemoryError: Java heap space', 'oom'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'oom'],
    ['Last State: Terminated Reason: OOMKilled Exit Code: 137', 'oom'],
    ['Error: missing required environment variable DATABASE_URL', 'config'],
    ['YAMLException: bad indentation of a mapping entry (12:3)', 'config'],
    ['invalid value "abc" for flag -port: parse error', 'config'],
    ['Tests: 3 failed, 41 passed, 44 total', 'test-failure'],
    ["AssertionError: expected 200 to equal 404", 'test-failure'],
    ['  2 failing', 'test-failure'],
    ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'network'],
    ['getaddrinfo ENOTFOUND db.internal', 'network'],
    ['curl: (6) Could not resolve host: api.example.com', 'network'],
    ['x509: certificate has expired or is not yet valid', 'network'],
    ['dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: server misbehaving', 'network'],
    ['Get "https://proxy.golang.org/": dial tcp: lookup proxy.golang.org: no such host', 'network'],
    ['read tcp 10.0.3.17:51234->10.0.9.2:443: i/o timeout', 'timeout'],
    ['##[error]The job running on runner r-12 has exceeded the maximum execution time of 360 minutes.', 'timeout'],
  ];
  it.each(table)('%s → %s', (line, want) => {
    expect(matchLine(line)?.category).toBe(want);
    expect(categorize([{ text: line }]).category).toBe(want);
  });

  it('says unknown when no family matches, with no confidence', () => {
    const v = categorize([{ text: 'INFO GET /healthz 200 2ms' }, { text: 'service started' }]);
    expect(v).toEqual({ category: 'unknown', scores: {}, confidence: 0 });
  });

  it('weighs lines by their reduce score: one anomalous OOM line beats a context line that merely times out', () => {
    const v = categorize([
      { text: 'java.lang.OutOfMemoryError: Java heap space', score: 0.9 },
      { text: 'upstream timed out', score: 0.05 },
    ]);
    expect(v.category).toBe('oom');
    expect(v.confidence).toBeGreaterThan(0.5);
    expect(v.scores.timeout).toBeGreaterThan(0);
  });

  it('counts votes over many lines: three permission lines beat one network line', () => {
    const lines = ['Permission denied', 'EACCES: permission denied', 'Access Denied', 'connection refused'].map((text) => ({ text }));
    expect(categorize(lines).category).toBe('permission');
  });
});
