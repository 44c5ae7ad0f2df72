import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import { EXIT } from '../../src/core/errors.js';
import { estimateTokens } from '../../src/core/logs/tokens.js';
import { makeIo, runOpsctl, tempDirs } from '../helpers/cli.js';

const FIXTURE = resolve('test/fixtures/logs/bgl-1701-1900.log');
const dirs = tempDirs('opsctl-logs-e2e-');
// The process-substitution case runs the built CLI under bash (npm test builds first).
const built = existsSync(resolve('dist/bundle/main.js'));
if (!built) console.warn('skipping the process-substitution logs test: dist/ is not built (run `npm run build`)');
let cwd = '';

beforeAll(async () => {
  cwd = await dirs.make();
  copyFileSync(FIXTURE, join(cwd, 'bgl.log'));
  writeFileSync(join(cwd, 'empty.log'), '');
  writeFileSync(join(cwd, 'blob.bin'), Buffer.from([1, 2, 0, 3, 10]));
});
afterAll(() => dirs.cleanup());

describe('opsctl logs reduce', () => {
  it('reduces a file to plain text within the budget, without escape codes', async () => {
    const r = await runOpsctl(['logs', 'reduce', 'bgl.log', '--budget', '800'], { cwd });
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/^# opsctl logs reduce: kept \d+ of 200 lines/);
    expect(r.stdout).toMatch(/^@@ bgl\.log:\d+(-\d+)? \d\.\d\d /m);
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false);
    expect(estimateTokens(r.stdout)).toBeLessThanOrEqual(800);
  });

  it('prints the documented JSON schema with --json', async () => {
    const r = await runOpsctl(['logs', 'reduce', 'bgl.log', '--ratio', '0.1', '--json'], { cwd });
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 'opsctl.logs.reduce/v1', input: { lines: 200 }, estimator: 'max(ceil(chars/4),runs)' });
    expect(doc.used).toBeLessThanOrEqual(doc.budget);
    expect(estimateTokens(r.stdout)).toBeLessThanOrEqual(doc.budget);
    expect(doc.blocks[0]).toEqual(expect.objectContaining({ source: 'bgl.log', start: expect.any(Number), lines: expect.any(Array), repeats: expect.any(Array) }));
    expect(doc.blocks[0].lines.length).toBe(doc.blocks[0].end - doc.blocks[0].start + 1);
  });

  it.skipIf(!built)('reads a pipe given as a file (process substitution) whole, though it can be read only once', async () => {
    const bin = resolve('bin/opsctl.js');
    const r = spawnSync('bash', ['-c', `node ${bin} logs reduce <(cat bgl.log) --ratio 0.2 --json`], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(r.status).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout);
    expect(doc.input.lines).toBe(200);
    expect(doc.kept).toBeGreaterThan(0);
    expect(doc.blocks[0].source).toMatch(/^\/dev\/fd\/\d+$/);
  });

  it('reads stdin with -', async () => {
    const { io, stdout } = makeIo({ cwd });
    const stdin = new PassThrough();
    stdin.end('INFO started\nINFO ready\nERROR payment service: connection refused\nINFO ready\n');
    io.stdin = Object.assign(stdin, { isTTY: false });
    const code = await runCli(['logs', 'reduce', '-', '--budget', '200'], defaultDeps(), io);
    expect(code).toBe(EXIT.OK);
    expect(stdout()).toContain('@@ stdin:');
    expect(stdout()).toContain('ERROR payment service: connection refused');
  });

  it('reads a crash log with a NUL byte from stdin as text, with the NUL marked', async () => {
    const { io, stdout } = makeIo({ cwd });
    const stdin = new PassThrough();
    stdin.end(Buffer.concat([Buffer.from('INFO started\n'), Buffer.alloc(1), Buffer.from('ERROR disk corrupted after unclean shutdown\nINFO ready\n')]));
    io.stdin = Object.assign(stdin, { isTTY: false });
    const code = await runCli(['logs', 'reduce', '-', '--budget', '200'], defaultDeps(), io);
    expect(code).toBe(EXIT.OK);
    expect(stdout()).toContain('␀ERROR disk corrupted after unclean shutdown');
  });

  it('takes --baseline and --tokenizer o200k (the header names the tokenizer)', async () => {
    writeFileSync(join(cwd, 'good.log'), 'INFO started\nINFO ready\n'.repeat(50));
    writeFileSync(join(cwd, 'bad.log'), `${'INFO started\nINFO ready\n'.repeat(50)}INFO feature flag checkout-v2 enabled\n`);
    const r = await runOpsctl(['logs', 'reduce', 'bad.log', '--baseline', 'good.log', '--tokenizer', 'o200k', '--budget', '100'], { cwd });
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/tokens \(o200k\)/);
    expect(r.stdout).toMatch(/^@@ bad\.log:\d+-101 \d\.\d\d new/m);
  });

  it.each([
    [['bgl.log', '--tokenizer', 'p50k'], EXIT.USAGE, /--tokenizer must be one of o200k, cl100k, estimate/],
    [['bgl.log', '--baseline', 'nope.log'], EXIT.INPUT, /nope\.log: no such file/],
    [['empty.log'], EXIT.NO_MATCH, /nothing to reduce: empty\.log is empty/],
    [['blob.bin'], EXIT.INPUT, /blob\.bin: binary data/],
    [['missing.log'], EXIT.INPUT, /missing\.log: no such file/],
    [['bgl.log', '--budget', '5'], EXIT.USAGE, /below the \d+-token minimum/],
    [['bgl.log', '--budget', '100', '--ratio', '0.1'], EXIT.USAGE, /either --budget or --ratio/],
    [['bgl.log', '--ratio', '2'], EXIT.USAGE, /--ratio must be in \(0, 1\]/],
    [['bgl.log', '--since', '1h'], EXIT.USAGE, /apply to --log-group only/],
    [[], EXIT.USAGE, /no input/],
  ])('%j exits %d with a clear message', async (args, code, message) => {
    const r = await runOpsctl(['logs', 'reduce', ...args], { cwd });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
