import type { Gathered, RollbackCheck, ServiceSnapshot, TriageReport } from '../core/triage/types.js';
import type { DeployTiming, MetricSummary } from '../core/triage/metric.js';
import { LB_NAMESPACES } from '../core/triage/classify.js';
import { lookupScope } from '../core/triage/find-service.js';
import { shellArg } from '../core/triage/next.js';
import { citation } from './sections.js';
import { sparkline } from './triage-sparkline.js';

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

const NAMED_BY = {
  alarm: "the alarm's dimensions", flags: '--cluster/--service', 'alarm+flags': "the alarm's dimensions and --cluster/--service", 'target-group': "the alarm's target group",
} as const;

/** "2025-03-01 14:05 UTC": minutes are what on-call people compare. */
export function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "12 min", "3 h 5 min", "2 d 4 h". */
export function span(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

/** A section that could not be gathered: one line why, and the hint. */
function unavailable(title: string, g: Exclude<Gathered<unknown>, { status: 'ok' }>): string[] {
  if (g.status === 'skipped') return [`${title}: not checked (${g.reason})`];
  return [`${title}: could not check: ${g.message}`, ...(g.hint ? [`  hint: ${g.hint}`] : [])];
}

/** The target group lookup: what it found and where it looked, or why a load balancer alarm had none. */
function lookupLines(r: TriageReport): string[] {
  const g = r.serviceLookup;
  if (g.status === 'failed') return unavailable('  target group lookup', g);
  if (g.status === 'skipped') {
    return !r.classification.service && LB_NAMESPACES.has(r.alarm.namespace ?? '') ? [`  target group lookup: not done: ${g.reason}`] : [];
  }
  const l = g.value;
  const n = l.matches.length;
  const out = [`  target group ${l.targetGroup}: ${n === 1 ? '1 ECS service uses' : `${n || 'no'} ECS services use`} it (${lookupScope(l)})`];
  if (n > 1) for (const m of l.matches) out.push(`    ${m.cluster}/${m.service}: pick it with --cluster ${shellArg(m.cluster)} --service ${shellArg(m.service)}`);
  if (l.capped) out.push(`    search capped: ${l.capped}; pass --cluster to search one cluster fully`);
  for (const f of l.failures) out.push(`    could not search cluster ${f.cluster}: ${f.message}`);
  return out;
}

function metricLines(m: MetricSummary): string[] {
  const head = `Metric: ${m.namespace} ${m.metricName}, ${m.statistic} per ${m.periodSeconds / 60} min, last hour`;
  if (m.min === undefined || m.max === undefined || m.last === undefined) return [`${head}: no data points`];
  const op = COMPARISON[m.comparison ?? ''] ?? m.comparison;
  const threshold = m.threshold !== undefined ? `   alarm when ${op ? `${op} ` : ''}${num(m.threshold)}` : '';
  return [head, `  ${sparkline(m.points.map((p) => p.value))}  min ${num(m.min)}  max ${num(m.max)}  last ${num(m.last)}${m.lastAt ? ` at ${utc(m.lastAt).slice(11)}` : ''}${threshold}`];
}

function deployLine(t: DeployTiming): string {
  const times = [t.registeredAt ? `registered ${utc(t.registeredAt)}` : 'registration time unknown', ...(t.deploymentStartedAt ? [`rollout started ${utc(t.deploymentStartedAt)}`] : [])];
  const head = `  ${t.taskDefinition}: ${times.join(', ')}`;
  if (t.minutesBeforeAlarm === undefined) return t.deployedAt ? `${head} (alarm time unknown)` : head;
  const rel = t.minutesBeforeAlarm >= 0 ? `${span(t.minutesBeforeAlarm * 60_000)} before the alarm` : `${span(t.minutesBeforeAlarm * 60_000)} after the alarm went off`;
  return `${head}: deployed ${rel}${t.suspect ? '  ← likely suspect' : ''}`;
}

function serviceLines(s: ServiceSnapshot, deploy: Gathered<DeployTiming>): string[] {
  const out = [`Service: ${s.service} (cluster ${s.cluster}): ${s.status}, running ${s.runningCount}/${s.desiredCount}${s.pendingCount ? `, pending ${s.pendingCount}` : ''}, task definition ${s.taskDefinition}`];
  out.push(...(deploy.status === 'ok' ? [deployLine(deploy.value)] : unavailable('  task definition', deploy)));
  for (const d of s.deployments) {
    const state = d.rolloutState ? ` ${d.rolloutState}${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''}` : '';
    out.push(`  deployment ${d.status} ${d.taskDefinition}${state}: ${d.runningCount}/${d.desiredCount} running${d.failedTasks ? `, ${d.failedTasks} failed tasks` : ''}${d.createdAt ? `, started ${utc(d.createdAt)}` : ''}`);
  }
  if (s.events.length) out.push('  recent events:', ...s.events.map((e) => `    ${e.createdAt ? utc(e.createdAt).slice(11, 16) : '     '} ${e.message}`));
  return out;
}

function rollbackLines(r: RollbackCheck): string[] {
  if (!r.possible) return [`Rollback: not possible now: ${r.reason}`, ...(r.hint ? [`  hint: ${r.hint}`] : [])];
  const out = [`Rollback: possible, ${r.from} → ${r.to}${r.skipped.length ? ` (skipped, not ACTIVE: ${r.skipped.join(', ')})` : ''}`];
  for (const c of r.containers) if (c.imageFrom !== c.imageTo) out.push(`  container ${c.name}: image ${c.imageFrom ?? '(none)'} → ${c.imageTo ?? '(none)'}`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return out;
}

/** The plain-text triage summary (no escape codes), meant to be read top to bottom at 3 a.m. */
export function triageText(r: TriageReport, root: string, maxSections = 3): string {
  const a = r.alarm;
  const c = r.classification;
  const since = r.alarmAt.status === 'ok' && r.alarmAt.value ? ` (went into ALARM ${utc(r.alarmAt.value)})` : '';
  const out = [`Alarm ${a.name}: ${a.state ?? 'state unknown'}${since}`];
  if (a.stateReason) out.push(`  ${a.stateReason}`);
  out.push(`  what: ${c.label}${a.namespace ? ` · ${a.namespace} ${a.metricName ?? ''}`.trimEnd() : ''}${c.resource ? ` · ${c.resource}` : ''}`);
  if (c.service) out.push(`  ECS service: ${c.service.cluster}/${c.service.service} (named by ${NAMED_BY[c.service.from]})`);
  else if (c.serviceHint) out.push(`  ECS service: unknown: ${c.serviceHint}`);
  else out.push('  ECS service: not involved: triaged from the runbooks');
  out.push(...lookupLines(r));
  for (const n of c.notes) out.push(`  note: ${n}`);
  if (r.alarmAt.status === 'failed') out.push(...unavailable('  alarm history', r.alarmAt));
  out.push('');
  out.push(...(r.metric.status === 'ok' ? metricLines(r.metric.value) : unavailable('Metric', r.metric)));
  if (c.service) {
    out.push(...(r.service.status === 'ok' ? serviceLines(r.service.value, r.deploy) : unavailable('Service', r.service)));
    out.push(...(r.rollback.status === 'ok' ? rollbackLines(r.rollback.value) : unavailable('Rollback', r.rollback)));
  }
  if (r.runbooks.status !== 'ok') out.push(...unavailable('Runbooks', r.runbooks));
  else if (r.runbooks.value.noMatch || !r.runbooks.value.hits.length) out.push('Runbooks: no runbook section matches this alarm well enough');
  else {
    out.push('Runbooks:');
    r.runbooks.value.hits.slice(0, maxSections).forEach((h, i) => {
      out.push(`  ${i + 1}. ${citation(h.section.sources[0], root)}  (relevance ${h.relevance.toFixed(2)})`);
    });
  }
  out.push('', 'Next:');
  for (const s of r.next) out.push(`  ${s.command}`, `    ${s.why}`);
  return `${out.join('\n')}\n`;
}
