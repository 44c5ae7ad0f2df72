import { describe, expect, it } from 'vitest';
import type { Hit } from '../../../src/core/runbooks/search.js';
import { triageAlarm } from '../../../src/core/triage/triage.js';
import { triageJson } from '../../../src/output/triage-json.js';
import { triageText } from '../../../src/output/triage-text.js';
import { fakeWorld, type FailPoint } from './fakes.js';

function hit(file: string, startLine: number, heading: string[], relevance: number): Hit {
  const source = { file, startLine, endLine: startLine + 10, headingPath: heading };
  return { section: { label: 0, hash: '', title: heading.at(-1) ?? '', headingPath: heading, text: '', sources: [source] }, score: relevance, relevance, lexical: 0, dense: 0, matched: [] } as unknown as Hit;
}

async function report(fail?: FailPoint) {
  const w = fakeWorld(fail);
  const runbooks = w.deps.runbooks;
  w.deps.runbooks = async (q) => ({ ...(await runbooks(q)), hits: [hit('ecs-tasks-failing.md', 91, ['ECS tasks failing', 'Remediation', 'Roll back the last deploy'], 0.4), hit('alb-5xx.md', 38, ['ALB', 'Investigation'], 0.3)] });
  return triageAlarm(w.deps, { alarm: 'web-api-CPU-High' });
}

describe('triage presenters', () => {
  it('text: alarm, metric line with sparkline, service, deploy timing, rollback, runbooks, next — no escape codes', async () => {
    const text = triageText(await report(), 'runbooks', 1);
    expect(text.includes('\u001b')).toBe(false);
    expect(text).toContain("ECS service: prod/web-api (named by the alarm's dimensions)");
    expect(text).toMatch(/\n {2}▁▃▇██ {2}min 20 {2}max 96 {2}last 96 at 11:59 UTC {3}alarm when > 80\n/);
    expect(text).toContain('Service: web-api (cluster prod): ACTIVE, running 2/2, task definition web-api:4');
    expect(text).toMatch(/web-api:4: registered 2025-06-01 11:38 UTC, rollout started 2025-06-01 11:37 UTC: deployed 12 min before the alarm {2}← likely suspect/);
    expect(text).toContain('Rollback: possible, web-api:4 → web-api:2 (skipped, not ACTIVE: web-api:3)');
    expect(text).toContain('  container app: image web-api:v4 → web-api:v2');
    expect(text).toContain('Runbooks:\n  1. runbooks/ecs-tasks-failing.md:91-101 › ECS tasks failing › Remediation › Roll back the last deploy  (relevance 0.40)\n\nNext:');
    expect(text.endsWith('Next:\n  opsctl rollback --cluster prod --service web-api --dry-run\n    preview rolling web-api back from web-api:4 to web-api:2; nothing changes\n  opsctl ask --alarm web-api-CPU-High\n    read the matching runbook sections in full\n')).toBe(true);
  });

  it.each([
    { fail: 'series' as const, line: 'Metric: could not check: access denied: series\n  hint: grant it (series)' },
    { fail: 'describeService' as const, line: 'Service: could not check: access denied: describeService\n  hint: grant it (describeService)\nRollback: could not check' },
    { fail: 'runbooks' as const, line: 'Runbooks: could not check: access denied: runbooks' },
    { fail: 'lastAlarmAt' as const, line: '  alarm history: could not check: access denied: lastAlarmAt' },
    { fail: 'describeTaskDefinition:current' as const, line: '  task definition: could not check: access denied: describeTaskDefinition:current' },
  ])('text: $fail failing is one "could not check" line with its hint', async ({ fail, line }) => {
    const text = triageText(await report(fail), 'runbooks');
    expect(text).toContain(line);
    expect(text).toContain('Next:\n');
  });

  it('json: opsctl.triage/v1 with ISO times, failures as {status, message, hint}, runbook citations under the root', async () => {
    const j = triageJson(await report('series'), 'runbooks', 2);
    expect(j.schema).toBe('opsctl.triage/v1');
    expect(j.metric).toEqual({ status: 'failed', message: 'access denied: series', hint: 'grant it (series)' });
    expect(j.alarmAt).toEqual({ status: 'ok', value: '2025-06-01T11:50:00.000Z' });
    expect(j.deploy).toEqual({ status: 'ok', value: { taskDefinition: 'web-api:4', registeredAt: '2025-06-01T11:38:00.000Z', deploymentStartedAt: '2025-06-01T11:37:00.000Z', deployedAt: '2025-06-01T11:38:00.000Z', minutesBeforeAlarm: 12, suspect: true } });
    expect(j.rollback).toEqual({ status: 'ok', value: { possible: true, from: 'web-api:4', to: 'web-api:2', skipped: ['web-api:3'], warnings: [], images: [{ container: 'app', from: 'web-api:v4', to: 'web-api:v2' }] } });
    expect(j.runbooks.status === 'ok' && j.runbooks.value.sections.map((s) => s.citation)).toEqual([
      'runbooks/ecs-tasks-failing.md:91-101 › ECS tasks failing › Remediation › Roll back the last deploy',
      'runbooks/alb-5xx.md:38-48 › ALB › Investigation',
    ]);
    expect(j.classification).toMatchObject({ kind: 'ecs-cpu', service: { cluster: 'prod', service: 'web-api', from: 'alarm' }, serviceHint: null });
    // Round-trips through JSON unchanged (no Dates or undefined left in it).
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
