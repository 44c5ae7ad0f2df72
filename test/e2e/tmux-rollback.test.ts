import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { hasMoto, type Moto } from '../helpers/moto.js';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const built = existsSync(join(ROOT, 'dist/commands/rollback.js'));
if (!hasTmux) console.warn('skipping the tmux rollback test: tmux is not installed');
else if (!built) console.warn('skipping the tmux rollback test: dist/ is not built (run `npm run build`)');

// A private tmux server (its own socket), so the test never touches the user's sessions.
let SOCKET = '';
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', SOCKET, ...args], { encoding: 'utf8' });
let session = '';
const screen = () => tmux('capture-pane', '-p', '-t', session);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
}

describe.skipIf(!hasMoto || !hasTmux || !built)('the y/N gate in a real terminal (tmux)', () => {
  let moto: Moto;
  let auditFile: string;

  beforeAll(async () => {
    SOCKET = join(mkdtempSync(join(tmpdir(), 'opsctl-tmux-sock-')), 'tmux.sock');
    moto = await startSeededMoto();
    auditFile = join(mkdtempSync(join(tmpdir(), 'opsctl-tmux-')), 'audit.jsonl');
  });
  afterAll(async () => {
    spawnSync('tmux', ['-S', SOCKET, 'kill-server'], { stdio: 'ignore' });
    rmSync(dirname(SOCKET), { recursive: true, force: true });
    await moto?.stop();
  });

  /** Runs the built binary in a fresh 120x40 pane and waits for the prompt. */
  async function startRollback(): Promise<void> {
    // A new session per run: killing the only session would make the server exit under the next command.
    session = `rb${Date.now()}`;
    const env = { ...moto.env, OPSCTL_AUDIT_FILE: auditFile };
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const cmd = 'env -u CI node bin/opsctl.js rollback --cluster prod --service web-api --poll 200ms --reason tmux; echo "[exit $?]"; sleep 120';
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', ROOT, ...envArgs, cmd);
    await until(() => screen().includes('[y/N]'), 'the y/N prompt');
  }

  it('Enter answers no and changes nothing; y Enter rolls back', async () => {
    await startRollback();
    expect(screen()).toContain('Roll back web-api to web-api:2? [y/N]');
    tmux('send-keys', '-t', session, 'Enter');
    await until(() => screen().includes('[exit'), 'opsctl to exit');
    expect(screen()).toContain('not rolled back');
    expect(screen()).toContain('[exit 9]');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });

    await startRollback();
    tmux('send-keys', '-t', session, 'y', 'Enter');
    await until(() => screen().includes('[exit'), 'opsctl to exit');
    expect(screen()).toContain('web-api rolled back to web-api:2');
    expect(screen()).toContain('[exit 0]');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:2', desired: 2 });

    const trail = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => `${r.event}:${r.outcome}:${r.approval}`);
    expect(trail).toEqual(['plan:planned:none', 'decision:declined:tty', 'plan:planned:none', 'decision:approved:tty', 'outcome:completed:tty']);
  });
});
