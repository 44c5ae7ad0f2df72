import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { hasMoto, type Moto } from '../helpers/moto.js';
import { hasTmux, Terminal } from '../helpers/terminal.js';

const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/commands/rollback.js'));
if (!hasTmux) console.warn('skipping the tmux rollback test: tmux is not installed');
else if (!built) console.warn('skipping the tmux rollback test: dist/ is not built (run `npm run build`)');

describe.skipIf(!hasMoto || !hasTmux || !built)('the y/N gate in a real terminal (tmux)', () => {
  const term = new Terminal(`opsctl-rollback-test-${process.pid}`);
  let moto: Moto;
  let auditFile: string;

  beforeAll(async () => {
    moto = await startSeededMoto();
    auditFile = join(mkdtempSync(join(tmpdir(), 'opsctl-tmux-')), 'audit.jsonl');
  });
  afterAll(async () => {
    term.close();
    await moto?.stop();
  });

  /** Runs the built binary in a fresh 120x40 pane and waits for the prompt. */
  async function startRollback(): Promise<void> {
    const cmd = 'env -u CI node bin/opsctl.js rollback --cluster prod --service web-api --poll 200ms --reason tmux; echo "[exit $?]"; sleep 120';
    term.start(cmd, { cwd: ROOT, env: { ...moto.env, OPSCTL_AUDIT_FILE: auditFile } });
    await term.until((screen) => screen.includes('[y/N]'), 'the y/N prompt');
  }

  it('Enter answers no and changes nothing; y Enter rolls back', async () => {
    await startRollback();
    expect(term.screen()).toContain('Roll back web-api to web-api:2? [y/N]');
    term.press('Enter');
    await term.until((screen) => screen.includes('[exit'), 'opsctl to exit');
    expect(term.screen()).toContain('not rolled back');
    expect(term.screen()).toContain('[exit 9]');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });

    await startRollback();
    term.press('y', 'Enter');
    await term.until((screen) => screen.includes('[exit'), 'opsctl to exit');
    expect(term.screen()).toContain('web-api rolled back to web-api:2');
    expect(term.screen()).toContain('[exit 0]');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:2', desired: 2 });

    const trail = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => `${r.event}:${r.outcome}:${r.approval}`);
    expect(trail).toEqual(['plan:planned:none', 'decision:declined:tty', 'plan:planned:none', 'decision:approved:tty', 'outcome:completed:tty']);
  });
});
