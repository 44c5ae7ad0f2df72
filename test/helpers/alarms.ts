import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import type { Moto } from './moto.js';

/** The ALB 5xx alarm that names only its load balancer; other load balancer alarms are variations of it. */
export const ALB_5XX_ALARM: PutMetricAlarmCommandInput = {
  AlarmName: 'ALB-5xx-High',
  AlarmDescription: 'Public load balancer answers with too many 5xx',
  Namespace: 'AWS/ApplicationELB',
  MetricName: 'HTTPCode_ELB_5XX_Count',
  Dimensions: [{ Name: 'LoadBalancer', Value: 'app/prod-public-alb/0123456789abcdef' }],
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 5,
  Threshold: 50,
  ComparisonOperator: 'GreaterThanThreshold',
};

/** A CloudWatch client for a running moto (test credentials, us-east-1); the caller destroys it. */
export function motoCloudWatch(moto: Moto): CloudWatchClient {
  return new CloudWatchClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

/** Creates the alarms in a running moto. */
export async function putAlarms(moto: Moto, ...alarms: PutMetricAlarmCommandInput[]): Promise<void> {
  const cw = motoCloudWatch(moto);
  try {
    for (const a of alarms) await cw.send(new PutMetricAlarmCommand(a));
  } finally {
    cw.destroy();
  }
}
