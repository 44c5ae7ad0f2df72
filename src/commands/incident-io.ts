import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { loadConfig } from '../config/load.js';
import { OpsctlError } from '../core/errors.js';
import { DEFAULT_THRESHOLD } from '../core/incidents/decide.js';
import { ingestLine, type IngestCounts } from '../core/incidents/ingest.js';
import { CSV_HEADER, exportCsvLine, exportJsonlLine } from '../output/incident-export.js';
import { INCIDENT_SCHEMA } from '../output/incident-json.js';
import { parseThreshold } from './incident-report.js';
import { whoAmI, withIncidents } from './incident-store.js';

export function registerIncidentIo(incident: Command, ctx: CommandContext): void {
  incident
    .command('export')
    .description('every incident, as JSON Lines or CSV, on stdout')
    .option('--format <format>', 'jsonl | csv', 'jsonl')
    .action(async (flags: { format: string }) => {
      if (flags.format !== 'jsonl' && flags.format !== 'csv') throw new OpsctlError('usage', `--format must be jsonl or csv (got ${flags.format})`);
      const items = await withIncidents(ctx, loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env }), (s) => s.list({}));
      if (flags.format === 'csv') ctx.io.stdout.write(CSV_HEADER);
      for (const i of items) ctx.io.stdout.write(flags.format === 'csv' ? exportCsvLine(i) : exportJsonlLine(i));
    });

  incident
    .command('ingest')
    .description('report many failures: one JSON object a line, {"service": "...", "text": "...", "at"?: ISO time, "source"?: "...", "who"?: "..."}')
    .argument('<file>', 'a .jsonl file, or - for stdin')
    .option('--threshold <x>', 'similarity in [0,1] a report needs to match an incident', String(DEFAULT_THRESHOLD))
    .option('--json', 'print the counts as JSON (schema opsctl.incident/v1)')
    .action(async (file: string, flags: { threshold: string; json?: boolean }) => {
      const threshold = parseThreshold(flags.threshold);
      const input = file === '-' ? ctx.io.stdin : createReadStream(resolve(ctx.io.cwd, file));
      const opened = new Promise<void>((ok, fail) => {
        if (file === '-') return ok();
        input.once('open', () => ok());
        input.once('error', (e: NodeJS.ErrnoException) => fail(new OpsctlError('input', `cannot read ${file}: ${e.code ?? e.message}`, 'check the path')));
      });
      await opened;
      const who = whoAmI(ctx.io.env);
      const counts: IngestCounts = { new: 0, existing: 0, regression: 0, rejected: 0 };
      await withIncidents(ctx, loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env }), async (store) => {
        let n = 0;
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          n++;
          if (ctx.io.signal.aborted) break;
          if (line.trim() === '') continue;
          const r = await ingestLine(store, line, n, { who, now: ctx.deps.clock.now(), threshold });
          if (typeof r === 'string') {
            counts.rejected++;
            ctx.io.stderr.write(`opsctl: ${file}:${n}: ${r}\n`);
          } else counts[r.status]++;
        }
      });
      const total = counts.new + counts.existing + counts.regression;
      ctx.io.stdout.write(flags.json ? `${JSON.stringify({ schema: INCIDENT_SCHEMA, command: 'ingest', reports: total, ...counts }, null, 2)}\n` : `${total} reports: ${counts.new} new, ${counts.existing} existing, ${counts.regression} regressions${counts.rejected ? `, ${counts.rejected} lines rejected` : ''}\n`);
      if (counts.rejected > 0) ctx.state.exitCode = 4;
    });
}
