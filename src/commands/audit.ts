import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { AuditFile, auditFilePath } from '../core/audit/log.js';
import { parseDuration, recordsSince } from '../core/audit/query.js';
import { OpsctlError } from '../core/errors.js';
import { auditCsv, auditJson } from '../output/audit-export.js';
import { auditListText, corruptLinesText } from '../output/audit-text.js';

/** Reads the audit file, warning on stderr about unreadable lines (which stay in the file). */
function readWindow(ctx: CommandContext, since?: string) {
  const sinceMs = since === undefined ? undefined : parseDuration(since, '--since');
  const { auditFile } = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env });
  const file = new AuditFile(auditFilePath(ctx.io.env, ctx.io.env.HOME ?? homedir(), auditFile && resolve(ctx.io.cwd, auditFile)));
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
      ctx.io.stdout.write(flags.json ? `${JSON.stringify(auditJson(path, records, corrupt), null, 2)}\n` : auditListText(records));
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
      ctx.io.stdout.write(flags.format === 'csv' ? auditCsv(records) : `${JSON.stringify(auditJson(path, records, corrupt), null, 2)}\n`);
    });
  for (const sub of audit.commands) sub.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
}
