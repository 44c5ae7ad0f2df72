import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { hasMoto, type Moto } from '../helpers/moto.js';
import { hasTmux, Terminal } from '../helpers/terminal.js';

const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/commands/rollback.js'));
if (!hasTmux) console.warn('skipping the tmux type-ahead test: tmux is not installed');
else if (!built) console.warn('skipping the tmux type-ahead test: dist/ is not built (run `npm run build`)');

describe.skipIf(!hasMoto || !hasTmux || !built)('the y/N gate ignores keys typed before the prompt (tmux)', () => {
  const term = new Terminal(`opsctl-typeahead-test-${process.pid}`);
  let moto: Moto;
  let dir: string;

  beforeAll(async () => {
    moto = await startSeededMoto();
    dir = mkdtempSync(join(tmpdir(), 'opsctl-typeahead-'));
  });
  afterAll(async () => {
    term.close();
    await moto?.stop();
  });

  it('y⏎ typed before the prompt shows does not approve: the prompt waits, Enter then says no, ECS unchanged (today: rolled back)', async () => {
    const go = join(dir, 'go');
    const audit = join(dir, 'audit.jsonl');
    // opsctl starts only once the test has typed (the keys wait in the terminal's input queue, as type-ahead
    // does while a plan is being fetched): no race on how fast anything runs.
    const cmd = `echo waiting; while [ ! -e ${go} ]; do sleep 0.05; done; env -u CI node bin/opsctl.js rollback --cluster prod --service web-api --poll 200ms --reason typeahead; echo "[exit $?]"; sleep 120`;
    term.start(cmd, { cwd: ROOT, env: { ...moto.env, OPSCTL_AUDIT_FILE: audit } });
    await term.until((s) => s.includes('waiting'), 'the shell to start');
    term.type('y');
    term.press('Enter');
    writeFileSync(go, '');
    await term.until((s) => s.includes('[y/N]'), 'the y/N prompt');
    // The prompt is up and has not been answered by the typed-ahead keys.
    expect(term.screen()).not.toContain('[exit');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
    term.press('Enter');
    await term.until((s) => s.includes('[exit'), 'opsctl to exit');
    expect(term.screen()).toContain('not rolled back');
    expect(term.screen()).toContain('[exit 9]');
    expect(await currentTaskDef(moto)).toEqual({ taskDef: 'web-api:4', desired: 2 });
    const trail = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => `${r.event}:${r.outcome}:${r.approval}`);
    expect(trail).toEqual(['plan:planned:none', 'decision:declined:tty']);
  });
});
