import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { OpsctlError } from '../../core/errors.js';
import type { Clock, LogEvent, LogQuery, LogSource } from '../../core/ports.js';
import { FALLBACK_REGION } from './cloudwatch-alarms.js';
import { toAwsError } from './errors.js';

export interface CloudWatchLogSourceOptions {
  region?: string;
  /** SDK attempts per call (the SDK's own retry); default 3. */
  maxAttempts?: number;
  /** Our back-off rounds after the SDK gives up on throttling; default 6 (about a minute in total). */
  throttleRetries?: number;
  /** First back-off delay in ms, doubled each round (with jitter); default 500. */
  backoffMs?: number;
  clock: Clock;
  /** Test seam: a ready client (otherwise the SDK is imported on first use). */
  client?: Pick<CloudWatchLogsClient, 'send'>;
}

const PERMISSION = 'logs:FilterLogEvents';
const THROTTLED = /Throttl|TooManyRequests|LimitExceeded|RequestLimitExceeded/;

/**
 * CloudWatch Logs through FilterLogEvents: follows nextToken until the last page, and when throttled past the
 * SDK's retries backs off exponentially (with jitter) and goes on from the same page. A missing group becomes
 * OpsctlError('aws') with a hint; other failures go through the shared toAwsError mapping.
 */
export class CloudWatchLogSource implements LogSource {
  private client?: Promise<{ client: Pick<CloudWatchLogsClient, 'send'>; region: string }>;

  constructor(private readonly opts: CloudWatchLogSourceOptions) {}

  async *events(q: LogQuery): AsyncIterable<LogEvent> {
    const { client, region } = await this.connect();
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const action = `read log group ${q.group}`;
    let nextToken: string | undefined;
    let throttled = 0;
    for (;;) {
      if (q.signal?.aborted) throw new OpsctlError('interrupted', 'interrupted');
      let page;
      try {
        page = await client.send(
          new FilterLogEventsCommand({ logGroupName: q.group, startTime: q.startTime, endTime: q.endTime, filterPattern: q.filterPattern || undefined, nextToken }),
          { abortSignal: q.signal },
        );
      } catch (e) {
        const name = (e as Error).name ?? '';
        if (name === 'ResourceNotFoundException') {
          throw new OpsctlError('aws', `log group ${q.group} not found in ${region}`, `check the name and region: aws logs describe-log-groups --region ${region} --log-group-name-prefix ${q.group.slice(0, 12)}`, { cause: e });
        }
        if (THROTTLED.test(name) && throttled < (this.opts.throttleRetries ?? 6)) {
          const base = (this.opts.backoffMs ?? 500) * 2 ** throttled++;
          await this.opts.clock.sleep(base / 2 + Math.random() * base / 2, q.signal);
          continue;
        }
        throw toAwsError(e, { action, permission: PERMISSION, region });
      }
      throttled = 0;
      for (const ev of page.events ?? []) {
        if (ev.message === undefined) continue;
        yield { timestamp: ev.timestamp ?? 0, message: ev.message, stream: ev.logStreamName };
      }
      if (!page.nextToken) return;
      nextToken = page.nextToken;
    }
  }

  private connect(): Promise<{ client: Pick<CloudWatchLogsClient, 'send'>; region: string }> {
    this.client ??= (async () => {
      if (this.opts.client) return { client: this.opts.client, region: this.opts.region ?? FALLBACK_REGION };
      const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
      const maxAttempts = this.opts.maxAttempts ?? 3;
      if (this.opts.region) return { client: new CloudWatchLogsClient({ region: this.opts.region, maxAttempts }), region: this.opts.region };
      const probe = new CloudWatchLogsClient({ maxAttempts });
      const region = await probe.config.region().catch(() => undefined);
      if (region) return { client: probe, region };
      probe.destroy();
      return { client: new CloudWatchLogsClient({ region: FALLBACK_REGION, maxAttempts }), region: FALLBACK_REGION };
    })();
    return this.client;
  }
}
