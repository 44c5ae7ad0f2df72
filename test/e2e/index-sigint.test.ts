import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { generateRunbooks } from '../helpers/runbooks.js';

// These run the built binary: process behaviour (signals, exit codes, stdout of a real pipe) is the point.
const BIN = resolve('bin/opsctl.js');
const tmp = tempDirs('opsctl-bin-');

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` after a fresh clone would otherwise test nothing.
  if (!existsSync(resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
});
afterAll(() => tmp.cleanup());

const childEnv = (cwd: string) => ({ PATH: process.env.PATH ?? '', HOME: cwd });

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the opsctl binary', () => {
  it('Ctrl-C in the middle of indexing exits 130 and the previous index still answers', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    expect((await runOpsctl(['index'], { cwd })).code).toBe(0);
    const indexDir = join(cwd, '.opsctl');
    const current = readFileSync(join(indexDir, 'CURRENT'), 'utf8');
    generateRunbooks(join(cwd, 'runbooks', 'generated'), 300);

    const child = spawn(process.execPath, [BIN, 'index'], { cwd, env: childEnv(cwd), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    // The lock exists only while the update runs, and the SIGINT handler is installed before it: a safe moment.
    await waitFor(() => existsSync(join(indexDir, 'lock')) || child.exitCode !== null);
    child.kill('SIGINT');
    const { code, signal } = await exited;

    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(stderr).toMatch(/^opsctl: indexing interrupted; the previous index is unchanged\n/);
    expect(readFileSync(join(indexDir, 'CURRENT'), 'utf8')).toBe(current);
    expect(readdirSync(indexDir).sort()).toEqual(['CURRENT', current.trim()]);

    rmSync(join(cwd, 'runbooks', 'generated'), { recursive: true });
    const r = await runOpsctl(['ask', 'kafka consumer lag', '--json'], { cwd });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.index.updated).toBe(false);
    expect(j.hits[0].file).toBe('runbooks/kafka-consumer-lag.md');
  });

  it('ask through a pipe: plain text, no escape codes, exit 0 / 3', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const ok = spawnSync(process.execPath, [BIN, 'ask', 'TLS certificate expires soon'], { cwd, env: childEnv(cwd), encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\[1\] runbooks\/tls-certificate-expiry\.md:\d+-\d+/);
    expect(ok.stdout + ok.stderr).not.toContain('\x1b');
    expect(ok.stderr).toMatch(/^indexed 6 files/); // the first ask built the index and said so on stderr
    const off = spawnSync(process.execPath, [BIN, 'ask', 'how do I bake sourdough bread'], { cwd, env: childEnv(cwd), encoding: 'utf8' });
    expect(off.status).toBe(3);
    expect(off.stdout).toMatch(/^No runbook covers this/);
    expect(off.stderr).toBe('');
  });
});
