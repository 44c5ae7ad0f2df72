import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { registerIncidentIo } from './incident-io.js';
import { registerIncidentManage } from './incident-manage.js';
import { registerIncidentReport } from './incident-report.js';

export function registerIncident(program: Command, ctx: CommandContext): void {
  const incident = program
    .command('incident')
    .description('incident memory: seen before? duplicates folded, regressions caught (SQLite, or PostgreSQL with OPSCTL_INCIDENTS_URL)');
  registerIncidentReport(incident, ctx);
  registerIncidentManage(incident, ctx);
  registerIncidentIo(incident, ctx);
  for (const sub of incident.commands) sub.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) });
}
