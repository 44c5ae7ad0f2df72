import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/core/audit/chain.js';
import { AuditFile } from '../../../src/core/audit/log.js';
import { AUDIT_SCHEMA, type AuditRecord } from '../../../src/core/audit/record.js';
import { EXIT, type OpsctlError } from '../../../src/core/errors.js';

const rec = (outcome: string): AuditRecord => ({
  schema: AUDIT_SCHEMA, id: 'r1', time: '2025-01-01T00:00:00.000Z', event: 'plan', user: 'alice', cluster: 'prod', service: 'web-api', approval: 'none', outcome, durationMs: 1,
});
const path = () => join(mkdtempSync(join(tmpdir(), 'opsctl-audit-lock-')), 'audit.jsonl');

describe('audit append lock', () => {
  it('a live lock held by another writer: a clear error, exit 4, after the wait (injected clock, no real waiting)', () => {
    const file = path();
    writeFileSync(`${file}.lock`, '');
    let t = Date.now();
    const log = new AuditFile(file, { waitMs: 1000, now: () => (t += 400) });
    let err: OpsctlError | undefined;
    try {
      log.append(rec('planned'));
    } catch (e) {
      err = e as OpsctlError;
    }
    expect(err?.exitCode).toBe(EXIT.INPUT);
    expect(err?.message).toMatch(/is locked by another opsctl/);
  });

  it('a stale lock left by a crash is removed and the record written', () => {
    const file = path();
    writeFileSync(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    new AuditFile(file).append(rec('planned'));
    expect(readFileSync(file, 'utf8')).toContain('"planned"');
  });

  it('four processes appending at once keep one intact chain', async () => {
    const file = path();
    const script = `import { AuditFile } from ${JSON.stringify(resolve('src/core/audit/log.ts'))};
const log = new AuditFile(process.argv[1]);
for (let i = 0; i < 30; i++) log.append({ schema: 'opsctl.audit/v1', id: process.argv[2], time: new Date().toISOString(), event: 'plan', user: 'u', cluster: 'c', service: 's', approval: 'none', outcome: 'planned', durationMs: i });`;
    const run = (id: string) =>
      new Promise<number>((done, fail) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, id], { stdio: ['ignore', 'ignore', 'inherit'] });
        p.on('error', fail);
        p.on('exit', (code) => done(code ?? -1));
      });
    expect(await Promise.all(['a', 'b', 'c', 'd'].map(run))).toEqual([0, 0, 0, 0]);
    const text = readFileSync(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(120);
    expect(verifyChain(text)).toEqual({ records: 120 });
  }, 120_000);
});
