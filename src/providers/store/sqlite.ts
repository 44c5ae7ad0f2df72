import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { OpsctlError } from '../../core/errors.js';
import type { IncidentFilter, IncidentNote, IncidentOccurrence, IncidentRecord, IncidentSignature, IncidentStatus, IncidentStore, IncidentTx } from '../../core/ports.js';
import { bestPerIncident, COLUMNS, MAX_SIGNATURES, MIGRATIONS, SCHEMA_VERSION, migrationSql, toIncident, type IncidentRow } from './schema.js';

type Db = Database.Database;

/** How long a writer waits for another process's transaction before giving up with "locked". */
export const DEFAULT_BUSY_MS = 5000;

/**
 * Incident memory in one SQLite file (WAL, so readers never wait for a writer). Writers take the database's
 * write lock with BEGIN IMMEDIATE, which serialises concurrent reporters across processes.
 */
export class SqliteIncidentStore implements IncidentStore {
  readonly where: string;
  private readonly db: Db;

  private constructor(private readonly path: string, db: Db) {
    this.where = `sqlite:${path}`;
    this.db = db;
  }

  /** Opens (creating when absent) and migrates the database. Never truncates or rewrites a file it cannot read. */
  static open(path: string, opts: { busyMs?: number } = {}): SqliteIncidentStore {
    let db: Db | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: opts.busyMs ?? DEFAULT_BUSY_MS });
      const store = new SqliteIncidentStore(path, db);
      store.guard(() => {
        db!.pragma('journal_mode = WAL');
        db!.pragma('foreign_keys = ON');
        db!.pragma('synchronous = NORMAL');
        store.migrate();
      });
      return store;
    } catch (e) {
      db?.close();
      throw storeError(e, path);
    }
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const current = (this.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new OpsctlError('store', `${this.path}: incident database version ${current} is newer than this opsctl knows (${SCHEMA_VERSION})`, 'upgrade opsctl, or point OPSCTL_INCIDENTS_DB elsewhere');
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        // Another process may have migrated while we waited for the lock.
        const now = (this.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
        if (now < m.version) {
          this.db.exec(migrationSql(m.sql, 'sqlite'));
          this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
        }
        this.db.exec('COMMIT');
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeError(e, this.path);
    }
  }

  async reportTx<T>(service: string, fn: (tx: IncidentTx) => Promise<T>): Promise<T> {
    this.guard(() => this.db.exec('BEGIN IMMEDIATE'));
    try {
      const out = await fn(this.tx());
      this.guard(() => this.db.exec('COMMIT'));
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw storeError(e, this.path);
    }
  }

  private tx(): IncidentTx {
    return {
      candidates: async (service, terms, limit, minShared) => {
        if (terms.length === 0) return [];
        const marks = terms.map(() => '?').join(',');
        const best = this.stmt(
          `SELECT s.incident_id AS incident_id, c.shared AS shared, s.nterms AS nterms
           FROM (SELECT signature_id, COUNT(*) AS shared FROM signature_terms WHERE service = ? AND term IN (${marks}) GROUP BY signature_id HAVING COUNT(*) >= ?) c
           JOIN signatures s ON s.id = c.signature_id ORDER BY (2.0 * c.shared) / (s.nterms + ?) DESC LIMIT ?`,
        ).all(service, ...terms, minShared, terms.length, limit) as Array<{ incident_id: number; shared: number; nterms: number }>;
        return bestPerIncident(best, async (ids) => {
          const rows = this.db.prepare(`SELECT ${COLUMNS} FROM incidents i WHERE i.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as IncidentRow[];
          return rows.map(toIncident);
        });
      },
      create: async (inc, first, sig) => {
        const id = Number(
          this.stmt(
            `INSERT INTO incidents (service, status, title, template, terms, nterms, created_at, last_seen_at, occurrences, regression_of, runbooks, recommendation)
             VALUES (?, 'open', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
          ).run(inc.service, inc.title, inc.template, inc.terms.join(' '), inc.terms.length, first.at, first.at, inc.regressionOf ?? null, JSON.stringify(inc.runbooks), inc.recommendation ?? null).lastInsertRowid,
        );
        this.addSignature(id, inc.service, sig);
        this.insertOccurrence(id, first);
        return this.mustGet(id);
      },
      addOccurrence: async (id, occ, sig) => {
        this.stmt('UPDATE incidents SET occurrences = occurrences + 1, last_seen_at = MAX(last_seen_at, ?) WHERE id = ?').run(occ.at, id);
        this.insertOccurrence(id, occ);
        const inc = this.mustGet(id);
        this.addSignature(id, inc.service, sig);
        return inc;
      },
    };
  }

  private addSignature(id: number, service: string, sig: IncidentSignature): void {
    const have = this.stmt('SELECT COUNT(*) AS n, SUM(key = ?) AS same FROM signatures WHERE incident_id = ?').get(sig.key, id) as { n: number; same: number | null };
    if ((have.same ?? 0) > 0 || have.n >= MAX_SIGNATURES) return;
    const sid = Number(this.stmt('INSERT INTO signatures (incident_id, key, nterms) VALUES (?, ?, ?)').run(id, sig.key, sig.terms.length).lastInsertRowid);
    const term = this.stmt('INSERT INTO signature_terms (service, term, signature_id) VALUES (?, ?, ?)');
    for (const t of sig.terms) term.run(service, t, sid);
  }

  private insertOccurrence(id: number, o: IncidentOccurrence): void {
    this.stmt('INSERT INTO occurrences (incident_id, at, source, who, text) VALUES (?, ?, ?, ?, ?)').run(id, o.at, o.source, o.who, o.text);
  }

  private readonly cache = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  private mustGet(id: number): IncidentRecord {
    const row = this.stmt(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = ?`).get(id) as IncidentRow | undefined;
    if (!row) throw new Error(`incident ${id} vanished inside its transaction`);
    return toIncident(row);
  }

  async get(id: number): Promise<IncidentRecord | undefined> {
    return this.guard(() => {
      const row = this.stmt(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = ?`).get(id) as IncidentRow | undefined;
      return row && toIncident(row);
    });
  }

  async list(f: IncidentFilter): Promise<IncidentRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.status) { where.push('i.status = ?'); args.push(f.status); }
    if (f.service) { where.push('i.service = ?'); args.push(f.service); }
    if (f.since) { where.push('i.last_seen_at >= ?'); args.push(f.since); }
    const sql = `SELECT ${COLUMNS} FROM incidents i ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.id ${f.limit ? 'DESC LIMIT ?' : 'ASC'}`;
    if (f.limit) args.push(f.limit);
    return this.guard(() => (this.stmt(sql).all(...args) as IncidentRow[]).map(toIncident));
  }

  async occurrences(id: number, limit = 1_000_000): Promise<IncidentOccurrence[]> {
    return this.guard(() => this.stmt('SELECT at, source, who, text FROM occurrences WHERE incident_id = ? ORDER BY id LIMIT ?').all(id, limit) as IncidentOccurrence[]);
  }

  async notes(id: number): Promise<IncidentNote[]> {
    return this.guard(() => this.stmt('SELECT at, who, text FROM notes WHERE incident_id = ? ORDER BY id').all(id) as IncidentNote[]);
  }

  async addNote(id: number, n: IncidentNote): Promise<void> {
    this.guard(() => this.stmt('INSERT INTO notes (incident_id, at, who, text) VALUES (?, ?, ?, ?)').run(id, n.at, n.who, n.text));
  }

  async setAdvice(id: number, runbooks: IncidentRecord['runbooks'], recommendation?: string): Promise<void> {
    this.guard(() => this.stmt('UPDATE incidents SET runbooks = ?, recommendation = ? WHERE id = ?').run(JSON.stringify(runbooks), recommendation ?? null, id));
  }

  async setStatus(id: number, from: IncidentStatus, to: IncidentStatus, r?: { at: string; by: string; text: string }): Promise<boolean> {
    return this.guard(() => {
      const res = this.stmt('UPDATE incidents SET status = ?, resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND status = ?')
        .run(to, to === 'resolved' ? r?.at ?? null : null, to === 'resolved' ? r?.by ?? null : null, to === 'resolved' ? r?.text ?? null : null, id, from);
      return res.changes === 1;
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Maps SQLite's errors to one-line store errors (exit 15); anything already an OpsctlError passes through. */
export function storeError(e: unknown, path: string): unknown {
  if (e instanceof OpsctlError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message ?? String(e);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new OpsctlError('store', `${path}: the incident database is locked by another process`, 'try again in a moment; if it stays locked, look for a stuck opsctl process', { cause: e });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new OpsctlError('store', `${path}: the incident database is damaged (${msg}); it was left untouched`, 'move it aside (mv incidents.db incidents.db.bad) to start a new one, or restore a backup', { cause: e });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new OpsctlError('store', `${path}: cannot open the incident database (${msg})`, 'check the path and its permissions, or set OPSCTL_INCIDENTS_DB', { cause: e });
  }
  return e;
}
