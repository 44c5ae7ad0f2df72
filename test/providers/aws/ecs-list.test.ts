import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { AwsEcsGateway, clusterName } from '../../../src/providers/aws/ecs.js';
import { hasMoto, startMoto, useEnv, type Moto } from '../../helpers/moto.js';
import { ecsPagingProxy, type EcsCall } from './ecs-paging-proxy.js';

const SERVICES = 23;
const PAGE = 5;
const TG_ARN = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const CLUSTERS = ['prod', 'staging', 'batch', 'edge', 'jobs', 'data', 'tools'];
/** Service i in prod: every third one has no load balancer, the rest one target group each. */
const hasLb = (i: number) => i % 3 !== 0;
const name = (i: number) => `svc-${String(i).padStart(2, '0')}`;

describe('clusterName', () => {
  it.each([
    ['arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'prod'],
    ['arn:aws-cn:ecs:cn-north-1:123456789012:cluster/my-cluster', 'my-cluster'],
    ['prod', 'prod'],
  ])('%s → %s', (arn, want) => expect(clusterName(arn)).toBe(want));
});

describe.skipIf(!hasMoto)('AwsEcsGateway listClusters/listServices against moto (paged by a proxy)', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof ecsPagingProxy>>;
  let restore: (() => void) | undefined;
  const count = (action: string) => proxy.calls.filter((c) => c.action === action);
  const describedBatches = () => count('DescribeServices').map((c: EcsCall) => (c.body.services as string[]).length);

  beforeAll(async () => {
    moto = await startMoto();
    const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    for (const c of CLUSTERS) await ecs.send(new CreateClusterCommand({ clusterName: c }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'app', containerDefinitions: [{ name: 'app', image: 'app:1', memory: 256 }] }));
    for (let i = 0; i < SERVICES; i++) {
      await ecs.send(new CreateServiceCommand({
        cluster: 'prod', serviceName: name(i), taskDefinition: 'app:1', desiredCount: 1,
        loadBalancers: hasLb(i) ? [{ targetGroupArn: TG_ARN(name(i)), containerName: 'app', containerPort: 8080 }] : undefined,
      }));
    }
    ecs.destroy();
    proxy = await ecsPagingProxy(moto.endpoint, PAGE);
  });

  afterEach(() => {
    restore?.();
    restore = undefined;
    proxy.calls.length = 0;
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  function gateway(): AwsEcsGateway {
    restore = useEnv({ ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint });
    return new AwsEcsGateway({ region: 'us-east-1', maxAttempts: 1 });
  }

  it('listClusters follows nextToken across pages and returns names, not ARNs', async () => {
    expect(await gateway().listClusters()).toEqual(CLUSTERS);
    const pages = count('ListClusters');
    expect(pages).toHaveLength(Math.ceil(CLUSTERS.length / PAGE));
    expect(pages[1].body.nextToken).toBe(String(PAGE));
  });

  it(`listServices describes all ${SERVICES} services in batches of at most 10 and maps their target groups`, async () => {
    const list = await gateway().listServices('prod');
    expect(list.truncated).toBe(false);
    expect(list.services.map((s) => s.name).sort()).toEqual(Array.from({ length: SERVICES }, (_, i) => name(i)));
    for (const s of list.services) {
      const i = Number(s.name.slice(4));
      expect(s.cluster).toBe('prod');
      expect(s.loadBalancers).toEqual(hasLb(i) ? [{ targetGroupArn: TG_ARN(s.name) }] : []);
    }
    expect(count('ListServices')).toHaveLength(Math.ceil(SERVICES / PAGE));
    expect(describedBatches()).toEqual([10, 10, 3]);
  });

  it('a limit below the count stops paging once past it and says truncated', async () => {
    const list = await gateway().listServices('prod', 12);
    expect(list).toMatchObject({ truncated: true });
    expect(list.services).toHaveLength(12);
    // Pages of 5: after 15 ARNs it knows there are more than 12; the other two pages are not fetched.
    expect(count('ListServices')).toHaveLength(3);
    expect(describedBatches()).toEqual([10, 2]);
  });

  it('a limit equal to the count is not truncated', async () => {
    const list = await gateway().listServices('prod', SERVICES);
    expect(list.truncated).toBe(false);
    expect(list.services).toHaveLength(SERVICES);
  });

  it('an empty cluster has no services and makes no DescribeServices call', async () => {
    expect(await gateway().listServices('staging')).toEqual({ services: [], truncated: false });
    expect(count('DescribeServices')).toHaveLength(0);
  });

  it('an unknown cluster is an OpsctlError aws naming it', async () => {
    await expect(gateway().listServices('nope')).rejects.toMatchObject({ code: 'aws', message: expect.stringMatching(/^cluster nope not found in us-east-1/), hint: expect.stringContaining('list-clusters') });
  });
});
