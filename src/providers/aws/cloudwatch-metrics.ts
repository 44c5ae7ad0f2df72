import type { AlarmHistoryItem, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { MetricPoint, MetricQuery, MetricSource } from '../../core/ports.js';
import { FALLBACK_REGION } from './cloudwatch-alarms.js';
import { toAwsError } from './errors.js';

export interface CloudWatchMetricSourceOptions {
  /** Region; else the SDK's default chain (AWS_REGION, profile), else us-east-1. */
  region?: string;
  /** Named profile; AWS_PROFILE works too. */
  profile?: string;
  /** Attempts per call including retries with back-off on throttling (default 5). */
  maxAttempts?: number;
  /** A ready client (tests: a stub for calls moto does not implement, such as DescribeAlarmHistory). */
  client?: CloudWatchClient;
}

/** History pages read to find the last transition into ALARM; older than that is not triage material. */
const HISTORY_PAGES = 3;

/** True when an alarm history item records a change INTO the ALARM state. */
export function wentIntoAlarm(item: AlarmHistoryItem): boolean {
  if (item.HistoryData) {
    try {
      const data = JSON.parse(item.HistoryData) as { newState?: { stateValue?: string } };
      if (data.newState?.stateValue) return data.newState.stateValue === 'ALARM';
    } catch {
      // fall back to the summary below
    }
  }
  return / to ALARM$/.test(item.HistorySummary ?? '');
}

/** GetMetricData for one alarm metric, and when the alarm last went into ALARM. The SDK is imported on first use. */
export class CloudWatchMetricSource implements MetricSource {
  private client?: Promise<{ client: CloudWatchClient; region: string }>;

  constructor(private readonly opts: CloudWatchMetricSourceOptions = {}) {}

  async series(q: MetricQuery): Promise<MetricPoint[]> {
    const { client, region } = await this.connect();
    const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const ctx = { action: `read metric ${q.namespace} ${q.metricName}`, permission: 'cloudwatch:GetMetricData', region };
    const points: MetricPoint[] = [];
    let nextToken: string | undefined;
    do {
      let out;
      try {
        out = await client.send(new GetMetricDataCommand({
          StartTime: q.start,
          EndTime: q.end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
          MetricDataQueries: [{
            Id: 'm1',
            ReturnData: true,
            MetricStat: {
              Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions.map((d) => ({ Name: d.name, Value: d.value })) },
              Period: q.periodSeconds,
              Stat: q.statistic,
            },
          }],
        }));
      } catch (e) {
        throw toAwsError(e, ctx);
      }
      for (const r of out.MetricDataResults ?? []) {
        const times = r.Timestamps ?? [];
        (r.Values ?? []).forEach((value, i) => {
          if (times[i]) points.push({ time: times[i], value });
        });
      }
      nextToken = out.NextToken;
    } while (nextToken);
    return points.sort((a, b) => a.time.getTime() - b.time.getTime());
  }

  async lastAlarmAt(alarmName: string): Promise<Date | undefined> {
    const { client, region } = await this.connect();
    const sdk = await import('@aws-sdk/client-cloudwatch');
    let state;
    try {
      state = await client.send(new sdk.DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    } catch (e) {
      throw toAwsError(e, { action: `describe CloudWatch alarm ${alarmName}`, permission: 'cloudwatch:DescribeAlarms', region });
    }
    const alarm = state.MetricAlarms?.find((a) => a.AlarmName === alarmName) ?? state.CompositeAlarms?.find((a) => a.AlarmName === alarmName);
    // In ALARM now: the last state change is the one we want, no history needed.
    if (alarm?.StateValue === 'ALARM' && alarm.StateUpdatedTimestamp) return alarm.StateUpdatedTimestamp;
    let nextToken: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      let out;
      try {
        out = await client.send(new sdk.DescribeAlarmHistoryCommand({
          AlarmName: alarmName, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampDescending', MaxRecords: 100, NextToken: nextToken,
        }));
      } catch (e) {
        throw toAwsError(e, { action: `read the state history of alarm ${alarmName}`, permission: 'cloudwatch:DescribeAlarmHistory', region });
      }
      const hit = (out.AlarmHistoryItems ?? []).find(wentIntoAlarm);
      if (hit?.Timestamp) return hit.Timestamp;
      nextToken = out.NextToken;
      if (!nextToken) break;
    }
    return undefined;
  }

  private connect(): Promise<{ client: CloudWatchClient; region: string }> {
    this.client ??= (async () => {
      if (this.opts.client) return { client: this.opts.client, region: this.opts.region ?? FALLBACK_REGION };
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      const base = { maxAttempts: this.opts.maxAttempts ?? 5, ...(this.opts.profile ? { profile: this.opts.profile } : {}) };
      if (this.opts.region) return { client: new CloudWatchClient({ ...base, region: this.opts.region }), region: this.opts.region };
      // Same as the alarm source: the SDK's chain picks the region, with a fallback instead of "Region is missing".
      const probe = new CloudWatchClient(base);
      const region = await probe.config.region().catch(() => undefined);
      if (region) return { client: probe, region };
      probe.destroy();
      return { client: new CloudWatchClient({ ...base, region: FALLBACK_REGION }), region: FALLBACK_REGION };
    })();
    return this.client;
  }
}
