import { OpsctlError } from '../../../src/core/errors.js';
import type { AlarmInfo, AlarmSource, EcsGateway, EcsServiceInfo, EcsServiceList, MetricPoint, MetricQuery, MetricSource, TaskDefinitionInfo } from '../../../src/core/ports.js';
import type { TriageDeps } from '../../../src/core/triage/triage.js';
import type { RunbookMatches } from '../../../src/core/triage/types.js';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const ALARM_AT = new Date('2025-06-01T11:50:00Z');
const ARN = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web-api:${rev}`;

export const CPU_ALARM: AlarmInfo = {
  name: 'web-api-CPU-High', namespace: 'AWS/ECS', metricName: 'CPUUtilization', statistic: 'Average', threshold: 80, comparison: 'GreaterThanThreshold',
  dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'web-api' }], state: 'ALARM',
};
export const ALB_ALARM: AlarmInfo = {
  name: 'ALB-5xx-High', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', statistic: 'Sum',
  dimensions: [{ name: 'LoadBalancer', value: 'app/prod/1' }], state: 'ALARM',
};
/** Target 5xx on the ALB's web-api target group: names no ECS service, only the target group. */
export const TG_ALARM: AlarmInfo = {
  ...ALB_ALARM, name: 'ALB-Target-5xx', metricName: 'HTTPCode_Target_5XX_Count',
  dimensions: [{ name: 'LoadBalancer', value: 'app/prod/1' }, { name: 'TargetGroup', value: 'targetgroup/web-api/0123456789abcdef' }],
};
export const TG_ARN = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
export const COMPOSITE_ALARM: AlarmInfo = { name: 'Checkout-Broken', dimensions: [], state: 'ALARM', description: 'composite alarm: ALARM(a) OR ALARM(b)' };

/** A method of a fake that should fail, and how. */
export type FailPoint = 'listClusters' | 'listServices' | 'describeAlarm' | 'series' | 'lastAlarmAt' | 'describeService' | 'describeTaskDefinition:current' | 'listTaskDefinitions' | 'runbooks';

export function awsError(what: string): OpsctlError {
  return new OpsctlError('aws', `access denied: ${what}`, `grant it (${what})`);
}

function taskDef(rev: number, registeredAt: Date): TaskDefinitionInfo {
  return { arn: ARN(rev), family: 'web-api', revision: rev, status: rev === 3 ? 'INACTIVE' : 'ACTIVE', registeredAt, containers: [{ name: 'app', image: `web-api:v${rev}`, envNames: [] }] };
}

export interface FakeWorld {
  deps: TriageDeps;
  calls: string[];
  /** Service as ECS reports it; tests change it (deployments in progress, ...). */
  service: EcsServiceInfo;
  /** The account's other services, listed by listServices only (describeService knows just `service`). */
  others: EcsServiceInfo[];
}

/**
 * In-memory sources for triage: the ECS CPU alarm on prod/web-api (web-api:4 registered 12 min before the alarm,
 * revisions 1..4 with 3 INACTIVE, behind target group web-api), ten CPU points, two runbook hits; another
 * cluster, staging, has web-api-canary on its own target group. `fail` makes one method throw.
 */
export function fakeWorld(fail?: FailPoint, error: (what: string) => Error = awsError): FakeWorld {
  const calls: string[] = [];
  const boom = (p: FailPoint) => {
    if (fail === p) throw error(p);
  };
  const world: FakeWorld = {
    calls,
    service: {
      cluster: 'prod', name: 'web-api', status: 'ACTIVE', taskDefinition: ARN(4), desiredCount: 2, runningCount: 2, pendingCount: 0,
      deployments: [{ id: 'd-4', status: 'PRIMARY', taskDefinition: ARN(4), desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, rolloutState: 'COMPLETED', createdAt: new Date('2025-06-01T11:37:00Z') }],
      events: Array.from({ length: 8 }, (_, i) => ({ id: `e${i}`, message: `event ${i}`, createdAt: new Date(NOW.getTime() - i * 60_000) })),
      loadBalancers: [{ targetGroupArn: TG_ARN('web-api') }],
    },
    others: [{
      cluster: 'staging', name: 'web-api-canary', status: 'ACTIVE', taskDefinition: ARN(4), desiredCount: 1, runningCount: 1, pendingCount: 0,
      deployments: [], events: [], loadBalancers: [{ targetGroupArn: TG_ARN('web-api-canary') }],
    }],
    deps: undefined as unknown as TriageDeps,
  };
  const alarms: AlarmSource = {
    async describeAlarm(name) {
      calls.push(`describeAlarm ${name}`);
      boom('describeAlarm');
      const a = [CPU_ALARM, ALB_ALARM, TG_ALARM, COMPOSITE_ALARM].find((x) => x.name === name);
      if (!a) throw new OpsctlError('aws', `no CloudWatch alarm named ${name} in us-east-1`, 'names are exact');
      return a;
    },
  };
  const metrics: MetricSource = {
    async series(q: MetricQuery): Promise<MetricPoint[]> {
      calls.push(`series ${q.namespace} ${q.metricName} ${q.statistic} ${q.periodSeconds} ${q.start.toISOString()}..${q.end.toISOString()}`);
      boom('series');
      // Newest first on purpose: the summary must not depend on the order a source returns.
      return [96, 93, 88, 40, 20].map((value, i) => ({ value, time: new Date(NOW.getTime() - (i + 1) * 60_000) }));
    },
    async lastAlarmAt(name) {
      calls.push(`lastAlarmAt ${name}`);
      boom('lastAlarmAt');
      return ALARM_AT;
    },
  };
  const registered = (rev: number) => new Date(ALARM_AT.getTime() - (rev === 4 ? 12 : 24 * 60 * (5 - rev)) * 60_000);
  const ecs: EcsGateway = {
    async describeService(cluster, service) {
      calls.push(`describeService ${cluster}/${service}`);
      boom('describeService');
      if (service !== world.service.name) throw new OpsctlError('aws', `service ${service} not found in cluster ${cluster}`, 'list services');
      return world.service;
    },
    async describeTaskDefinition(ref) {
      calls.push(`describeTaskDefinition ${ref}`);
      if (ref === 'web-api:4') boom('describeTaskDefinition:current');
      const rev = Number(ref.split(':').pop());
      return taskDef(rev, registered(rev));
    },
    async listTaskDefinitions(family, status = 'ACTIVE') {
      calls.push(`listTaskDefinitions ${family} ${status}`);
      boom('listTaskDefinitions');
      return [1, 2, 3, 4].filter((r) => (r === 3) === (status === 'INACTIVE')).map(ARN);
    },
    async listClusters() {
      calls.push('listClusters');
      boom('listClusters');
      return [...new Set([world.service, ...world.others].map((s) => s.cluster))];
    },
    async listServices(cluster, limit = Infinity): Promise<EcsServiceList> {
      calls.push(`listServices ${cluster} ${limit}`);
      boom('listServices');
      const all = [world.service, ...world.others].filter((s) => s.cluster === cluster);
      return { services: all.slice(0, limit), truncated: all.length > limit };
    },
    async updateService() {
      calls.push('updateService');
      throw new Error('triage must never update a service');
    },
  };
  world.deps = {
    alarms, metrics, ecs, now: () => NOW,
    async runbooks(query): Promise<RunbookMatches> {
      calls.push(`runbooks ${query}`);
      boom('runbooks');
      return { query, noMatch: false, hits: [] };
    },
  };
  return world;
}
