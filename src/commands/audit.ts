import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { AuditFile, auditFilePath } from '../core/audit/log.js';
import { parseDuration, recordsSince } from '../core/audit/query.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { safeJson, sanitizeForTerminal } from '../core/safety/sanitize.js';
import { auditCsv, auditJson } from '../output/audit-export.js';
import { auditListText, corruptLinesText } from '../output/audit-text.js';

/** The audit file as configured. */
function openAudit(ctx: CommandContext): AuditFile {
  const { auditFile } = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env });
  return new AuditFile(auditFilePath(ctx.io.env, ctx.io.env.HOME ?? homedir(), auditFile && resolve(ctx.io.cwd, auditFile)));
}

/** Reads the audit file, warning on stderr about unreadable lines (which stay in the file). */
function readWindow(ctx: CommandContext, since?: string) {
  const sinceMs = since === undefined ? undefined : parseDuration(since, '--since');
  const file = openAudit(ctx);
  const { records, corrupt } = file.read();
  ctx.io.stderr.write(corruptLinesText(file.path, corrupt));
  return { path: file.path, records: recordsSince(records, sinceMs, ctx.deps.clock.now()), corrupt };
}

export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program
    .command('audit')
    .description('read the local rollback audit log (~/.local/state/opsctl/audit.jsonl, or OPSCTL_AUDIT_FILE / auditFile in ~/.config/opsctl/config.json)');
  audit
    .command('list')
    .description('list audit records, oldest first')
    .option('--since <duration>', 'only records newer than this, e.g. 7d, 12h', '7d')
    .option('--json', 'print JSON (schema opsctl.audit-export/v1)')
    .action((flags: { since: string; json?: boolean }) => {
      const { path, records, corrupt } = readWindow(ctx, flags.since);
      ctx.io.stdout.write(flags.json ? `${safeJson(auditJson(path, records, corrupt))}\n` : sanitizeForTerminal(auditListText(records)));
    });
  audit
    .command('export')
    .description('write every audit record to stdout as CSV or JSON')
    .option('--format <format>', 'csv | json', 'csv')
    .option('--since <duration>', 'only records newer than this (default: all)')
    .action((flags: { format: string; since?: string }) => {
      if (flags.format !== 'csv' && flags.format !== 'json') {
        throw new OpsctlError('usage', `--format must be csv or json (got "${flags.format}")`);
      }
      const { path, records, corrupt } = readWindow(ctx, flags.since);
      ctx.io.stdout.write(flags.format === 'csv' ? auditCsv(records) : `${safeJson(auditJson(path, records, corrupt))}\n`);
    });
  audit
    .command('verify')
    .description('check the hash chain of the audit log: the first edited, removed or reordered line (exit 12)')
    .option('--json', 'print JSON (schema opsctl.audit-verify/v1)')
    .action((flags: { json?: boolean }) => {
      const file = openAudit(ctx);
      const report = file.verify();
      if (flags.json) ctx.io.stdout.write(`${safeJson({ schema: 'opsctl.audit-verify/v1', file: file.path, records: report.records, ok: !report.broken, ...(report.broken ? { broken: report.broken } : {}) })}\n`);
      else if (!report.broken) ctx.io.stdout.write(sanitizeForTerminal(`${file.path}: ${report.records} record${report.records === 1 ? '' : 's'}, hash chain intact\n`));
      if (report.broken) {
        if (flags.json) ctx.state.exitCode = EXIT.GATE;
        else throw new OpsctlError('gate', `${file.path}:${report.broken.line}: hash chain broken: ${report.broken.reason}`, 'the file was changed after it was written; compare it with a backup, and keep this copy as evidence');
      }
    });
  for (const sub of audit.commands) sub.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
}
