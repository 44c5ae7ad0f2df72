import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditFile } from '../../src/core/audit/log.js';
import { AUDIT_SCHEMA, type AuditRecord } from '../../src/core/audit/record.js';
import { EXIT } from '../../src/core/errors.js';
import { runOpsctl } from '../helpers/cli.js';

const rec = (outcome: string): AuditRecord => ({
  schema: AUDIT_SCHEMA, id: 'r1', time: new Date().toISOString(), event: 'plan', user: 'alice', cluster: 'prod', service: 'web-api', approval: 'none', outcome, durationMs: 1,
});
/** A fresh cwd with an audit file path in it (not created). */
function fresh(): { cwd: string; file: string; env: Record<string, string> } {
  const cwd = mkdtempSync(join(tmpdir(), 'opsctl-audit-cli-'));
  const file = join(cwd, 'state', 'audit.jsonl');
  return { cwd, file, env: { OPSCTL_AUDIT_FILE: file } };
}
const records = (file: string): AuditRecord[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('opsctl audit verify', () => {
  it('an intact chain: exit 0 and the record count', async () => {
    const { cwd, file, env } = fresh();
    const log = new AuditFile(file);
    for (const o of ['planned', 'approved', 'completed']) log.append(rec(o));
    const r = await runOpsctl(['audit', 'verify'], { cwd, env });
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(`${file}: 3 records, hash chain intact\n`);
  });

  it('an edited line: the first broken link, exit 12 (text and JSON)', async () => {
    const { cwd, file, env } = fresh();
    const log = new AuditFile(file);
    for (const o of ['planned', 'declined', 'planned']) log.append(rec(o));
    writeFileSync(file, readFileSync(file, 'utf8').replace('"declined"', '"approved"'));
    const text = await runOpsctl(['audit', 'verify'], { cwd, env });
    expect(text.code).toBe(EXIT.GATE);
    expect(text.stderr).toMatch(new RegExp(`^opsctl: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: hash chain broken: "prev" does not match the line before it: line 2 was changed`));
    const json = await runOpsctl(['audit', 'verify', '--json'], { cwd, env });
    expect(json.code).toBe(EXIT.GATE);
    expect(JSON.parse(json.stdout)).toMatchObject({ schema: 'opsctl.audit-verify/v1', ok: false, records: 3, broken: { line: 3 } });
  });

  it('a symlinked audit file is refused with exit 4 by list and verify', async () => {
    const { cwd, env } = fresh();
    const d = mkdtempSync(join(tmpdir(), 'opsctl-audit-link-'));
    symlinkSync(join(d, 'nowhere.jsonl'), join(d, 'audit.jsonl'));
    for (const args of [['audit', 'verify'], ['audit', 'list']]) {
      const r = await runOpsctl(args, { cwd, env: { ...env, OPSCTL_AUDIT_FILE: join(d, 'audit.jsonl') } });
      expect(r.code).toBe(EXIT.INPUT);
      expect(r.stderr).toMatch(/is a symbolic link/);
    }
    expect(existsSync(join(d, 'nowhere.jsonl'))).toBe(false);
  });
});

describe('rollback runs refused on their flags are audited (today: no record)', () => {
  it.each([
    ['a bad --timeout', ['--cluster', 'prod', '--service', 'web-api', '--timeout', 'soon'], /--timeout: not a duration/],
    ['a bad --poll', ['--cluster', 'prod', '--service', 'web-api', '--poll', '-1'], /--poll: not a duration/],
    ['a missing --service', ['--cluster', 'prod', '--yes'], /required option '--service <name>' not specified/],
    ['an unknown option', ['--cluster', 'prod', '--service', 'web-api', '--yes-please'], /unknown option '--yes-please'/],
  ])('%s: usage error (exit 2) and a "refused" plan record', async (_name, args, detail) => {
    const { cwd, file, env } = fresh();
    const r = await runOpsctl(['rollback', ...args, '--reason', 'flags test'], { cwd, env });
    expect(r.code).toBe(EXIT.USAGE);
    const [only, ...rest] = records(file);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ event: 'plan', outcome: 'refused', approval: 'none', cluster: 'prod', detail: expect.stringMatching(detail) });
    expect(new AuditFile(file).verify().broken).toBeUndefined();
  });

  it('a configuration that does not load (bad OPSCTL_* value) still leaves a record', async () => {
    const { cwd, file, env } = fresh();
    const r = await runOpsctl(['rollback', '--cluster', 'prod', '--service', 'web-api', '--yes'], { cwd, env: { ...env, OPSCTL_LLM: 'bogus' } });
    expect(r.code).toBe(EXIT.USAGE);
    expect(records(file)).toEqual([expect.objectContaining({ outcome: 'refused', cluster: 'prod', service: 'web-api', detail: expect.stringMatching(/OPSCTL_LLM|llm/) })]);
  });

  it('another command\'s usage error writes no rollback record', async () => {
    const { cwd, file, env } = fresh();
    expect((await runOpsctl(['audit', 'export', '--format', 'xml'], { cwd, env })).code).toBe(EXIT.USAGE);
    expect((await runOpsctl(['--bogus'], { cwd, env })).code).toBe(EXIT.USAGE);
    expect(existsSync(file)).toBe(false);
  });
});
