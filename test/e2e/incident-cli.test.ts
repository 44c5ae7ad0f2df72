import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import { makeIo, runOpsctl, tempDirs } from '../helpers/cli.js';
import { freePort } from '../helpers/moto.js';

const dirs = tempDirs('opsctl-incident-');
afterAll(() => dirs.cleanup());

async function home() {
  const cwd = await dirs.make();
  const env = { XDG_STATE_HOME: join(cwd, 'state') };
  const run = (...argv: string[]) => runOpsctl(['incident', ...argv], { cwd, env });
  return { cwd, env, run, db: join(cwd, 'state', 'opsctl', 'incidents.db') };
}

describe('opsctl incident (SQLite at $XDG_STATE_HOME/opsctl/incidents.db)', () => {
  it('report → existing → resolve → regression, as text and JSON', async () => {
    const { run, db } = await home();
    const a = await run('report', '--service', 'web-api', '--log', 'Lambda timeout after 30s', '--json');
    expect(a.code).toBe(0);
    const ja = JSON.parse(a.stdout);
    expect(ja).toMatchObject({ schema: 'opsctl.incident/v1', status: 'new', incident: { id: 'INC-1', service: 'web-api', occurrences: 1 } });
    expect(existsSync(db)).toBe(true);
    const b = await run('report', '--service', 'web-api', '--log', 'Lambda timeout 30 seconds');
    expect(b.stdout).toMatch(/^seen before: INC-1 \(open since \d{4}-\d\d-\d\d\), 2 occurrences/);
    expect(JSON.parse((await run('report', '--service', 'other', '--log', 'Lambda timeout after 30s', '--json')).stdout).status).toBe('new');
    expect((await run('resolve', 'INC-1', '--resolution', 'rolling back web-api to :41', '--by', 'alice')).code).toBe(0);
    const again = await run('resolve', 'INC-1', '--resolution', 'x');
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/INC-1 is already resolved/);
    const c = await run('report', '--service', 'web-api', '--log', 'Lambda timeout after 31s');
    expect(c.stdout).toMatch(/^seen before: INC-1, 2 occurrences, resolved \d{4}-\d\d-\d\d by rolling back web-api to :41 — regression: opened INC-3/);
    const show = JSON.parse((await run('show', 'INC-3', '--json')).stdout);
    expect(show).toMatchObject({ incident: { id: 'INC-3', regressionOf: 'INC-1' }, previous: { id: 'INC-1', resolved: { by: 'alice', resolution: 'rolling back web-api to :41' } } });
    const list = JSON.parse((await run('list', '--status', 'open', '--service', 'web-api', '--json')).stdout);
    expect(list.incidents.map((i: { id: string }) => i.id)).toEqual(['INC-3']);
    expect((await run('note', 'INC-3', 'paged the db team', '--json')).code).toBe(0);
    expect((await run('show', 'INC-3')).stdout).toMatch(/paged the db team/);
    expect((await run('reopen', 'INC-1')).code).toBe(0);
    expect((await run('show', 'INC-77')).code).toBe(4);
    expect((await run('show', 'bogus')).code).toBe(2);
  });

  it('reads --log-file and stdin; refuses empty and binary input without storing anything', async () => {
    const { cwd, env, run, db } = await home();
    writeFileSync(join(cwd, 'f.log'), 'INFO boot\nERROR java.lang.OutOfMemoryError: Java heap space\nINFO bye\n');
    expect(JSON.parse((await run('report', '--service', 's', '--log-file', 'f.log', '--json')).stdout).incident.template).toBe('ERROR java.lang.OutOfMemoryError: Java heap space');
    const { io, stdout } = makeIo({ cwd, env });
    const stdin = new PassThrough();
    stdin.end('ERROR java.lang.OutOfMemoryError: Java heap space (worker 3)\n');
    const code = await runCli(['incident', 'report', '--service', 's', '-', '--json'], defaultDeps(), { ...io, stdin: Object.assign(stdin, { isTTY: false }) });
    expect(code).toBe(0);
    expect(JSON.parse(stdout()).status).toBe('existing');
    const empty = await run('report', '--service', 's', '--log', '   ');
    expect([empty.code, empty.stderr]).toEqual([4, expect.stringMatching(/nothing to report/)]);
    writeFileSync(join(cwd, 'bin.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0xff, 0xfe, 0, 0]));
    const bin = await run('report', '--service', 's', '--log-file', 'bin.dat');
    expect([bin.code, bin.stderr]).toEqual([4, expect.stringMatching(/binary/)]);
    expect((await run('report', '--service', 's', '--log-file', 'missing.log')).code).toBe(4);
    expect((await run('report', '--service', 's')).code).toBe(2);
    expect((await run('report', '--service', 's', '--log', 'x', '--threshold', '1.5')).code).toBe(2);
    expect(JSON.parse((await run('list', '--json')).stdout).count).toBe(1);
    expect(readFileSync(db).length).toBeGreaterThan(0);
  });

  it('export: JSON Lines and CSV with formula cells defused', async () => {
    const { run } = await home();
    await run('report', '--service', 'web', '--log', '=HYPERLINK("http://evil") failed to connect');
    await run('report', '--service', 'web', '--log', 'ERROR disk full, "quoted"');
    const jsonl = (await run('export', '--format', 'jsonl')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((j) => [j.schema, j.id])).toEqual([['opsctl.incident/v1', 'INC-1'], ['opsctl.incident/v1', 'INC-2']]);
    const csv = (await run('export', '--format', 'csv')).stdout.split('\n');
    expect(csv[0]).toMatch(/^id,service,status/);
    expect(csv[1]).toMatch(/,"'=HYPERLINK\(""[^,]*\) failed to connect"$/);
    expect(csv[2]).toMatch(/,"ERROR disk full, ""quoted"""$/);
    expect((await run('export', '--format', 'xml')).code).toBe(2);
  });

  it('ingest: one report a line, bad lines counted and named, the rest stored', async () => {
    const { cwd, run } = await home();
    const lines = [
      { service: 'a', text: 'Lambda timeout after 30s' },
      { service: 'a', text: 'Lambda timeout 31 seconds', at: '2026-11-01T00:00:00Z' },
      'not json',
      { service: 'a', text: '' },
      { service: 'b', text: 'ERROR disk full' },
    ];
    writeFileSync(join(cwd, 'r.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
    const r = await run('ingest', 'r.jsonl', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ reports: 3, new: 2, existing: 1, regression: 0, rejected: 2 });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/r\.jsonl:3: not valid JSON/);
    expect((await run('ingest', 'nope.jsonl')).code).toBe(4);
  });

  it('a damaged database file: exit 15, one line, the file untouched', async () => {
    const { run, db, cwd } = await home();
    await run('report', '--service', 's', '--log', 'ERROR disk full');
    const junk = Buffer.from('garbage '.repeat(1000));
    writeFileSync(db, junk);
    const r = await run('list');
    expect(r.code).toBe(15);
    expect(r.stderr.split('\n')[0]).toMatch(/^opsctl: .*incidents\.db: the incident database is damaged/);
    expect(readFileSync(db).equals(junk)).toBe(true);
    expect(cwd).toBeTruthy();
  });

  it('PostgreSQL down: exit 15, no silent switch to the local file', async () => {
    const { cwd, env, db } = await home();
    const port = await freePort();
    const r = await runOpsctl(['incident', 'report', '--service', 's', '--log', 'ERROR disk full'], { cwd, env: { ...env, OPSCTL_INCIDENTS_URL: `postgres://opsctl:pw@127.0.0.1:${port}/opsctl` } });
    expect(r.code).toBe(15);
    expect(r.stderr).toMatch(/cannot reach PostgreSQL/);
    expect(r.stderr).not.toContain(':pw@');
    expect(existsSync(db)).toBe(false);
  });
});
