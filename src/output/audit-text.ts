import type { CorruptLine } from '../core/audit/log.js';
import type { AuditRecord } from '../core/audit/record.js';

/** One line per record, oldest first, for `opsctl audit list`. */
export function auditListText(records: AuditRecord[]): string {
  if (!records.length) return 'No audit records in that window.\n';
  const lines = records.map((r) => {
    const move = r.from || r.to ? `${r.from ?? '?'} → ${r.to ?? '?'}` : '-';
    const who = r.caller ? `${r.user} (${r.caller})` : r.user;
    const extra = [r.reason ? `reason: ${r.reason}` : '', r.detail ?? ''].filter(Boolean).join('; ');
    return `${r.time.slice(0, 19)}Z  ${r.event.padEnd(8)} ${r.outcome.padEnd(10)} ${r.approval.padEnd(5)}  ${r.cluster}/${r.service}  ${move}  ${who}${extra ? `  ${extra}` : ''}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Warns about lines that could not be read; they stay in the file untouched. */
export function corruptLinesText(path: string, corrupt: CorruptLine[]): string {
  return corrupt.map((c) => `opsctl: ${path}:${c.line}: unreadable audit line skipped (${c.error}); the file is left as is\n`).join('');
}
