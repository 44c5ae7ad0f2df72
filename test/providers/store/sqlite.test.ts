import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { reportIncident } from '../../../src/core/incidents/report.js';
import { SqliteIncidentStore } from '../../../src/providers/store/sqlite.js';
import { storeContract } from './contract.js';

const dirs: string[] = [];
const dir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'opsctl-sqlite-'));
  dirs.push(d);
  return d;
};
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('SQLite incident store', () => {
  storeContract({
    async fresh() {
      const d = await dir();
      const target = join(d, 'state', 'opsctl', 'incidents.db');
      return { store: SqliteIncidentStore.open(target), target, barrier: join(d, 'go') };
    },
    async reopen(target) {
      return SqliteIncidentStore.open(target);
    },
  });

  it('uses WAL and records the schema version once', async () => {
    const path = join(await dir(), 'incidents.db');
    await SqliteIncidentStore.open(path).close();
    await SqliteIncidentStore.open(path).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: 1 }]);
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer opsctl (exit 15) without touching it', async () => {
    const path = join(await dir(), 'incidents.db');
    await SqliteIncidentStore.open(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version) VALUES (99)').run();
    db.close();
    expect(() => SqliteIncidentStore.open(path)).toThrow(expect.objectContaining({ exitCode: 15, message: expect.stringMatching(/version 99 is newer/) }));
  });

  it('a damaged file: one-line error, exit 15, the file left byte for byte', async () => {
    const path = join(await dir(), 'incidents.db');
    const junk = Buffer.from('this is not a database\n'.repeat(300));
    writeFileSync(path, junk);
    expect(() => SqliteIncidentStore.open(path)).toThrow(expect.objectContaining({ exitCode: 15, message: expect.stringMatching(/damaged.*left untouched/) }));
    expect(readFileSync(path).equals(junk)).toBe(true);
  });

  it('a database locked by another writer: exit 15 after the busy wait, nothing lost', async () => {
    const path = join(await dir(), 'incidents.db');
    const store = SqliteIncidentStore.open(path, { busyMs: 200 });
    await reportIncident(store, { service: 's', text: 'ERROR disk full', source: 'log', who: 'a', at: new Date('2026-11-01T00:00:00Z') });
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      await expect(reportIncident(store, { service: 's', text: 'ERROR other failure', source: 'log', who: 'a', at: new Date() })).rejects.toMatchObject({ exitCode: 15, message: expect.stringMatching(/locked by another process/) });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await store.list({})).length).toBe(1);
    expect((await reportIncident(store, { service: 's', text: 'ERROR other failure', source: 'log', who: 'a', at: new Date() })).status).toBe('new');
    await store.close();
  });
});
