import type { CommandContext } from '../cli/program.js';
import type { Config } from '../config/schema.js';
import { recordIncident } from '../core/incidents/record.js';
import type { ReportResult } from '../core/incidents/report.js';
import { alarmReportText, incidentRef } from '../core/incidents/text.js';
import type { NextStep, TriageReport } from '../core/triage/types.js';
import { adviser } from './incident-report.js';
import { whoAmI, withIncidents } from './incident-store.js';

/** --record, or `incidents.record: true` in the config. */
export function recording(flags: { record?: boolean }, config: Config): boolean {
  return flags.record ?? config.incidentsRecord;
}

/** Reports what triage found into incident memory: the alarm as the text, the service behind it (or the alarm) as the service. */
export async function recordTriage(ctx: CommandContext, config: Config, report: TriageReport): Promise<ReportResult> {
  const service = report.classification.service?.service ?? report.alarm.name;
  return withIncidents(ctx, config, (store) =>
    recordIncident(
      store,
      { service, text: alarmReportText(report.alarm), source: `triage:${report.alarm.name}`, who: whoAmI(ctx.io.env), at: ctx.deps.clock.now() },
      { advise: adviser(ctx, { ...config, llm: 'none' }), onNote: (m) => ctx.io.stderr.write(`opsctl: ${m}\n`) },
    ),
  );
}

/** A suggested rollback carries --incident, so completing it (with the alarm OK again) resolves the incident. */
export function withIncident(next: NextStep[], r: ReportResult): NextStep[] {
  const ref = incidentRef(r.incident.id);
  return next.map((s) => (s.command.startsWith('opsctl rollback ') ? { ...s, command: s.command.replace(/ --dry-run$/, ` --incident ${ref} --dry-run`) } : s));
}

/** Reports a diagnosis's evidence lines (the failure as the log shows it) into incident memory. */
export async function recordDiagnosis(ctx: CommandContext, config: Config, service: string, evidence: Array<{ text: string }>): Promise<ReportResult | undefined> {
  const text = evidence.map((e) => e.text).join('\n');
  if (text.trim() === '') {
    ctx.io.stderr.write('opsctl: nothing recorded: the diagnosis found no failure lines\n');
    return undefined;
  }
  return withIncidents(ctx, config, (store) =>
    recordIncident(store, { service, text, source: 'diagnose', who: whoAmI(ctx.io.env), at: ctx.deps.clock.now() }, { onNote: (m) => ctx.io.stderr.write(`opsctl: ${m}\n`) }),
  );
}
