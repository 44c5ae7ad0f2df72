import type { CloudWatchClient, CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { OpsctlError } from '../../core/errors.js';
import type { AlarmInfo, AlarmSource } from '../../core/ports.js';
import { toAwsError } from './errors.js';

/** Used when neither the options, AWS_REGION nor the profile name a region: a sane default, not a crash. */
export const FALLBACK_REGION = 'us-east-1';

export interface CloudWatchAlarmSourceOptions {
  /** Region; else the SDK's default chain (AWS_REGION, profile), else us-east-1. */
  region?: string;
  /** Attempts per call, including retries with backoff on throttling and network errors (default 5). */
  maxAttempts?: number;
}

const PERMISSION = 'cloudwatch:DescribeAlarms';

/** Reads CloudWatch metric and composite alarms by exact name. The SDK is imported on first use. */
export class CloudWatchAlarmSource implements AlarmSource {
  private readonly opts: CloudWatchAlarmSourceOptions;
  private client?: Promise<{ client: CloudWatchClient; region: string }>;

  constructor(opts: CloudWatchAlarmSourceOptions = {}) {
    this.opts = opts;
  }

  async describeAlarm(name: string): Promise<AlarmInfo> {
    const { client, region } = await this.connect();
    const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
    const action = `describe CloudWatch alarm ${name}`;
    let out;
    try {
      out = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    } catch (e) {
      throw toAwsError(e, { action, permission: PERMISSION, region });
    }
    const metric = out.MetricAlarms?.find((a) => a.AlarmName === name);
    if (metric) return fromMetricAlarm(metric);
    const composite = out.CompositeAlarms?.find((a) => a.AlarmName === name);
    if (composite) return fromCompositeAlarm(composite);
    throw new OpsctlError(
      'aws',
      `no CloudWatch alarm named ${name} in ${region}`,
      `names are exact and case-sensitive; list similar ones: aws cloudwatch describe-alarms --region ${region} --alarm-name-prefix ${shellQuote(name.slice(0, 8))}`,
    );
  }

  private connect(): Promise<{ client: CloudWatchClient; region: string }> {
    this.client ??= (async () => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      const maxAttempts = this.opts.maxAttempts ?? 5;
      if (this.opts.region) return { client: new CloudWatchClient({ region: this.opts.region, maxAttempts }), region: this.opts.region };
      // Let the SDK's own chain (env, profile) pick the region; fall back rather than fail on "Region is missing".
      const probe = new CloudWatchClient({ maxAttempts });
      const region = await probe.config.region().catch(() => undefined);
      if (region) return { client: probe, region };
      probe.destroy();
      return { client: new CloudWatchClient({ region: FALLBACK_REGION, maxAttempts }), region: FALLBACK_REGION };
    })();
    return this.client;
  }
}

function fromMetricAlarm(a: MetricAlarm): AlarmInfo {
  // Metric-math alarms carry their metric in Metrics[]; prefer the query whose value is alarmed on.
  const stat = a.MetricName ? undefined : (a.Metrics?.find((m) => m.ReturnData && m.MetricStat) ?? a.Metrics?.find((m) => m.MetricStat))?.MetricStat;
  const dims = a.Dimensions ?? stat?.Metric?.Dimensions ?? [];
  return compact({
    name: a.AlarmName ?? '',
    description: a.AlarmDescription,
    metricName: a.MetricName ?? stat?.Metric?.MetricName,
    namespace: a.Namespace ?? stat?.Metric?.Namespace,
    dimensions: dims.map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
    state: a.StateValue,
    stateReason: a.StateReason,
    statistic: a.Statistic ?? a.ExtendedStatistic ?? stat?.Stat,
    threshold: a.Threshold,
    comparison: a.ComparisonOperator,
  });
}

function fromCompositeAlarm(a: CompositeAlarm): AlarmInfo {
  return compact({
    name: a.AlarmName ?? '',
    // A composite alarm has no metric; its rule is the most useful description when none was written.
    description: a.AlarmDescription ?? (a.AlarmRule ? `composite alarm: ${a.AlarmRule}` : undefined),
    dimensions: [],
    state: a.StateValue,
    stateReason: a.StateReason,
  });
}

/** Drops undefined keys so JSON output and test equality stay clean. */
function compact(info: AlarmInfo): AlarmInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as AlarmInfo;
}

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
