import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditFile, auditFilePath, parseAudit } from '../../../src/core/audit/log.js';
import { parseDuration, recordsSince } from '../../../src/core/audit/query.js';
import { AUDIT_SCHEMA, type AuditRecord } from '../../../src/core/audit/record.js';

const rec = (time: string, outcome = 'planned'): AuditRecord => ({
  schema: AUDIT_SCHEMA, id: 'r1', time, event: 'plan', user: 'alice', cluster: 'prod', service: 'web-api', approval: 'none', outcome, durationMs: 1,
});
const tmp = () => join(mkdtempSync(join(tmpdir(), 'opsctl-audit-')), 'sub', 'audit.jsonl');

describe('AuditFile', () => {
  it('appends one JSON line per record, creating the directory, keeping earlier lines byte for byte', () => {
    const path = tmp();
    const log = new AuditFile(path);
    log.append(rec('2025-01-01T00:00:00.000Z'));
    const first = readFileSync(path, 'utf8');
    log.append(rec('2025-01-02T00:00:00.000Z', 'dry-run'));
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith(first)).toBe(true);
    expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).outcome)).toEqual(['planned', 'dry-run']);
  });

  it('reports corrupt lines with their number, skips them, and leaves them in the file', () => {
    const path = tmp();
    const log = new AuditFile(path);
    log.append(rec('2025-01-01T00:00:00.000Z'));
    appendFileSync(path, '{"torn": tr\n{"schema":"x"}\n');
    log.append(rec('2025-01-03T00:00:00.000Z', 'completed'));
    const r = log.read();
    expect(r.records.map((x) => x.outcome)).toEqual(['planned', 'completed']);
    expect(r.corrupt.map((c) => c.line)).toEqual([2, 3]);
    expect(readFileSync(path, 'utf8')).toContain('{"torn": tr');
  });

  it('fences a torn last line (no newline) so the next record stays parseable', () => {
    const path = tmp();
    const log = new AuditFile(path);
    log.append(rec('2025-01-01T00:00:00.000Z'));
    appendFileSync(path, '{"half":');
    log.append(rec('2025-01-02T00:00:00.000Z', 'completed'));
    const r = log.read();
    expect(r.records.map((x) => x.outcome)).toEqual(['planned', 'completed']);
    expect(r.corrupt).toEqual([{ line: 2, error: expect.any(String) }]);
  });

  it('reads a missing file as empty and refuses to write where it cannot', () => {
    expect(new AuditFile(tmp()).read()).toEqual({ records: [], corrupt: [] });
    const dir = mkdtempSync(join(tmpdir(), 'opsctl-audit-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => new AuditFile(join(dir, 'file', 'audit.jsonl')).append(rec('2025-01-01T00:00:00Z'))).toThrow(/cannot write the audit log/);
  });
});

describe('auditFilePath', () => {
  it.each([
    { env: { OPSCTL_AUDIT_FILE: '/x/a.jsonl' }, want: '/x/a.jsonl' },
    { env: { XDG_STATE_HOME: '/state' }, want: '/state/opsctl/audit.jsonl' },
    { env: {}, want: '/home/al/.local/state/opsctl/audit.jsonl' },
  ])('$env → $want', ({ env, want }) => expect(auditFilePath(env, '/home/al')).toBe(want));
});

describe('query', () => {
  it.each([['7d', 604_800_000], ['10m', 600_000], ['90s', 90_000], ['2h', 7_200_000], ['1500', 1500], ['1.5h', 5_400_000]])('%s → %d', (t, ms) => {
    expect(parseDuration(t)).toBe(ms);
  });
  it.each(['', '7x', 'd', '-1d'])('rejects %j', (t) => expect(() => parseDuration(t, '--since')).toThrow(/--since/));

  it('keeps records inside the window, oldest first', () => {
    const now = new Date('2025-01-10T00:00:00Z');
    const rs = [rec('2025-01-09T00:00:00Z', 'b'), rec('2025-01-01T00:00:00Z', 'old'), rec('2025-01-08T00:00:00Z', 'a')];
    expect(recordsSince(rs, parseDuration('7d'), now).map((r) => r.outcome)).toEqual(['a', 'b']);
    expect(recordsSince(rs, undefined, now)).toHaveLength(3);
  });

  it('parseAudit ignores blank lines', () => {
    expect(parseAudit(`\n${JSON.stringify(rec('2025-01-01T00:00:00Z'))}\n\n`).records).toHaveLength(1);
  });
});
