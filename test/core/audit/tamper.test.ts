import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS, lineHash, verifyChain } from '../../../src/core/audit/chain.js';
import { AuditFile } from '../../../src/core/audit/log.js';
import { AUDIT_SCHEMA, type AuditRecord } from '../../../src/core/audit/record.js';
import { EXIT, type OpsctlError } from '../../../src/core/errors.js';
import { auditCsv } from '../../../src/output/audit-export.js';

const rec = (outcome: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  schema: AUDIT_SCHEMA, id: 'r1', time: '2025-01-01T00:00:00.000Z', event: 'plan', user: 'alice', cluster: 'prod', service: 'web-api', approval: 'none', outcome, durationMs: 1, ...extra,
});
const dir = () => mkdtempSync(join(tmpdir(), 'opsctl-audit-tamper-'));
const thrown = (f: () => unknown): OpsctlError => {
  try {
    f();
  } catch (e) {
    return e as OpsctlError;
  }
  throw new Error('expected a throw');
};
/** Three chained records in a fresh file. */
function threeRecords(): { path: string; lines: string[] } {
  const path = join(dir(), 'audit.jsonl');
  const log = new AuditFile(path);
  for (const o of ['planned', 'approved', 'completed']) log.append(rec(o));
  return { path, lines: readFileSync(path, 'utf8').split('\n').filter(Boolean) };
}

describe('audit log: symlinks refused (O_NOFOLLOW)', () => {
  it('refuses to append through a symlink, with a clear message and exit 4; the target is untouched', () => {
    const d = dir();
    const target = join(d, 'elsewhere.txt');
    writeFileSync(target, 'precious\n');
    symlinkSync(target, join(d, 'audit.jsonl'));
    const e = thrown(() => new AuditFile(join(d, 'audit.jsonl')).append(rec('planned')));
    expect(e.exitCode).toBe(EXIT.INPUT);
    expect(e.message).toMatch(/is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('a dangling symlink does not create its target', () => {
    const d = dir();
    const target = join(d, 'created-by-attacker.jsonl');
    symlinkSync(target, join(d, 'audit.jsonl'));
    const e = thrown(() => new AuditFile(join(d, 'audit.jsonl')).append(rec('planned')));
    expect(e.exitCode).toBe(EXIT.INPUT);
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(join(d, 'audit.jsonl')).isSymbolicLink()).toBe(true);
  });

  it('reading (list, export, verify) refuses a symlink too', () => {
    const d = dir();
    writeFileSync(join(d, 'real.jsonl'), '');
    symlinkSync(join(d, 'real.jsonl'), join(d, 'audit.jsonl'));
    expect(thrown(() => new AuditFile(join(d, 'audit.jsonl')).read()).exitCode).toBe(EXIT.INPUT);
  });
});

describe('audit log: hash chain', () => {
  it('each record carries the SHA-256 of the line before it; the first links to GENESIS', () => {
    const { path, lines } = threeRecords();
    expect(JSON.parse(lines[0]).prev).toBe(GENESIS);
    expect(JSON.parse(lines[1]).prev).toBe(lineHash(lines[0]));
    expect(JSON.parse(lines[2]).prev).toBe(lineHash(lines[1]));
    expect(new AuditFile(path).verify()).toEqual({ records: 3 });
  });

  it.each([
    ['an edited record', (ls: string[]) => [ls[0], ls[1].replace('"approved"', '"declined"'), ls[2]], 3],
    ['a removed record', (ls: string[]) => [ls[0], ls[2]], 2],
    ['two records swapped', (ls: string[]) => [ls[1], ls[0], ls[2]], 1],
    ['an inserted record', (ls: string[]) => [ls[0], JSON.stringify({ ...rec('approved'), prev: lineHash(ls[0]) }), ls[1], ls[2]], 3],
    ['a torn line', (ls: string[]) => [ls[0], ls[1].slice(0, 40), ls[2]], 2],
  ])('reports the first broken link after %s', (_name, tamper, line) => {
    const { path, lines } = threeRecords();
    writeFileSync(path, `${tamper(lines).join('\n')}\n`);
    expect(new AuditFile(path).verify().broken?.line).toBe(line);
  });

  it('a record appended after a torn line links to the torn line, so the rest of the file still verifies from there', () => {
    const text = '{"prev":"' + GENESIS + '","a":1}\n{"torn';
    const path = join(dir(), 'audit.jsonl');
    writeFileSync(path, text);
    new AuditFile(path).append(rec('planned'));
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(JSON.parse(lines[2]).prev).toBe(lineHash('{"torn'));
    expect(verifyChain(readFileSync(path, 'utf8')).broken).toEqual({ line: 2, reason: 'not valid JSON (a torn or edited line)' });
  });
});

describe('audit CSV export', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)', '\t=1'])('defuses a formula cell: %s', (reason) => {
    const csv = auditCsv([rec('planned', { reason })]);
    const row = csv.split('\r\n')[1];
    expect(row).toContain(`"'${reason.replace(/"/g, '""')}"`);
    expect(row).not.toMatch(/(^|,)[=+\-@\t]/);
  });

  it('leaves ordinary cells as they were', () => {
    expect(auditCsv([rec('planned', { reason: 'bad deploy, rolled back' })]).split('\r\n')[1]).toContain(',"bad deploy, rolled back",');
  });
});
