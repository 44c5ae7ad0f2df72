import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { auditFilePath } from '../../src/core/audit/log.js';
import { runOpsctl, tempDirs } from '../helpers/cli.js';

// The `auditFile` config key (added with triage): the user's own config may set the audit log, a project's
// ./opsctl.config.json may not (issue 13); OPSCTL_AUDIT_FILE still wins.
const tmp = tempDirs('opsctl-auditcfg-');
afterAll(() => tmp.cleanup());

function userConfig(home: string, value: object): void {
  mkdirSync(join(home, '.config', 'opsctl'), { recursive: true });
  writeFileSync(join(home, '.config', 'opsctl', 'config.json'), JSON.stringify(value));
}

describe('auditFile config key', () => {
  it.each([
    { env: { OPSCTL_AUDIT_FILE: '/env/a.jsonl' }, configured: '/cfg/a.jsonl', want: '/env/a.jsonl' },
    { env: {}, configured: '/cfg/a.jsonl', want: '/cfg/a.jsonl' },
    { env: { XDG_STATE_HOME: '/state' }, configured: '/cfg/a.jsonl', want: '/cfg/a.jsonl' },
    { env: { XDG_STATE_HOME: '/state' }, configured: undefined, want: '/state/opsctl/audit.jsonl' },
  ])('auditFilePath($env, $configured) → $want', ({ env, configured, want }) => {
    expect(auditFilePath(env, '/home/al', configured)).toBe(want);
  });

  it('loadConfig reads auditFile from the user config, not from ./opsctl.config.json; OPSCTL_AUDIT_FILE overrides it', async () => {
    const cwd = await tmp.make();
    writeFileSync(join(cwd, 'opsctl.config.json'), JSON.stringify({ auditFile: 'logs/project.jsonl' }));
    expect(loadConfig({ cwd, env: { HOME: cwd } }).auditFile).toBeUndefined();
    userConfig(cwd, { auditFile: 'logs/audit.jsonl' });
    expect(loadConfig({ cwd, env: { HOME: cwd } }).auditFile).toBe('logs/audit.jsonl');
    expect(loadConfig({ cwd, env: { HOME: cwd, OPSCTL_AUDIT_FILE: '/elsewhere.jsonl' } }).auditFile).toBe('/elsewhere.jsonl');
    userConfig(cwd, { auditFile: 42 });
    expect(() => loadConfig({ cwd, env: { HOME: cwd } })).toThrow(/auditFile must be a string/);
  });

  it('opsctl audit list reads the file the user config names (relative to the working directory)', async () => {
    const cwd = await tmp.make();
    userConfig(cwd, { auditFile: 'team-audit.jsonl' });
    const record = { time: new Date().toISOString(), event: 'plan', outcome: 'dry-run', user: 'al', cluster: 'prod', service: 'web-api', from: 'web-api:4', to: 'web-api:2' };
    writeFileSync(join(cwd, 'team-audit.jsonl'), `${JSON.stringify(record)}\n`);
    const r = await runOpsctl(['audit', 'list', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.file).toBe(join(cwd, 'team-audit.jsonl'));
    expect(j.records.map((x: { service: string }) => x.service)).toEqual(['web-api']);
    const withEnv = await runOpsctl(['audit', 'list', '--json'], { cwd, env: { OPSCTL_AUDIT_FILE: join(cwd, 'env.jsonl') } });
    expect(JSON.parse(withEnv.stdout)).toMatchObject({ file: join(cwd, 'env.jsonl'), records: [] });
    expect(existsSync(join(cwd, 'env.jsonl'))).toBe(false);
  });
});
