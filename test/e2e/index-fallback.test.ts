import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_RUNBOOKS, MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-fallback-');
afterAll(() => tmp.cleanup());

const QUESTION = 'redis evictions memory pressure';
const WARNING = /^opsctl: warning: answering from the last good index \(updated [^)]+\); .+ — .+$/;

/** The stderr lines that are the stale-index warning. */
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('opsctl: warning: answering from the last good index'));

async function builtAndLocked(corpus = MINI_RUNBOOKS): Promise<string> {
  const cwd = await tmp.withCopy(corpus);
  expect((await runOpsctl(['index'], { cwd })).code).toBe(0);
  const any = join(cwd, 'runbooks', corpus === MINI_RUNBOOKS ? 'cron-job-missed.md' : 'high-memory-oom.md');
  if (existsSync(any)) appendFileSync(any, '\nAlso check the systemd timer.\n');
  else appendFileSync(join(cwd, 'runbooks', 'extra-note.md'), '# Extra\n\nA note.\n');
  // The parent of this test process is alive and is not us: exactly a concurrent `opsctl index`.
  writeFileSync(join(cwd, '.opsctl', 'lock'), JSON.stringify({ pid: process.ppid, since: new Date().toISOString() }));
  return cwd;
}

describe('the lock held by another index run', () => {
  it('ask answers from the last good index, exit 0, one warning line naming the pid and the fix', async () => {
    const cwd = await builtAndLocked();
    const r = await runOpsctl(['ask', QUESTION, '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hits[0].file).toBe('runbooks/redis-memory-eviction.md');
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(warnings(r.stderr)[0]).toMatch(WARNING);
    expect(warnings(r.stderr)[0]).toMatch(new RegExp(`another opsctl \\(pid ${process.ppid}\\) is updating the index.*wait for it to finish`));
    // `index` itself still refuses: it is the command whose job is the update.
    expect((await runOpsctl(['index'], { cwd })).code).toBe(5);
  });

  it('diagnose answers too (its runbook matches come from the last good index)', async () => {
    const cwd = await builtAndLocked(BUNDLED_RUNBOOKS);
    cpSync(resolve('test/fixtures/logs/diagnose/java-oom.log'), join(cwd, 'java-oom.log'));
    const r = await runOpsctl(['diagnose', 'java-oom.log', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runbooks.length).toBeGreaterThan(0);
    expect(warnings(r.stderr)).toHaveLength(1);
  });
});

describe('index directories that cannot be used: one line, exit 4, never a spin', () => {
  it.each([
    ['a file', async (cwd: string) => (writeFileSync(join(cwd, 'notadir'), 'x'), { flag: join(cwd, 'notadir') }), /cannot use .*notadir as the index directory: a file stands where the directory should be/],
    ['below a file', async (cwd: string) => (writeFileSync(join(cwd, 'notadir'), 'x'), { flag: join(cwd, 'notadir', 'idx') }), /a file stands where a directory should be/],
    ['under /proc (OPSCTL_INDEX_DIR)', async () => ({ env: '/proc/opsctl-x' }), /cannot use \/proc\/opsctl-x as the index directory: it cannot be created there \(ENOENT\)/],
  ])('%s', { timeout: 60_000 }, async (_name, setup, message) => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const where = await setup(cwd);
    const args = 'flag' in where ? ['--index-dir', where.flag as string] : [];
    const env = 'env' in where ? { OPSCTL_INDEX_DIR: where.env as string } : undefined;
    for (const argv of [['index', ...args], ['ask', QUESTION, ...args]]) {
      const r = await runOpsctl(argv, { cwd, env });
      expect(r.code, r.stderr).toBe(4);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toMatch(/^ {2}hint: choose a directory you can write/);
      expect(lines).toHaveLength(2);
    }
  });
});

// A real full disk and a real read-only file system, without root on the host: a private mount namespace
// (`unshare -rm`) with a small tmpfs over the index directory, running the built binary.
const BIN = resolve('bin/opsctl.js');
const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; r=$?; rmdir "$d"; exit $r'], { encoding: 'utf8' });
const canMount = probe.status === 0;
const built = existsSync(resolve('dist/cli/main.js'));
if (!canMount) console.warn(`skipping the real full-disk/read-only tests: no private mount namespace here (unshare -rm: ${(probe.stderr || probe.error?.message || '').trim()})`);
else if (!built) console.warn('skipping the real full-disk/read-only tests: dist/ is not built (run `npm run build`)');

describe.skipIf(!canMount || !built)('a real full disk and a real read-only file system (tmpfs in a private mount namespace)', () => {
  it.each([
    ['full', 'dd if=/dev/zero of="$I/fill" bs=4k 2>/dev/null || true', /the disk is full \(ENOSPC\).*free some disk space/],
    ['read-only', 'mount -o remount,ro "$I"', /read-only \(EROFS\).*writable/],
  ])('the index disk %s: ask exits 0 with the answer and one warning line', { timeout: 120_000 }, async (_name, breakIt, reason) => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const script = [
      'set -e',
      'I="$PWD/idx"; mkdir -p "$I"',
      'mount -t tmpfs -o size=4m tmpfs "$I"',
      `"${process.execPath}" "${BIN}" index --index-dir "$I" >/dev/null 2>&1`,
      'echo "Also check the systemd timer." >> runbooks/cron-job-missed.md',
      breakIt,
      'set +e',
      `"${process.execPath}" "${BIN}" ask "${QUESTION}" --json --index-dir "$I" >out.json 2>err.txt`,
      'echo $? > rc.txt',
      'ls "$I" > ls.txt',
      // A new index on the broken disk: nothing to fall back on, so one error line and a hint, exit 4 or 5.
      `"${process.execPath}" "${BIN}" index --index-dir "$I/new" >/dev/null 2>new-err.txt`,
      'echo $? > new-rc.txt',
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd } });
    expect(r.status, r.stderr).toBe(0);
    const stderr = readFileSync(join(cwd, 'err.txt'), 'utf8');
    expect(readFileSync(join(cwd, 'rc.txt'), 'utf8').trim(), stderr).toBe('0');
    expect(JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')).hits[0].file).toBe('runbooks/redis-memory-eviction.md');
    expect(warnings(stderr)).toHaveLength(1);
    expect(warnings(stderr)[0]).toMatch(reason);
    expect(['4', '5']).toContain(readFileSync(join(cwd, 'new-rc.txt'), 'utf8').trim());
    const newErr = readFileSync(join(cwd, 'new-err.txt'), 'utf8').trimEnd().split('\n');
    expect(newErr[0]).toMatch(/^opsctl: cannot (use|write) .*(ENOSPC|EROFS)/);
    expect(newErr[1]).toMatch(/^ {2}hint: /);
    expect(newErr).toHaveLength(2);
    // Neither a half-written generation nor a lock is left on the broken disk.
    expect(readFileSync(join(cwd, 'ls.txt'), 'utf8').split('\n').filter((e) => e.startsWith('gen-') || e === 'lock')).toHaveLength(1);
  });
});
