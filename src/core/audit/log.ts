import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OpsctlError } from '../errors.js';
import { withAppendLock, type LockOptions } from './append-lock.js';
import { nextPrev, verifyChain, type ChainReport } from './chain.js';
import { isAuditRecord, type AuditRecord } from './record.js';

/** Where records go. The core writes through this so tests can capture records in memory. */
export interface AuditSink {
  append(record: AuditRecord): void;
}

/**
 * The audit file: $OPSCTL_AUDIT_FILE, else `configured` (the `auditFile` config key), else
 * $XDG_STATE_HOME/opsctl/audit.jsonl, else ~/.local/state/opsctl/audit.jsonl. `env` is passed in because
 * the core does not read the process.
 */
export function auditFilePath(env: Record<string, string | undefined>, home: string, configured?: string): string {
  if (env.OPSCTL_AUDIT_FILE) return env.OPSCTL_AUDIT_FILE;
  if (configured) return configured;
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'opsctl', 'audit.jsonl');
}

const { O_APPEND, O_CREAT, O_NOFOLLOW, O_RDONLY, O_RDWR } = constants;

/** Bytes read back from the end of the file to find the last line (records are far shorter). */
const TAIL_BYTES = 64 * 1024;

/** Opens the audit file without following a symlink; a link is refused (a dangling one must not create its target). */
function openNoFollow(path: string, flags: number): number {
  try {
    return openSync(path, flags | O_NOFOLLOW, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') {
      throw new OpsctlError('input', `the audit log ${path} is a symbolic link; opsctl does not follow links for its audit trail`,
        'point OPSCTL_AUDIT_FILE (or auditFile in ~/.config/opsctl) at a regular file, or remove the link', { cause: e });
    }
    throw e;
  }
}

/** The last bytes of an open file, decoded from the first full line in them. */
function readTail(fd: number): string {
  const size = fstatSync(fd).size;
  const n = Math.min(size, TAIL_BYTES);
  const b = Buffer.alloc(n);
  readSync(fd, b, 0, n, size - n);
  const text = b.toString('utf8');
  return n < size ? text.slice(text.indexOf('\n') + 1) : text;
}

/**
 * Append-only JSON Lines log with tamper evidence. Each record is one write on a file opened with O_APPEND
 * (and O_NOFOLLOW: a symlink is refused), then fsync'd, so a crash loses at most the record being written.
 * Each record carries `prev`, the SHA-256 of the line before it, so `opsctl audit verify` finds the first
 * edited, removed or reordered line; a lock file keeps concurrent writers from linking to the same line. A torn last line is fenced off with a newline before the next record.
 */
export class AuditFile implements AuditSink {
  /** `lock`: how long to wait for another writer (tests shorten it). */
  constructor(readonly path: string, private readonly lock: LockOptions = {}) {}

  append(record: AuditRecord): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    } catch (e) {
      throw this.writeError(e);
    }
    try {
      withAppendLock(this.path, () => this.appendLocked(record), this.lock);
    } catch (e) {
      throw this.writeError(e);
    }
  }

  private appendLocked(record: AuditRecord): void {
    let fd: number | undefined;
    try {
      fd = openNoFollow(this.path, O_RDWR | O_APPEND | O_CREAT);
      const tail = readTail(fd);
      const line = `${tail !== '' && !tail.endsWith('\n') ? '\n' : ''}${JSON.stringify({ ...record, prev: nextPrev(tail) })}\n`;
      writeSync(fd, line);
      fsyncSync(fd);
    } catch (e) {
      throw this.writeError(e);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private writeError(e: unknown): OpsctlError {
    if (e instanceof OpsctlError) return e;
    return new OpsctlError('input', `cannot write the audit log ${this.path}: ${(e as Error).message}`,
      'fix its permissions or set OPSCTL_AUDIT_FILE; opsctl will not act without an audit trail', { cause: e });
  }

  /** The whole file as text ('' when it does not exist yet); a symlink is refused. */
  text(): string {
    let fd: number;
    try {
      fd = openNoFollow(this.path, O_RDONLY);
    } catch (e) {
      if (e instanceof OpsctlError) throw e;
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new OpsctlError('input', `cannot read the audit log ${this.path}: ${(e as Error).message}`, 'check its permissions');
    }
    try {
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** Reads every record; lines that do not parse are reported (1-based line numbers) and skipped, never dropped from the file. */
  read(): AuditReadResult {
    return parseAudit(this.text());
  }

  /** Checks the hash chain; see verifyChain. */
  verify(): ChainReport {
    return verifyChain(this.text());
  }
}

export interface CorruptLine {
  line: number;
  error: string;
}

export interface AuditReadResult {
  records: AuditRecord[];
  corrupt: CorruptLine[];
}

/** Parses JSON Lines text into records, collecting the lines that are not valid records. */
export function parseAudit(text: string): AuditReadResult {
  const records: AuditRecord[] = [];
  const corrupt: CorruptLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const v: unknown = JSON.parse(raw);
      if (isAuditRecord(v)) records.push(v);
      else corrupt.push({ line: i + 1, error: 'not an audit record' });
    } catch (e) {
      corrupt.push({ line: i + 1, error: (e as Error).message });
    }
  });
  return { records, corrupt };
}
