import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { OpsctlError } from '../../src/core/errors.js';
import { runOpsctl, tempDirs } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-config-');
afterAll(() => tmp.cleanup());

/** A scratch home (user config under .config/opsctl) that is also the working directory. */
async function home(user?: object, project?: object): Promise<string> {
  const cwd = await tmp.make();
  if (user) {
    mkdirSync(join(cwd, '.config', 'opsctl'), { recursive: true });
    writeFileSync(join(cwd, '.config', 'opsctl', 'config.json'), JSON.stringify(user));
  }
  if (project) writeFileSync(join(cwd, 'opsctl.config.json'), JSON.stringify(project));
  return cwd;
}

function loadError(f: () => unknown): OpsctlError {
  try {
    f();
  } catch (e) {
    if (e instanceof OpsctlError) return e;
    throw e;
  }
  throw new Error('loadConfig did not fail');
}

describe('config values are checked against their bounds, wherever they come from', () => {
  it.each([
    ['llmTimeoutMs', -1, /llmTimeoutMs must be a whole number between 100 and 3600000 \(got -1\)/],
    ['llmTimeoutMs', 0, /llmTimeoutMs must be a whole number between 100 and 3600000 \(got 0\)/],
    ['llmTimeoutMs', 1e308, /llmTimeoutMs must be a whole number between 100 and 3600000 \(got 1e\+308\)/],
    ['llmTimeoutMs', 2.5, /whole number/],
    ['topK', 0, /topK must be a whole number between 1 and 100 \(got 0\)/],
    ['topK', 1000, /topK must be a whole number between 1 and 100/],
    ['minScore', -0.1, /minScore must be between 0 and 1 \(got -0\.1\)/],
    ['minScore', 7, /minScore must be between 0 and 1/],
    ['indexDir', '', /indexDir must not be empty/],
  ])('%s = %j in the project config → usage error naming the file', async (key, value, message) => {
    const cwd = await home(undefined, { [key]: value });
    const err = loadError(() => loadConfig({ cwd, env: { HOME: cwd } }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(join(cwd, 'opsctl.config.json'))).toBe(true);
  });

  it.each([
    ['OPSCTL_LLM_TIMEOUT_MS', '-1', /^OPSCTL_LLM_TIMEOUT_MS: llmTimeoutMs must be a whole number between 100 and 3600000 \(got -1\)/],
    ['OPSCTL_LLM_TIMEOUT_MS', '1e308', /got 1e\+308/],
    ['OPSCTL_LLM_TIMEOUT_MS', ' ', /^OPSCTL_LLM_TIMEOUT_MS: llmTimeoutMs must be a number/],
    ['OPSCTL_TOP_K', '0', /^OPSCTL_TOP_K: topK must be a whole number between 1 and 100/],
    ['OPSCTL_MIN_SCORE', '2', /^OPSCTL_MIN_SCORE: minScore must be between 0 and 1/],
  ])('%s=%j in the environment → usage error naming the variable', async (name, value, message) => {
    const cwd = await home();
    expect(loadError(() => loadConfig({ cwd, env: { HOME: cwd, [name]: value } })).message).toMatch(message);
  });

  it('accepts the values inside the bounds, at both ends', async () => {
    const cwd = await home({ llmTimeoutMs: 100, topK: 100, minScore: 0 }, { minScore: 1 });
    expect(loadConfig({ cwd, env: { HOME: cwd, OPSCTL_LLM_TIMEOUT_MS: '3600000' } })).toMatchObject({ llmTimeoutMs: 3_600_000, topK: 100, minScore: 1 });
  });

  it('a flag out of range is named as the flag', async () => {
    const cwd = await home();
    expect(loadError(() => loadConfig({ cwd, env: { HOME: cwd }, flags: { topK: '0' as never } })).message).toBe('--top must be a whole number between 1 and 100 (got 0)');
  });

  it('opsctl ask with llmTimeoutMs -1 refuses before doing anything (exit 2, one line and a hint)', async () => {
    const cwd = await home(undefined, { llmTimeoutMs: -1 });
    const r = await runOpsctl(['ask', 'disk full'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^opsctl: .*opsctl\.config\.json: llmTimeoutMs must be a whole number between 100 and 3600000 \(got -1\)\n {2}hint: the LLM request timeout in milliseconds/);
  });
});

describe('a config path that is not a readable JSON file is an error, not ignored', () => {
  it.each([
    ['a directory', (p: string) => mkdirSync(p, { recursive: true }), /the config path is a directory, not a JSON file/],
    ['a dangling symlink', (p: string) => symlinkSync(join(p, '..', 'gone.json'), p), /the config file is a link to nothing \(→ .*gone\.json\)/],
  ])('user config that is %s', async (_what, make, message) => {
    const cwd = await home();
    mkdirSync(join(cwd, '.config', 'opsctl'), { recursive: true });
    make(join(cwd, '.config', 'opsctl', 'config.json'));
    const err = loadError(() => loadConfig({ cwd, env: { HOME: cwd } }));
    expect(err.message).toMatch(message);
    expect(err.hint).toBe('fix or remove the config file');
  });

  it('project config that is a dangling symlink', async () => {
    const cwd = await home();
    symlinkSync('/nonexistent/opsctl.json', join(cwd, 'opsctl.config.json'));
    expect(loadError(() => loadConfig({ cwd, env: { HOME: cwd } })).message).toMatch(/opsctl\.config\.json: the config file is a link to nothing/);
  });

  it('a symlink to a real file is followed', async () => {
    const cwd = await home();
    writeFileSync(join(cwd, 'real.json'), JSON.stringify({ topK: 7 }));
    symlinkSync(join(cwd, 'real.json'), join(cwd, 'opsctl.config.json'));
    expect(loadConfig({ cwd, env: { HOME: cwd } }).topK).toBe(7);
  });
});

describe('redact and auditFile: only from the user config, the environment or a flag', () => {
  it('./opsctl.config.json cannot turn redaction off or move the audit log; each is named in a warning', async () => {
    const cwd = await home(undefined, { redact: false, auditFile: '/tmp/elsewhere.jsonl', topK: 3 });
    const lines: string[] = [];
    const config = loadConfig({ cwd, env: { HOME: cwd }, warn: (l) => lines.push(l) });
    expect(config.redact).toBe(true);
    expect(config.auditFile).toBeUndefined();
    expect(config.topK).toBe(3);
    expect(lines).toEqual([
      expect.stringMatching(/^opsctl: warning: ignoring redact in .*opsctl\.config\.json: a project's config may not set it; use .*\.config\/opsctl\/config\.json, OPSCTL_REDACT or a flag\n$/),
      expect.stringMatching(/^opsctl: warning: ignoring auditFile in .*opsctl\.config\.json: .*OPSCTL_AUDIT_FILE/),
    ]);
  });

  it.each([
    ['the user config', { user: { redact: false } }, /redact: false from .*\.config\/opsctl\/config\.json/],
    ['the environment', { env: { OPSCTL_REDACT: 'false' } }, /redact: false from OPSCTL_REDACT/],
    ['a flag', { flags: { redact: false } }, /redact: false from a flag/],
  ])('redact: false from %s is honoured, and said on stderr every time', async (_from, how: { user?: object; env?: Record<string, string>; flags?: object }, origin) => {
    const cwd = await home(how.user);
    for (let i = 0; i < 2; i++) {
      const lines: string[] = [];
      const config = loadConfig({ cwd, env: { HOME: cwd, ...how.env }, flags: how.flags, warn: (l) => lines.push(l) });
      expect(config.redact).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^opsctl: warning: redaction is off /);
      expect(lines[0]).toMatch(origin);
    }
  });

  it('the user config sets auditFile', async () => {
    const cwd = await home({ auditFile: '/var/log/opsctl.jsonl' });
    expect(loadConfig({ cwd, env: { HOME: cwd } }).auditFile).toBe('/var/log/opsctl.jsonl');
  });

  it('through the CLI: the warnings reach stderr of that run', async () => {
    const cwd = await home(undefined, { redact: false });
    const r = await runOpsctl(['ask', 'disk full'], { cwd });
    expect(r.stderr).toMatch(/^opsctl: warning: ignoring redact in .*opsctl\.config\.json/m);
    expect(r.stderr).not.toMatch(/redaction is off/);
    const off = await runOpsctl(['ask', 'disk full'], { cwd, env: { OPSCTL_REDACT: '0' } });
    expect(off.stderr).toMatch(/^opsctl: warning: redaction is off \(redact: false from OPSCTL_REDACT\)/m);
  });
});
