import type { ECSClient, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { OpsctlError } from '../../core/errors.js';
import type { EcsGateway, EcsServiceInfo, EcsServiceList, TaskDefinitionInfo } from '../../core/ports.js';
import { toAwsError, type AwsErrorContext } from './errors.js';

export interface AwsClientOptions {
  /** Falls back to the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
  /** Named profile from ~/.aws/config; AWS_PROFILE works too. */
  profile?: string;
  /** Attempts per call including retries (default AWS_MAX_ATTEMPTS); tests lower it to keep back-off short. */
  maxAttempts?: number;
}

/** What an ECS call was doing, for readable errors. */
interface EcsCallContext extends AwsErrorContext {
  cluster?: string;
  service?: string;
  taskDefinition?: string;
}

/**
 * ECS's own not-found errors get names and a next step; everything else (credentials, access denied
 * naming the permission, throttling after back-off, network, region) goes through the shared toAwsError.
 */
export function ecsError(e: unknown, ctx: EcsCallContext): Error {
  const name = (e as { name?: string })?.name ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const make = (m: string, hint: string) => new OpsctlError('aws', m, hint, { cause: e });
  if (name === 'ClusterNotFoundException') {
    return make(`cluster ${ctx.cluster ?? ''} not found${where}`, 'check --cluster and the region (aws ecs list-clusters)');
  }
  if (name === 'ServiceNotFoundException' || name === 'ServiceNotActiveException') {
    return make(`service ${ctx.service ?? ''} not found or not active in cluster ${ctx.cluster ?? ''}${where}`, `list services with: aws ecs list-services --cluster ${ctx.cluster ?? '<cluster>'}`);
  }
  if (ctx.taskDefinition && name === 'ClientException' && /task ?definition/i.test(msg)) {
    return make(`task definition ${ctx.taskDefinition} not found${where}`, 'list revisions with: aws ecs list-task-definitions');
  }
  return toAwsError(e, ctx);
}

/** Throttled calls are retried with the SDK's exponential back-off this many times before giving up. */
export const AWS_MAX_ATTEMPTS = 6;

function toTaskDef(td: TaskDefinition | undefined, ref: string): TaskDefinitionInfo {
  if (!td?.taskDefinitionArn || !td.family || td.revision === undefined) {
    throw new OpsctlError('aws', `task definition ${ref} not found`, 'list revisions with: aws ecs list-task-definitions --family-prefix <family>');
  }
  return {
    arn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision,
    status: td.status ?? 'ACTIVE',
    cpu: td.cpu,
    memory: td.memory,
    taskRoleArn: td.taskRoleArn,
    registeredAt: td.registeredAt,
    // Only env var NAMES leave this adapter: values may be secrets.
    containers: (td.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      envNames: [...(c.environment ?? []).map((e) => e.name ?? ''), ...(c.secrets ?? []).map((s) => s.name)].filter((n): n is string => Boolean(n)).sort(),
    })),
  };
}

function toService(s: Service, cluster: string): EcsServiceInfo {
  return {
    cluster,
    name: s.serviceName ?? '',
    arn: s.serviceArn,
    status: s.status ?? 'UNKNOWN',
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    })),
    events: (s.events ?? []).map((e) => ({ id: e.id ?? '', createdAt: e.createdAt, message: e.message ?? '' })),
    loadBalancers: (s.loadBalancers ?? []).map((lb) => ({ targetGroupArn: lb.targetGroupArn })),
  };
}

/** "arn:aws:ecs:us-east-1:123:cluster/prod" → "prod"; a plain name stays as it is. */
export function clusterName(arnOrName: string): string {
  return arnOrName.includes(':cluster/') ? arnOrName.slice(arnOrName.indexOf(':cluster/') + ':cluster/'.length) : arnOrName;
}

/** DescribeServices takes at most this many services per call. */
const DESCRIBE_BATCH = 10;

/** EcsGateway over the AWS SDK v3. The SDK is imported on first use so other commands stay fast. */
export class AwsEcsGateway implements EcsGateway {
  private client?: Promise<{ client: ECSClient; sdk: typeof import('@aws-sdk/client-ecs') }>;

  constructor(private readonly opts: AwsClientOptions = {}) {}

  private async sdk() {
    this.client ??= import('@aws-sdk/client-ecs').then((sdk) => ({
      sdk,
      client: new sdk.ECSClient({ region: this.opts.region, profile: this.opts.profile, maxAttempts: this.opts.maxAttempts ?? AWS_MAX_ATTEMPTS }),
    }));
    return this.client;
  }

  private async call<T>(ctx: Omit<EcsCallContext, 'region'>, fn: (c: ECSClient, sdk: typeof import('@aws-sdk/client-ecs')) => Promise<T>): Promise<T> {
    const { client, sdk } = await this.sdk();
    try {
      return await fn(client, sdk);
    } catch (e) {
      let region: string | undefined;
      try {
        region = await client.config.region();
      } catch {
        region = this.opts.region;
      }
      throw ecsError(e, { ...ctx, region });
    }
  }

  async describeService(cluster: string, service: string): Promise<EcsServiceInfo> {
    const out = await this.call({ action: `describe ECS service ${cluster}/${service}`, permission: 'ecs:DescribeServices', cluster, service },
      (c, sdk) => c.send(new sdk.DescribeServicesCommand({ cluster, services: [service] })));
    const s = out.services?.[0];
    if (!s) {
      throw new OpsctlError('aws', `service ${service} not found in cluster ${cluster}`, `list services with: aws ecs list-services --cluster ${cluster}`);
    }
    return toService(s, cluster);
  }

  async describeTaskDefinition(ref: string): Promise<TaskDefinitionInfo> {
    const out = await this.call({ action: `describe task definition ${ref}`, permission: 'ecs:DescribeTaskDefinition', taskDefinition: ref },
      (c, sdk) => c.send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition: ref })));
    return toTaskDef(out.taskDefinition, ref);
  }

  async listTaskDefinitions(family: string, status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE'): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call({ action: `list task definitions of ${family}`, permission: 'ecs:ListTaskDefinitions' },
        (c, sdk) => c.send(new sdk.ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', nextToken })));
      arns.push(...(out.taskDefinitionArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return arns;
  }

  async updateService(cluster: string, service: string, taskDefinition: string): Promise<EcsServiceInfo> {
    // desiredCount is deliberately not sent: the rollback keeps whatever the service (or its autoscaler) has.
    const out = await this.call({ action: `update ECS service ${cluster}/${service}`, permission: 'ecs:UpdateService', cluster, service, taskDefinition },
      (c, sdk) => c.send(new sdk.UpdateServiceCommand({ cluster, service, taskDefinition })));
    if (!out.service) throw new OpsctlError('aws', `UpdateService returned no service for ${service}`, 'check the service in the ECS console');
    return toService(out.service, cluster);
  }

  async listClusters(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.call({ action: 'list ECS clusters', permission: 'ecs:ListClusters' },
        (c, sdk) => c.send(new sdk.ListClustersCommand({ nextToken })));
      names.push(...(out.clusterArns ?? []).map(clusterName));
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  async listServices(cluster: string, limit = Infinity): Promise<EcsServiceList> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    // Stop paging once past the limit: one ARN more than asked is enough to know there are more.
    do {
      const out = await this.call({ action: `list ECS services in ${cluster}`, permission: 'ecs:ListServices', cluster },
        (c, sdk) => c.send(new sdk.ListServicesCommand({ cluster, nextToken, maxResults: 100 })));
      arns.push(...(out.serviceArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken && arns.length <= limit);
    const wanted = arns.slice(0, limit);
    const services: EcsServiceInfo[] = [];
    for (let i = 0; i < wanted.length; i += DESCRIBE_BATCH) {
      const batch = wanted.slice(i, i + DESCRIBE_BATCH);
      const out = await this.call({ action: `describe ECS services in ${cluster}`, permission: 'ecs:DescribeServices', cluster },
        (c, sdk) => c.send(new sdk.DescribeServicesCommand({ cluster, services: batch })));
      // A service deleted between the two calls comes back under failures; it is simply not there.
      services.push(...(out.services ?? []).map((s) => toService(s, cluster)));
    }
    return { services, truncated: arns.length > wanted.length || Boolean(nextToken) };
  }
}
