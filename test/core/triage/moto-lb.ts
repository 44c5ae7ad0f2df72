import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { Moto } from '../../helpers/moto.js';
import { ALB_5XX_ALARM } from '../../helpers/alarms.js';

/** The storefront target group: its CloudWatch TargetGroup dimension and its ARN. */
export const STOREFRONT_TG = 'targetgroup/storefront/0a1b2c3d4e5f6789';
const arn = (tg: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${tg}`;

/**
 * Seeds, next to startSeededMoto's prod/web-api, an ECS service behind an ALB target group and an alarm that
 * names only that target group: cluster "edge" with "storefront" (storefront:1..2, on 2) on
 * STOREFRONT_TG, a decoy "storefront-admin" in prod on targetgroup/xstorefront/… (same suffix, other target
 * group), and the alarm "Storefront-Target-5xx" (LoadBalancer + TargetGroup dimensions).
 */
export async function seedTargetGroupService(moto: Moto): Promise<void> {
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  await ecs.send(new CreateClusterCommand({ clusterName: 'edge' }));
  for (const rev of [1, 2]) {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'storefront', containerDefinitions: [{ name: 'web', image: `registry.example/storefront:v${rev}`, memory: 512 }] }));
  }
  const lb = (tg: string) => [{ targetGroupArn: arn(tg), containerName: 'web', containerPort: 8080 }];
  await ecs.send(new CreateServiceCommand({ cluster: 'edge', serviceName: 'storefront', taskDefinition: 'storefront:2', desiredCount: 2, loadBalancers: lb(STOREFRONT_TG) }));
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'storefront-admin', taskDefinition: 'storefront:2', desiredCount: 2, loadBalancers: lb('targetgroup/xstorefront/0a1b2c3d4e5f6789') }));
  ecs.destroy();
  const cw = new CloudWatchClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
  await cw.send(new PutMetricAlarmCommand({
    ...ALB_5XX_ALARM,
    AlarmName: 'Storefront-Target-5xx',
    AlarmDescription: 'storefront targets answer with too many 5xx',
    MetricName: 'HTTPCode_Target_5XX_Count',
    Dimensions: [...(ALB_5XX_ALARM.Dimensions ?? []), { Name: 'TargetGroup', Value: STOREFRONT_TG }],
  }));
  cw.destroy();
}
