import { PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { ALB_5XX_ALARM, motoCloudWatch } from '../../helpers/alarms.js';
import type { Moto } from '../../helpers/moto.js';


/** The CPU values seeded for prod/web-api, one a minute ending a minute ago: a climb past the threshold. */
export const CPU_VALUES = [21, 22, 20, 24, 35, 52, 71, 88, 93, 96];


/**
 * Seeds CloudWatch in a running moto for triage: an ECS CPU alarm on the seeded prod/web-api (in ALARM, with
 * CPU datapoints over the last minutes), an ALB 5xx alarm naming only its load balancer, and an RDS alarm.
 */
export async function seedAlarms(moto: Moto, now = new Date()): Promise<void> {
  const cw = motoCloudWatch(moto);
  const ecsDims = [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web-api' }];
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'web-api-CPU-High',
    AlarmDescription: 'web-api tasks use too much CPU',
    Namespace: 'AWS/ECS',
    MetricName: 'CPUUtilization',
    Dimensions: ecsDims,
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
  }));
  await cw.send(new PutMetricDataCommand({
    Namespace: 'AWS/ECS',
    MetricData: CPU_VALUES.map((v, i) => ({
      MetricName: 'CPUUtilization',
      Dimensions: ecsDims,
      Timestamp: new Date(now.getTime() - (CPU_VALUES.length - i) * 60_000),
      Value: v,
      Unit: 'Percent',
    })),
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-api-CPU-High', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 3 datapoints [96.0, 93.0, 88.0] were greater than the threshold (80.0).' }));
  await cw.send(new PutMetricAlarmCommand(ALB_5XX_ALARM));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'RDS-CPU-High',
    AlarmDescription: 'orders database CPU is high',
    Namespace: 'AWS/RDS',
    MetricName: 'CPUUtilization',
    Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'orders-db' }],
    Statistic: 'Average',
    Period: 60,
    EvaluationPeriods: 5,
    Threshold: 90,
    ComparisonOperator: 'GreaterThanThreshold',
  }));
  cw.destroy();
}
