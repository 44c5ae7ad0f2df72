import { cp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const dirs = tempDirs('opsctl-incident-record-');
let cwd = '';
const env = () => ({ XDG_STATE_HOME: join(cwd, 'state') });
const diag = (...args: string[]) => runOpsctl(['diagnose', 'logs/java-oom.log', ...args], { cwd, env: env() });

beforeAll(async () => {
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
  await cp(resolve('test/fixtures/logs/diagnose'), join(cwd, 'logs'), { recursive: true });
}, 60_000);
afterAll(() => dirs.cleanup());

describe('diagnose --record', () => {
  it('records the evidence lines, then says "seen before" at the top', async () => {
    const first = await diag('--record', '--service', 'orders', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).incident).toMatchObject({ status: 'new', incident: { id: 'INC-1', service: 'orders' } });
    const again = await diag('--record', '--service', 'orders');
    expect(again.stdout).toMatch(/^seen before: INC-1 \(open since \d{4}-\d\d-\d\d\), 2 occurrences: /);
    expect((await diag('--record')).code).toBe(2);
  });

  it('records by config (incidents.record: true) when the service is named; without --service it records nothing', async () => {
    await writeFile(join(cwd, 'opsctl.config.json'), JSON.stringify({ incidents: { record: true } }));
    try {
      expect(loadConfig({ cwd, env: {} }).incidentsRecord).toBe(true);
      const r = await diag('--service', 'billing');
      expect(r.stdout).toMatch(/^new incident: INC-2 \(billing\)/);
      const plain = await diag();
      expect(plain.code).toBe(0);
      expect(plain.stdout).not.toMatch(/incident/);
      expect((await diag('--service', 'billing', '--no-record')).stdout).not.toMatch(/seen before/);
    } finally {
      await writeFile(join(cwd, 'opsctl.config.json'), '{}');
    }
  });
});
