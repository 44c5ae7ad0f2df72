import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmHistoryItem, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchMetricSource, wentIntoAlarm } from '../../../src/providers/aws/cloudwatch-metrics.js';
import { hasMoto, startMoto, useEnv, type Moto } from '../../helpers/moto.js';
import { CPU_VALUES, seedAlarms } from './moto-alarms.js';

// The provider lives in src/providers/aws/; its tests sit with triage, the feature that owns it.
const ecsDims = [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'web-api' }];

describe('wentIntoAlarm', () => {
  it.each<[AlarmHistoryItem, boolean]>([
    [{ HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }) }, true],
    [{ HistoryData: JSON.stringify({ oldState: { stateValue: 'ALARM' }, newState: { stateValue: 'OK' } }), HistorySummary: 'Alarm updated from ALARM to OK' }, false],
    [{ HistoryData: 'not json', HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to ALARM' }, true],
    [{ HistorySummary: 'Alarm updated from ALARM to INSUFFICIENT_DATA' }, false],
    [{}, false],
  ])('%j → %s', (item, want) => expect(wentIntoAlarm(item)).toBe(want));
});

describe('CloudWatchMetricSource.lastAlarmAt from the alarm history (stub client)', () => {
  /** A stand-in for the SDK client answering DescribeAlarms and DescribeAlarmHistory, which moto lacks. */
  function stub(pages: AlarmHistoryItem[][]): { client: CloudWatchClient; sent: string[] } {
    const sent: string[] = [];
    const client = {
      async send(cmd: { constructor: { name: string }; input: { NextToken?: string } }) {
        sent.push(`${cmd.constructor.name} ${cmd.input.NextToken ?? ''}`.trim());
        if (cmd.constructor.name === 'DescribeAlarmsCommand') return { MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK', StateUpdatedTimestamp: new Date('2025-06-01T12:00:00Z') }] };
        const page = cmd.input.NextToken ? Number(cmd.input.NextToken) : 0;
        return { AlarmHistoryItems: pages[page], NextToken: page + 1 < pages.length ? String(page + 1) : undefined };
      },
    } as unknown as CloudWatchClient;
    return { client, sent };
  }
  const into = (iso: string): AlarmHistoryItem => ({ Timestamp: new Date(iso), HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }) });
  const out = (iso: string): AlarmHistoryItem => ({ Timestamp: new Date(iso), HistoryData: JSON.stringify({ newState: { stateValue: 'OK' } }) });

  it('an alarm back in OK: the newest transition INTO alarm, found on the second page', async () => {
    const { client, sent } = stub([[out('2025-06-01T12:00:00Z')], [into('2025-06-01T11:40:00Z'), into('2025-05-30T08:00:00Z')]]);
    expect(await new CloudWatchMetricSource({ client }).lastAlarmAt('a')).toEqual(new Date('2025-06-01T11:40:00Z'));
    expect(sent).toEqual(['DescribeAlarmsCommand', 'DescribeAlarmHistoryCommand', 'DescribeAlarmHistoryCommand 1']);
  });

  it('never in ALARM (as far as the history goes) → undefined, reading at most a few pages', async () => {
    const { client, sent } = stub(Array.from({ length: 10 }, () => [out('2025-06-01T12:00:00Z')]));
    expect(await new CloudWatchMetricSource({ client }).lastAlarmAt('a')).toBeUndefined();
    expect(sent.filter((s) => s.startsWith('DescribeAlarmHistory'))).toHaveLength(3);
  });
});

describe.skipIf(!hasMoto)('CloudWatchMetricSource against moto', () => {
  let moto: Moto;
  let dir: string;
  let restore: (() => void) | undefined;
  const now = new Date();

  beforeAll(async () => {
    [moto, dir] = await Promise.all([startMoto(), mkdtemp(join(tmpdir(), 'opsctl-cwm-'))]);
    await seedAlarms(moto, now);
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
  afterAll(async () => {
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('series: the seeded points of exactly that metric and dimensions, oldest first', async () => {
    restore = useEnv(moto.env);
    const src = new CloudWatchMetricSource({ region: 'us-east-1' });
    const points = await src.series({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: ecsDims, statistic: 'Average', periodSeconds: 60, start: new Date(now.getTime() - 3_600_000), end: now });
    expect(points.map((p) => p.value)).toEqual(CPU_VALUES);
    expect(points.every((p, i) => i === 0 || p.time > points[i - 1].time)).toBe(true);
    const other = await src.series({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'other' }], statistic: 'Average', periodSeconds: 60, start: new Date(now.getTime() - 3_600_000), end: now });
    expect(other).toEqual([]);
  });

  it('lastAlarmAt: an alarm in ALARM → when its state changed', async () => {
    restore = useEnv(moto.env);
    const at = await new CloudWatchMetricSource().lastAlarmAt('web-api-CPU-High');
    expect(at).toBeInstanceOf(Date);
    expect(Math.abs((at as Date).getTime() - now.getTime())).toBeLessThan(10 * 60_000);
  });

  it('no credentials → OpsctlError aws naming what it was doing, with a hint', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    restore = useEnv({
      AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined, AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    });
    const err = await new CloudWatchMetricSource({ maxAttempts: 1 }).series({ namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: ecsDims, statistic: 'Average', periodSeconds: 60, start: new Date(now.getTime() - 3_600_000), end: now }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aws', message: expect.stringMatching(/no usable AWS credentials to read metric AWS\/ECS CPUUtilization/), hint: expect.stringMatching(/aws configure|AWS_PROFILE/) });
  });
});
