import pg from 'pg';
import { OpsctlError } from '../../core/errors.js';
import type { IncidentFilter, IncidentNote, IncidentOccurrence, IncidentRecord, IncidentSignature, IncidentStatus, IncidentStore, IncidentTx } from '../../core/ports.js';
import { bestPerIncident, COLUMNS, MAX_SIGNATURES, MIGRATIONS, SCHEMA_VERSION, migrationSql, toIncident, type IncidentRow } from './schema.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

// Advisory lock keys: (15, 0) guards migrations, (15, hashtext(service)) serialises one service's reporters.
const LOCK_NS = 15;

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = u.username ? u.username : '';
    return `postgres://${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Incident memory in PostgreSQL, for a team sharing one database: the same schema and migrations as the
 * SQLite store. A report holds a transaction-scoped advisory lock on its service, so concurrent reports of one
 * failure from several machines make one incident.
 */
export class PostgresIncidentStore implements IncidentStore {
  readonly where: string;

  private constructor(private readonly pool: pg.Pool, where: string) {
    this.where = where;
  }

  /** Connects and migrates. Unreachable server, bad credentials or a missing database: OpsctlError('store'). */
  static async open(url: string, opts: { connectTimeoutMs?: number } = {}): Promise<PostgresIncidentStore> {
    const where = safeUrl(url);
    if (!/^postgres(ql)?:\/\//.test(url)) throw new OpsctlError('usage', `OPSCTL_INCIDENTS_URL must be a postgres:// URL (got ${where})`, 'e.g. postgres://opsctl:secret@db.internal:5432/opsctl');
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    const store = new PostgresIncidentStore(pool, where);
    try {
      await store.inTx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NS]);
        await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const current = Number((await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version')).rows[0].v ?? 0);
        if (current > SCHEMA_VERSION) {
          throw new OpsctlError('store', `${where}: incident database version ${current} is newer than this opsctl knows (${SCHEMA_VERSION})`, 'upgrade opsctl');
        }
        for (const m of MIGRATIONS) {
          if (m.version <= current) continue;
          await c.query(migrationSql(m.sql, 'postgres'));
          await c.query('INSERT INTO schema_version (version) VALUES ($1)', [m.version]);
        }
      });
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return store;
  }

  private async inTx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw pgError(e, this.where);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgError(e, this.where);
    } finally {
      client.release();
    }
  }

  private async q<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, args)).rows;
    } catch (e) {
      throw pgError(e, this.where);
    }
  }

  reportTx<T>(service: string, fn: (tx: IncidentTx) => Promise<T>): Promise<T> {
    return this.inTx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS, service]);
      return fn(txOn(c));
    });
  }

  async get(id: number): Promise<IncidentRecord | undefined> {
    const rows = await this.q<IncidentRow>(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1`, [id]);
    return rows[0] && toIncident(rows[0]);
  }

  async list(f: IncidentFilter): Promise<IncidentRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (cond: string, v: unknown) => { args.push(v); where.push(cond.replace('?', `$${args.length}`)); };
    if (f.status) add('i.status = ?', f.status);
    if (f.service) add('i.service = ?', f.service);
    if (f.since) add('i.last_seen_at >= ?', f.since);
    let sql = `SELECT ${COLUMNS} FROM incidents i ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.id`;
    if (f.limit) { args.push(f.limit); sql += ` DESC LIMIT $${args.length}`; }
    return (await this.q<IncidentRow>(sql, args)).map(toIncident);
  }

  async occurrences(id: number, limit = 1_000_000): Promise<IncidentOccurrence[]> {
    return this.q<IncidentOccurrence & pg.QueryResultRow>('SELECT at, source, who, text FROM occurrences WHERE incident_id = $1 ORDER BY id LIMIT $2', [id, limit]);
  }

  async notes(id: number): Promise<IncidentNote[]> {
    return this.q<IncidentNote & pg.QueryResultRow>('SELECT at, who, text FROM notes WHERE incident_id = $1 ORDER BY id', [id]);
  }

  async addNote(id: number, n: IncidentNote): Promise<void> {
    await this.q('INSERT INTO notes (incident_id, at, who, text) VALUES ($1, $2, $3, $4)', [id, n.at, n.who, n.text]);
  }

  async setAdvice(id: number, runbooks: IncidentRecord['runbooks'], recommendation?: string): Promise<void> {
    await this.q('UPDATE incidents SET runbooks = $1, recommendation = $2 WHERE id = $3', [JSON.stringify(runbooks), recommendation ?? null, id]);
  }

  async setStatus(id: number, from: IncidentStatus, to: IncidentStatus, r?: { at: string; by: string; text: string }): Promise<boolean> {
    const res = to === 'resolved'
      ? await this.q('UPDATE incidents SET status = $1, resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $5 AND status = $6 RETURNING id', [to, r?.at ?? null, r?.by ?? null, r?.text ?? null, id, from])
      : await this.q('UPDATE incidents SET status = $1, resolved_at = NULL, resolved_by = NULL, resolution = NULL WHERE id = $2 AND status = $3 RETURNING id', [to, id, from]);
    return res.length === 1;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

function txOn(c: Queryable): IncidentTx {
  const getOne = async (id: number) => toIncident((await c.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1`, [id])).rows[0]);
  const addSignature = async (id: number, service: string, sig: IncidentSignature) => {
    const have = (await c.query<{ n: string; same: string }>('SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE key = $1) AS same FROM signatures WHERE incident_id = $2', [sig.key, id])).rows[0];
    if (Number(have.same) > 0 || Number(have.n) >= MAX_SIGNATURES) return;
    const sid = (await c.query<{ id: string }>('INSERT INTO signatures (incident_id, key, nterms) VALUES ($1, $2, $3) RETURNING id', [id, sig.key, sig.terms.length])).rows[0].id;
    await c.query('INSERT INTO signature_terms (service, term, signature_id) SELECT $1, unnest($2::text[]), $3', [service, sig.terms, sid]);
  };
  const occ = (id: number, o: IncidentOccurrence) => c.query('INSERT INTO occurrences (incident_id, at, source, who, text) VALUES ($1, $2, $3, $4, $5)', [id, o.at, o.source, o.who, o.text]);
  return {
    async candidates(service, terms, limit, minShared) {
      if (terms.length === 0) return [];
      const rows = (await c.query<{ incident_id: string; shared: string; nterms: number }>(
        `SELECT s.incident_id AS incident_id, c.shared AS shared, s.nterms AS nterms
         FROM (SELECT signature_id, COUNT(*) AS shared FROM signature_terms WHERE service = $1 AND term = ANY($2::text[]) GROUP BY signature_id HAVING COUNT(*) >= $5) c
         JOIN signatures s ON s.id = c.signature_id ORDER BY (2.0 * c.shared) / (s.nterms + $3) DESC LIMIT $4`,
        [service, terms, terms.length, limit, minShared],
      )).rows;
      return bestPerIncident(rows, async (ids) => (await c.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = ANY($1::bigint[])`, [ids])).rows.map(toIncident));
    },
    async create(inc, first, sig) {
      const id = Number((await c.query<{ id: string }>(
        `INSERT INTO incidents (service, status, title, template, terms, nterms, created_at, last_seen_at, occurrences, regression_of, runbooks, recommendation)
         VALUES ($1, 'open', $2, $3, $4, $5, $6, $6, 1, $7, $8, $9) RETURNING id`,
        [inc.service, inc.title, inc.template, inc.terms.join(' '), inc.terms.length, first.at, inc.regressionOf ?? null, JSON.stringify(inc.runbooks), inc.recommendation ?? null],
      )).rows[0].id);
      await addSignature(id, inc.service, sig);
      await occ(id, first);
      return getOne(id);
    },
    async addOccurrence(id, o, sig) {
      await c.query('UPDATE incidents SET occurrences = occurrences + 1, last_seen_at = GREATEST(last_seen_at, $1) WHERE id = $2', [o.at, id]);
      await occ(id, o);
      const inc = await getOne(id);
      await addSignature(id, inc.service, sig);
      return inc;
    },
  };
}

/** PostgreSQL and network errors as one-line store errors (exit 15); OpsctlErrors pass through. */
export function pgError(e: unknown, where: string): unknown {
  if (e instanceof OpsctlError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = ((e as Error).message ?? String(e)).split('\n')[0];
  if (code === '28P01' || code === '28000') {
    return new OpsctlError('store', `${where}: PostgreSQL refused the credentials (${msg})`, 'check the user and password in OPSCTL_INCIDENTS_URL', { cause: e });
  }
  if (code === '3D000') return new OpsctlError('store', `${where}: ${msg}`, 'create the database first (createdb), or fix the name in OPSCTL_INCIDENTS_URL', { cause: e });
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', '57P01', '57P03'].includes(code) || /timeout|terminated|Connection terminated/i.test(msg)) {
    return new OpsctlError('store', `${where}: cannot reach PostgreSQL (${msg || code})`, 'is the server up? incidents are NOT written to the local file instead; unset OPSCTL_INCIDENTS_URL to use it', { cause: e });
  }
  if (/^(08|53|57|58|XX)/.test(code)) return new OpsctlError('store', `${where}: PostgreSQL error ${code} (${msg})`, 'check the server logs', { cause: e });
  return e;
}
