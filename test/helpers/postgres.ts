import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './moto.js';

/** The PostgreSQL server binaries (Debian's postgresql package), newest version first, or undefined. */
function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

// PostgreSQL refuses to run as root: as root, the server runs as the "postgres" user (made by the package).
function runAs(): { user?: string; uid?: number; gid?: number } | undefined {
  if (userInfo().uid !== 0) return {};
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return { user: 'postgres', uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export const PG_BIN = pgBin();
const AS = runAs();
/** Why PostgreSQL tests skip here, or undefined when they can run. */
export const pgSkipReason: string | undefined = !PG_BIN
  ? 'PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)'
  : !AS
    ? 'running as root and there is no "postgres" user to run the server as'
    : undefined;
if (pgSkipReason) console.warn(`skipping PostgreSQL tests: ${pgSkipReason}`);

export interface TestPostgres {
  /** postgres://opsctl:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  password: string;
  stop(): void;
}

function run(cmd: string, args: string[]): void {
  const full = AS?.user ? ['runuser', ['-u', AS.user, '--', cmd, ...args]] as const : [cmd, args] as const;
  const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** A throwaway server on a free loopback port with its own data directory; password auth (scram) for user opsctl. */
export async function startPostgres(): Promise<TestPostgres> {
  if (!PG_BIN || !AS) throw new Error(pgSkipReason);
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-pg-'));
  const password = 'opsctl-test-pw';
  writeFileSync(join(dir, 'pw'), `${password}\n`);
  if (AS.uid !== undefined) {
    chownSync(dir, AS.uid, AS.gid!);
    chownSync(join(dir, 'pw'), AS.uid, AS.gid!);
  }
  const data = join(dir, 'data');
  run(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'opsctl', `--pwfile=${join(dir, 'pw')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`, 'start']);
  return {
    url: `postgres://opsctl:${password}@127.0.0.1:${port}/postgres`,
    port,
    password,
    stop() {
      try {
        run(join(PG_BIN!, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
