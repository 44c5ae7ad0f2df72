import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import { makeIo, runOpsctl } from '../helpers/cli.js';

const OSC = '\x1b]0;pwned\x07';
// eslint-disable-next-line no-control-regex -- the property under test
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('untrusted text on other paths to the terminal', () => {
  it('logs reduce: control bytes in log lines never reach the terminal raw, in a pipe neither (shown as markers)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsctl-term-paths-'));
    writeFileSync(join(cwd, 'app.log'), `2024-01-01 ERROR request failed ${OSC}\n2024-01-01 INFO ok\n`);
    const tty = makeIo({ cwd });
    Object.assign(tty.io.stdout, { isTTY: true });
    expect(await runCli(['logs', 'reduce', 'app.log'], defaultDeps(), tty.io)).toBe(0);
    expect(tty.stdout()).toContain('request failed ␛]0;pwned␇');
    expect(tty.stdout()).not.toMatch(CONTROL);
    // Issue 17: control bytes are text shown with a marker, so a pipe gets the visible form too.
    const piped = await runOpsctl(['logs', 'reduce', 'app.log'], { cwd });
    expect(piped.stdout).toContain('request failed ␛]0;pwned␇');
    expect(piped.stdout).not.toMatch(CONTROL);
  });

  it('error messages quoting user or AWS text are sanitised on stderr', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsctl-term-paths-'));
    const r = await runOpsctl(['logs', 'reduce', `missing${OSC}.log`], { cwd });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('missing␛]0;pwned␇.log');
    expect(r.stderr).not.toMatch(CONTROL);
  });
});
