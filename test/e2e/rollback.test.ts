import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import type { Io } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import type { AuditRecord } from '../../src/core/audit/record.js';
import { EXIT } from '../../src/core/errors.js';
import { currentTaskDef, setTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { hasMoto, useEnv, type Moto } from '../helpers/moto.js';

// eslint-disable-next-line no-control-regex -- stripping terminal escape codes is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** An in-process terminal (or pipe): stdout/stderr captured, stdin writable by the test. */
function makeIo(tty: boolean, env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => Object.assign(new Writable({ write(c, _e, cb) { into.push(String(c)); cb(); } }), { isTTY: tty, columns: 100 });
  const stdin = Object.assign(new PassThrough(), { isTTY: tty, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const io: Io = { stdout: sink(out), stderr: sink(err), stdin, env: { ...env }, cwd: tmpdir(), signal: new AbortController().signal };
  return { io, stdin, stdout: () => out.join('').replace(ANSI, ''), stderr: () => err.join('').replace(ANSI, '') };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!hasMoto)('opsctl rollback against moto (in-process)', () => {
  let moto: Moto;
  let restore: () => void;
  let auditFile: string;
  let env: Record<string, string>;
  const base = ['rollback', '--cluster', 'prod', '--service', 'web-api', '--poll', '100ms'];
  const audit = (): AuditRecord[] => readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const trail = () => audit().map((r) => `${r.event}:${r.outcome}:${r.approval}`);

  beforeAll(async () => {
    moto = await startSeededMoto();
    restore = useEnv(moto.env); // the SDK reads credentials, region and endpoint from process.env
  });
  afterAll(async () => {
    restore?.();
    await moto?.stop();
  });
  beforeEach(async () => {
    await setTaskDef(moto, 'web-api:4');
    auditFile = join(mkdtempSync(join(tmpdir(), 'opsctl-e2e-')), 'audit.jsonl');
    env = { ...moto.env, OPSCTL_AUDIT_FILE: auditFile, HOME: tmpdir() };
  });

  it('--dry-run prints the plan (env names, never values) and changes nothing', async () => {
    const t = makeIo(false, env);
    expect(await runCli([...base, '--dry-run'], defaultDeps(), t.io)).toBe(EXIT.OK);
    expect(t.stdout()).toContain('from web-api:4  →  to web-api:2');
    expect(t.stdout()).toContain('skipped (not ACTIVE): web-api:3');
    expect(t.stdout()).toContain('env removed: FEATURE_CHECKOUT_V2');
    expect(t.stdout()).not.toContain('secret-value-4');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
    expect(trail()).toEqual(['plan:dry-run:none']);
  });

  it('refuses without a terminal or --yes, says how, and changes nothing', async () => {
    const t = makeIo(false, env);
    expect(await runCli(base, defaultDeps(), t.io)).toBe(EXIT.ABORTED);
    expect(t.stderr()).toMatch(/no terminal.*\n.*--yes/);
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
    expect(trail()).toEqual(['plan:planned:none', 'decision:refused:none']);
  });

  it('--yes rolls back, keeps the desired count, and audits who, where and why', async () => {
    const t = makeIo(false, env);
    expect(await runCli([...base, '--yes', '--reason', 'bad deploy'], defaultDeps(), t.io)).toBe(EXIT.OK);
    expect(t.stdout()).toContain('web-api rolled back to web-api:2');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:2', desired: 2 });
    expect(trail()).toEqual(['plan:planned:none', 'decision:approved:--yes', 'outcome:completed:--yes']);
    const last = audit().at(-1) as AuditRecord;
    expect(last).toMatchObject({ cluster: 'prod', service: 'web-api', from: 'web-api:4', to: 'web-api:2', reason: 'bad deploy', account: '123456789012', region: 'us-east-1' });
    expect(last.caller).toMatch(/^arn:aws:sts::123456789012:/);
  });

  it('on a terminal, Enter means no', async () => {
    const t = makeIo(true, env);
    const run = runCli(base, defaultDeps(), t.io);
    await until(() => t.stdout().includes('[y/N]'), 'the prompt');
    t.stdin.write('\r');
    expect(await run).toBe(EXIT.ABORTED);
    expect(t.stdout()).toContain('Roll back web-api to web-api:2? [y/N]');
    expect(t.stdout()).toContain('not rolled back');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
    expect(trail()).toEqual(['plan:planned:none', 'decision:declined:tty']);
  });

  it('on a terminal, y Enter rolls back', async () => {
    const t = makeIo(true, env);
    const run = runCli(base, defaultDeps(), t.io);
    await until(() => t.stdout().includes('[y/N]'), 'the prompt');
    t.stdin.write('y');
    t.stdin.write('\r');
    expect(await run).toBe(EXIT.OK);
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:2', desired: 2 });
    expect(trail()).toEqual(['plan:planned:none', 'decision:approved:tty', 'outcome:completed:tty']);
  });

  it('aborts when the service changed while the plan was on screen', async () => {
    const t = makeIo(true, env);
    const run = runCli(base, defaultDeps(), t.io);
    await until(() => t.stdout().includes('[y/N]'), 'the prompt');
    await setTaskDef(moto, 'web-api:1'); // someone else deployed meanwhile
    t.stdin.write('y');
    t.stdin.write('\r');
    expect(await run).toBe(EXIT.ABORTED);
    expect(t.stderr()).toMatch(/changed since the plan was shown \(it now runs web-api:1/);
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:1', desired: 2 });
    expect(trail()).toEqual(['plan:planned:none', 'decision:approved:tty', 'outcome:aborted:tty']);
  });

  it('--json --yes --to prints the versioned outcome', async () => {
    const t = makeIo(false, env);
    expect(await runCli([...base, '--json', '--yes', '--to', 'web-api:1'], defaultDeps(), t.io)).toBe(EXIT.OK);
    const j = JSON.parse(t.stdout());
    expect(j).toMatchObject({ schema: 'opsctl.rollback/v1', outcome: 'completed', approval: '--yes', plan: { from: 'web-api:4', to: 'web-api:1' } });
    expect(audit().every((r) => r.id === j.id)).toBe(true);
  });

  it('names a missing service, exits AWS, and audits the refusal', async () => {
    const t = makeIo(false, env);
    expect(await runCli(['rollback', '--cluster', 'prod', '--service', 'nope', '--yes'], defaultDeps(), t.io)).toBe(EXIT.AWS);
    expect(t.stderr()).toContain('service nope not found in cluster prod');
    expect(trail()).toEqual(['plan:refused:none']);
  });

  it('audit list/export read back every record, reporting and keeping a corrupt line', async () => {
    await runCli([...base, '--dry-run'], defaultDeps(), makeIo(false, env).io);
    appendFileSync(auditFile, '{"not json\n');
    await runCli([...base, '--yes'], defaultDeps(), makeIo(false, env).io);
    const list = makeIo(false, env);
    expect(await runCli(['audit', 'list', '--since', '1d', '--json'], defaultDeps(), list.io)).toBe(EXIT.OK);
    const j = JSON.parse(list.stdout());
    expect(j.schema).toBe('opsctl.audit-export/v1');
    expect(j.records.map((r: AuditRecord) => r.outcome)).toEqual(['dry-run', 'planned', 'approved', 'completed']);
    expect(j.corrupt).toEqual([{ line: 2, error: expect.any(String) }]);
    expect(list.stderr()).toContain(`${auditFile}:2: unreadable audit line skipped`);
    expect(readFileSync(auditFile, 'utf8')).toContain('{"not json');
    const csv = makeIo(false, env);
    expect(await runCli(['audit', 'export', '--format', 'csv'], defaultDeps(), csv.io)).toBe(EXIT.OK);
    const rows = csv.stdout().trim().split('\r\n');
    expect(rows[0]).toBe('time,id,event,user,caller,account,region,cluster,service,from,to,reason,approval,outcome,detail,durationMs');
    expect(rows).toHaveLength(5);
  });
});
