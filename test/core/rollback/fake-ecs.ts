import { OpsctlError } from '../../../src/core/errors.js';
import type { Clock, EcsDeployment, EcsGateway, EcsServiceInfo, EcsServiceList, TaskDefinitionInfo } from '../../../src/core/ports.js';

const ARN = (name: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}`;

export function taskDef(family: string, revision: number, over: Partial<TaskDefinitionInfo> = {}): TaskDefinitionInfo {
  return {
    arn: ARN(`${family}:${revision}`),
    family,
    revision,
    status: 'ACTIVE',
    cpu: '256',
    memory: '512',
    taskRoleArn: 'arn:aws:iam::123456789012:role/web',
    containers: [{ name: 'app', image: `repo/app:v${revision}`, envNames: ['LOG_LEVEL'] }],
    ...over,
  };
}

export function deployment(taskDefinition: string, over: Partial<EcsDeployment> = {}): EcsDeployment {
  return { id: `ecs-svc/${taskDefinition}`, status: 'PRIMARY', taskDefinition, desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, rolloutState: 'COMPLETED', ...over };
}

/** An in-memory ECS with one service; `script` can replace what each DescribeServices returns. */
export class FakeEcs implements EcsGateway {
  defs = new Map<string, TaskDefinitionInfo>();
  service: EcsServiceInfo;
  updates: string[] = [];
  describeCalls = 0;
  /** Called on each describeService after the first `n`; lets a test change the world between calls. */
  onDescribe?: (n: number, svc: EcsServiceInfo) => EcsServiceInfo | void;

  constructor(defs: TaskDefinitionInfo[], current: string, over: Partial<EcsServiceInfo> = {}) {
    for (const d of defs) this.defs.set(`${d.family}:${d.revision}`, d);
    const arn = this.def(current).arn;
    this.service = { cluster: 'prod', name: 'web-api', status: 'ACTIVE', taskDefinition: arn, desiredCount: 2, runningCount: 2, pendingCount: 0, deployments: [deployment(arn)], events: [], ...over };
  }

  private def(ref: string): TaskDefinitionInfo {
    const d = this.defs.get(ref.split('/').pop() as string);
    if (!d) throw new OpsctlError('aws', `task definition ${ref} not found`, 'list revisions with aws ecs list-task-definitions');
    return d;
  }

  async describeService(cluster: string, service: string): Promise<EcsServiceInfo> {
    if (cluster !== 'prod') throw new OpsctlError('aws', `cluster ${cluster} not found`, 'check --cluster and the region');
    if (service !== this.service.name) throw new OpsctlError('aws', `service ${service} not found in cluster ${cluster}`, 'check --service');
    this.describeCalls += 1;
    const next = this.onDescribe?.(this.describeCalls, this.service);
    if (next) this.service = next;
    return structuredClone(this.service);
  }

  async describeTaskDefinition(ref: string): Promise<TaskDefinitionInfo> {
    return this.def(ref);
  }

  async listTaskDefinitions(family: string, status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE'): Promise<string[]> {
    return [...this.defs.values()].filter((d) => d.family === family && d.status === status).map((d) => d.arn);
  }

  async updateService(_cluster: string, _service: string, taskDefinition: string): Promise<EcsServiceInfo> {
    this.updates.push(taskDefinition);
    this.service = { ...this.service, taskDefinition, deployments: [deployment(taskDefinition, { rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 2 }), ...this.service.deployments.map((d) => ({ ...d, status: 'ACTIVE' }))] };
    return structuredClone(this.service);
  }

  /** The one cluster this fake knows. */
  async listClusters(): Promise<string[]> {
    return ['prod'];
  }

  async listServices(cluster: string, limit = Infinity): Promise<EcsServiceList> {
    if (cluster !== 'prod') throw new OpsctlError('aws', `cluster ${cluster} not found`, 'check --cluster and the region');
    return { services: limit >= 1 ? [structuredClone(this.service)] : [], truncated: limit < 1 };
  }
}

/** A clock whose sleeps return at once and advance time, so wait loops run instantly. */
export class FakeClock implements Clock {
  t = Date.parse('2025-01-01T00:00:00Z');
  sleeps: number[] = [];
  now(): Date {
    return new Date(this.t);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}
