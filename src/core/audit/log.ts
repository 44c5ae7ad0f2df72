import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OpsctlError } from '../errors.js';
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

function endsWithoutNewline(path: string): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Append-only JSON Lines log. Each record is one write on a file opened with the 'a' flag (O_APPEND),
 * then fsync'd, so a crash loses at most the record being written and never an earlier one. The file
 * is never truncated or rewritten; a torn last line is fenced off with a newline before the next record.
 */
export class AuditFile implements AuditSink {
  constructor(readonly path: string) {}

  append(record: AuditRecord): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const line = `${endsWithoutNewline(this.path) ? '\n' : ''}${JSON.stringify(record)}\n`;
      const fd = openSync(this.path, 'a', 0o600);
      try {
        writeSync(fd, line);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw new OpsctlError('input', `cannot write the audit log ${this.path}: ${(e as Error).message}`,
        'fix its permissions or set OPSCTL_AUDIT_FILE; opsctl will not act without an audit trail', { cause: e });
    }
  }

  /** Reads every record; lines that do not parse are reported (1-based line numbers) and skipped, never dropped from the file. */
  read(): AuditReadResult {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], corrupt: [] };
      throw new OpsctlError('input', `cannot read the audit log ${this.path}: ${(e as Error).message}`, 'check its permissions');
    }
    return parseAudit(text);
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
