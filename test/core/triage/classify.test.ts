import { describe, expect, it } from 'vitest';
import { classifyAlarm, triageQuery, type AlarmKind, type ServiceHints } from '../../../src/core/triage/classify.js';
import type { AlarmInfo } from '../../../src/core/ports.js';

function alarm(namespace: string | undefined, metricName: string | undefined, dims: Record<string, string> = {}): AlarmInfo {
  return { name: 'A', namespace, metricName, dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })) };
}

const ALB = { LoadBalancer: 'app/prod-alb/0123' };
const TG = { TargetGroup: 'targetgroup/web-api/abcd', LoadBalancer: 'app/prod-alb/0123' };
const SVC = { ClusterName: 'prod', ServiceName: 'web-api' };

interface Row {
  what: string;
  a: AlarmInfo;
  hints?: ServiceHints;
  kind: AlarmKind;
  deployRelated: boolean;
  service?: string;
  from?: string;
  /** Substring of serviceHint, or null for none. */
  hint: string | null;
  resource?: string;
}

const rows: Row[] = [
  { what: 'ALB ELB 5xx', a: alarm('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ALB), kind: 'lb-5xx', deployRelated: true, hint: '--cluster CLUSTER --service SERVICE', resource: 'app/prod-alb/0123' },
  { what: 'ALB target 5xx', a: alarm('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', TG), kind: 'lb-5xx', deployRelated: true, hint: 'targetgroup/web-api/abcd', resource: 'targetgroup/web-api/abcd' },
  { what: 'ALB 502 count', a: alarm('AWS/ApplicationELB', 'HTTPCode_ELB_502_Count', ALB), kind: 'lb-5xx', deployRelated: true, hint: '--cluster' },
  { what: 'classic ELB backend 5xx', a: alarm('AWS/ELB', 'HTTPCode_Backend_5XX', { LoadBalancerName: 'web' }), kind: 'lb-5xx', deployRelated: true, hint: '--service', resource: 'web' },
  { what: 'ALB 4xx is not 5xx', a: alarm('AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count', ALB), kind: 'load-balancer', deployRelated: true, hint: '--cluster' },
  { what: 'unhealthy hosts', a: alarm('AWS/ApplicationELB', 'UnHealthyHostCount', TG), kind: 'target-health', deployRelated: true, hint: '--cluster' },
  { what: 'NLB healthy hosts', a: alarm('AWS/NetworkELB', 'HealthyHostCount', TG), kind: 'target-health', deployRelated: true, hint: '--cluster' },
  { what: 'ALB 5xx with both hints', a: alarm('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ALB), hints: { cluster: 'prod', service: 'web-api' }, kind: 'lb-5xx', deployRelated: true, service: 'prod/web-api', from: 'flags', hint: null },
  { what: 'ALB 5xx with --service only', a: alarm('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ALB), hints: { service: 'web-api' }, kind: 'lb-5xx', deployRelated: true, hint: 'pass --cluster CLUSTER (' },
  { what: 'ECS CPU', a: alarm('AWS/ECS', 'CPUUtilization', SVC), kind: 'ecs-cpu', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null, resource: 'prod/web-api' },
  { what: 'ECS memory', a: alarm('AWS/ECS', 'MemoryUtilization', SVC), kind: 'ecs-memory', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null },
  { what: 'Container Insights CPU', a: alarm('ECS/ContainerInsights', 'CpuUtilized', SVC), kind: 'ecs-cpu', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null },
  { what: 'Container Insights memory', a: alarm('ECS/ContainerInsights', 'MemoryUtilized', SVC), kind: 'ecs-memory', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null },
  { what: 'running task count', a: alarm('ECS/ContainerInsights', 'RunningTaskCount', SVC), kind: 'ecs-task-count', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null },
  { what: 'cluster-level ECS CPU', a: alarm('AWS/ECS', 'CPUReservation', { ClusterName: 'prod' }), kind: 'ecs-cpu', deployRelated: true, hint: 'names no service: pass --service SERVICE', resource: 'prod' },
  { what: 'cluster-level + --service', a: alarm('AWS/ECS', 'CPUUtilization', { ClusterName: 'prod' }), hints: { service: 'api' }, kind: 'ecs-cpu', deployRelated: true, service: 'prod/api', from: 'alarm+flags', hint: null },
  { what: 'ECS other metric', a: alarm('AWS/ECS', 'StorageReadBytes', SVC), kind: 'ecs', deployRelated: true, service: 'prod/web-api', from: 'alarm', hint: null },
  { what: 'RDS', a: alarm('AWS/RDS', 'CPUUtilization', { DBInstanceIdentifier: 'orders' }), kind: 'rds', deployRelated: false, hint: null, resource: 'orders' },
  { what: 'RDS ignores hints', a: alarm('AWS/RDS', 'DatabaseConnections', {}), hints: { cluster: 'prod', service: 'web-api' }, kind: 'rds', deployRelated: false, hint: null },
  { what: 'Lambda', a: alarm('AWS/Lambda', 'Errors', { FunctionName: 'resize' }), kind: 'lambda', deployRelated: false, hint: null, resource: 'resize' },
  { what: 'SQS', a: alarm('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: 'jobs' }), kind: 'sqs', deployRelated: false, hint: null },
  { what: 'API Gateway', a: alarm('AWS/ApiGateway', '5XXError', { ApiName: 'public' }), kind: 'api-gateway', deployRelated: false, hint: null },
  { what: 'EC2 (unknown namespace)', a: alarm('AWS/EC2', 'CPUUtilization', { InstanceId: 'i-1' }), kind: 'other', deployRelated: false, hint: null, resource: 'i-1' },
  { what: 'other + both hints', a: alarm('Custom/App', 'Errors'), hints: { cluster: 'prod', service: 'web-api' }, kind: 'other', deployRelated: true, service: 'prod/web-api', from: 'flags', hint: null },
  { what: 'composite', a: alarm(undefined, undefined), kind: 'other', deployRelated: false, hint: null },
];

describe('classifyAlarm', () => {
  it.each(rows)('$what → $kind', (row) => {
    const c = classifyAlarm(row.a, row.hints);
    expect(c.kind).toBe(row.kind);
    expect(c.deployRelated).toBe(row.deployRelated);
    expect(c.service ? `${c.service.cluster}/${c.service.service}` : undefined).toBe(row.service);
    expect(c.service?.from).toBe(row.from);
    if (row.hint === null) expect(c.serviceHint).toBeUndefined();
    else expect(c.serviceHint).toContain(row.hint);
    if (row.resource) expect(c.resource).toBe(row.resource);
  });

  it('notes a flag that overrides the alarm dimension, and uses the flag', () => {
    const c = classifyAlarm(alarm('AWS/ECS', 'CPUUtilization', SVC), { service: 'web-api-canary' });
    expect(c.service).toEqual({ cluster: 'prod', service: 'web-api-canary', from: 'alarm+flags' });
    expect(c.notes).toEqual(["--service web-api-canary overrides the alarm's ServiceName web-api"]);
  });

  it('says the hints are ignored for a runbook-only alarm', () => {
    expect(classifyAlarm(alarm('AWS/Lambda', 'Errors'), { cluster: 'prod' }).notes[0]).toMatch(/ignored: Lambda function alarms are triaged from the runbooks only/);
  });
});

describe('triageQuery', () => {
  it('joins the name words, description, metric and the classification words; no dimensions or state reason numbers', () => {
    const a: AlarmInfo = { ...alarm('AWS/ECS', 'CPUUtilization', SVC), name: 'web-api_CPU.High', description: 'tasks  busy', stateReason: 'Threshold Crossed: 1 datapoint [96.0]' };
    const q = triageQuery(a, classifyAlarm(a));
    expect(q).toBe('web api CPU High tasks busy CPUUtilization ECS service tasks deploy roll back task definition CPU');
  });
});
