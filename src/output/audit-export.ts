import { AUDIT_FIELDS, type AuditRecord } from '../core/audit/record.js';

/**
 * RFC 4180 quoting (fields with a comma, quote or line break are quoted, quotes doubled), plus formula
 * defusing: a cell starting with = + - @ (or a tab or CR) is a formula to Excel, LibreOffice and Sheets, and
 * reasons and AWS messages are free text. Such cells get a leading ' (shown as text, OWASP's advice) and quotes.
 */
export function csvField(v: unknown): string {
  const raw = v === undefined || v === null ? '' : String(v);
  const s = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(s) || s !== raw ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row, one row per record, columns in AUDIT_FIELDS order. */
export function auditCsv(records: AuditRecord[]): string {
  const rows = [AUDIT_FIELDS.join(','), ...records.map((r) => AUDIT_FIELDS.map((f) => csvField(r[f])).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}

/** The documented JSON shape of `opsctl audit list --json` and `audit export --format json`. */
export interface AuditJsonV1 {
  schema: 'opsctl.audit-export/v1';
  file: string;
  records: AuditRecord[];
  /** Lines of the file that could not be read (1-based); they are kept in the file. */
  corrupt: Array<{ line: number; error: string }>;
}

export function auditJson(file: string, records: AuditRecord[], corrupt: AuditJsonV1['corrupt']): AuditJsonV1 {
  return { schema: 'opsctl.audit-export/v1', file, records, corrupt };
}
