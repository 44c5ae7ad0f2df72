import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresIncidentStore } from '../../../src/providers/store/postgres.js';
import { pgSkipReason, startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/moto.js';
import { storeContract } from './contract.js';

describe.skipIf(pgSkipReason !== undefined)('PostgreSQL incident store', () => {
  let server: TestPostgres;
  let tmp: string;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres();
    tmp = await mkdtemp(join(tmpdir(), 'opsctl-pgtest-'));
  }, 120_000);
  afterAll(async () => {
    server?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** A fresh database per test, so each starts empty and migrates. */
  async function freshDb(): Promise<string> {
    const name = `t${process.pid}_${++n}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return server.url.replace(/\/postgres$/, `/${name}`);
  }

  storeContract({
    async fresh() {
      const url = await freshDb();
      return { store: await PostgresIncidentStore.open(url), target: url, barrier: join(tmp, `go-${n}`) };
    },
    reopen: (url) => PostgresIncidentStore.open(url),
  });

  it('records the schema version once, however often it is opened', async () => {
    const url = await freshDb();
    await (await PostgresIncidentStore.open(url)).close();
    await (await PostgresIncidentStore.open(url)).close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query('SELECT version FROM schema_version')).rows).toEqual([{ version: 1 }]);
    await c.end();
  });

  it('a wrong password: exit 15, says so, never shows the password', async () => {
    const url = server.url.replace(server.password, 'not-the-password');
    const err = await PostgresIncidentStore.open(url).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 15, message: expect.stringMatching(/refused the credentials/) });
    expect(String((err as Error).message)).not.toContain('not-the-password');
  });

  it('a server that is down: exit 15, "cannot reach"', async () => {
    const port = await freePort();
    const err = await PostgresIncidentStore.open(`postgres://opsctl:x@127.0.0.1:${port}/postgres`).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 15, message: expect.stringMatching(/cannot reach PostgreSQL/) });
  });
});
