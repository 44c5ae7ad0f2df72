import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';

/** An INFO request line a second over the last ten minutes, `count` of them, for a log group to hold. */
export function requestEvents(count: number, now = Date.now()): Array<{ timestamp: number; message: string }> {
  return Array.from({ length: count }, (_, i) => ({ timestamp: now - 600_000 + i * 1000, message: `INFO GET /api/orders/${i} 200 ${i % 40} ms` }));
}

/** Creates a log group with one stream holding `events` (the SDK reads AWS settings from process.env). */
export async function putLogGroup(group: string, stream: string, events: InputLogEvent[]): Promise<void> {
  const client = new CloudWatchLogsClient({ region: 'us-east-1' });
  try {
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
  } finally {
    client.destroy();
  }
}
