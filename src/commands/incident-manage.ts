import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { loadConfig } from '../config/load.js';
import { parseDuration } from '../core/audit/query.js';
import { OpsctlError } from '../core/errors.js';
import { noteIncident, reopenIncident, requireIncident, resolveIncident } from '../core/incidents/resolve.js';
import { parseIncidentId } from '../core/incidents/text.js';
import type { IncidentStatus } from '../core/ports.js';
import { changedJson, listJson, showJson } from '../output/incident-json.js';
import { listText, showText } from '../output/incident-text.js';
import { whoAmI, withIncidents } from './incident-store.js';

interface JsonFlag { json?: boolean }

/** --since: a duration back from now (7d, 12h) or an ISO date/time. */
export function parseSince(raw: string, now: Date): string {
  if (/^\d+(\.\d+)?(ms|s|m|h|d|w)$/.test(raw.trim())) return new Date(now.getTime() - parseDuration(raw, '--since')).toISOString();
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw new OpsctlError('usage', `--since: not a duration or a date: "${raw}"`, 'use e.g. 7d, 12h or 2026-11-01');
  return new Date(t).toISOString();
}

export function registerIncidentManage(incident: Command, ctx: CommandContext): void {
  const config = () => loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env });
  const print = (flags: JsonFlag, json: unknown, text: string) => ctx.io.stdout.write(outputMode(ctx.io, flags) === 'json' ? `${JSON.stringify(json, null, 2)}\n` : text);

  incident
    .command('list')
    .description('incidents, oldest first')
    .option('--status <status>', 'open | resolved')
    .option('--service <name>', 'only this service')
    .option('--since <when>', 'seen since: a duration (7d, 12h) or a date')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (flags: { status?: string; service?: string; since?: string } & JsonFlag) => {
      if (flags.status !== undefined && flags.status !== 'open' && flags.status !== 'resolved') throw new OpsctlError('usage', `--status must be open or resolved (got ${flags.status})`);
      const since = flags.since === undefined ? undefined : parseSince(flags.since, ctx.deps.clock.now());
      const items = await withIncidents(ctx, config(), (s) => s.list({ status: flags.status as IncidentStatus | undefined, service: flags.service, since }));
      print(flags, listJson(items), listText(items));
    });

  incident
    .command('show')
    .description('one incident: its occurrences, notes, resolution and what it is a regression of')
    .argument('<id>', 'INC-12 or 12')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (raw: string, flags: JsonFlag) => {
      const id = parseIncidentId(raw);
      const [inc, occ, notes, prev] = await withIncidents(ctx, config(), async (s) => {
        const i = await requireIncident(s, id);
        return [i, await s.occurrences(id), await s.notes(id), i.regressionOf === undefined ? undefined : await s.get(i.regressionOf)] as const;
      });
      print(flags, showJson(inc, occ, notes, prev), showText(inc, occ, notes, prev));
    });

  incident
    .command('note')
    .description('add a note to an incident')
    .argument('<id>', 'INC-12 or 12')
    .argument('<text>', 'the note')
    .option('--by <who>', 'who writes it (default: your user name)')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (raw: string, text: string, flags: { by?: string } & JsonFlag) => {
      const id = parseIncidentId(raw);
      const inc = await withIncidents(ctx, config(), async (s) => {
        await noteIncident(s, id, { text, who: flags.by ?? whoAmI(ctx.io.env), at: ctx.deps.clock.now() });
        return requireIncident(s, id);
      });
      print(flags, changedJson('note', inc), `noted on INC-${id}\n`);
    });

  incident
    .command('resolve')
    .description('mark an incident resolved, saying what fixed it (shown when it comes back as a regression)')
    .argument('<id>', 'INC-12 or 12')
    .option('--resolution <text>', 'what fixed it')
    .option('--by <who>', 'who fixed it (default: your user name)')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (raw: string, flags: { resolution?: string; by?: string } & JsonFlag) => {
      const id = parseIncidentId(raw);
      if (!flags.resolution?.trim()) throw new OpsctlError('usage', 'resolve needs --resolution TEXT', 'say what fixed it, e.g. --resolution "rolled back web-api to :41"');
      const inc = await withIncidents(ctx, config(), (s) => resolveIncident(s, id, { text: flags.resolution!, by: flags.by ?? whoAmI(ctx.io.env), at: ctx.deps.clock.now() }));
      print(flags, changedJson('resolve', inc), `resolved INC-${id}\n`);
    });

  incident
    .command('reopen')
    .description('reopen a resolved incident')
    .argument('<id>', 'INC-12 or 12')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (raw: string, flags: JsonFlag) => {
      const id = parseIncidentId(raw);
      const inc = await withIncidents(ctx, config(), (s) => reopenIncident(s, id, whoAmI(ctx.io.env), ctx.deps.clock.now()));
      print(flags, changedJson('reopen', inc), `reopened INC-${id}\n`);
    });
}
