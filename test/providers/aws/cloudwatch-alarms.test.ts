import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { CloudWatchAlarmSource } from '../../../src/providers/aws/cloudwatch-alarms.js';
import { ALB_5XX_ALARM, putAlarms } from '../../helpers/alarms.js';
import { freePort, hasMoto, startMoto, useEnv, type Moto } from '../../helpers/moto.js';

/** Env that hides every credential and region source the SDK could find on this machine. */
async function isolatedEnv(dir: string): Promise<Record<string, string | undefined>> {
  const empty = join(dir, 'empty');
  await writeFile(empty, '');
  return {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: 'opsctl-test-no-such-profile',
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

describe.skipIf(!hasMoto)('CloudWatchAlarmSource against moto', () => {
  let moto: Moto;
  let dir: string;
  let restore: (() => void) | undefined;

  beforeAll(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'opsctl-cw-'));
    await putAlarms(moto, {
      ...ALB_5XX_ALARM,
      AlarmDescription: 'ALB returns too many 5xx: see runbooks/alb-5xx.md',
      Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/123' }],
      Threshold: 25,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  afterAll(async () => {
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads a metric alarm back as AlarmInfo', async () => {
    restore = useEnv(moto.env);
    const info = await new CloudWatchAlarmSource({ region: 'us-east-1' }).describeAlarm('ALB-5xx-High');
    expect(info).toMatchObject({
      name: 'ALB-5xx-High',
      description: 'ALB returns too many 5xx: see runbooks/alb-5xx.md',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_ELB_5XX_Count',
      dimensions: [{ name: 'LoadBalancer', value: 'app/web/123' }],
      statistic: 'Sum',
      threshold: 25,
      comparison: 'GreaterThanOrEqualToThreshold',
    });
    expect(typeof info.state).toBe('string');
  });

  it('a missing alarm is an aws error naming the region, with a describe-alarms prefix hint', async () => {
    restore = useEnv(moto.env);
    const err = await new CloudWatchAlarmSource({ region: 'us-east-1' }).describeAlarm('ALB-5xx-Hihg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect(err).toMatchObject({ code: 'aws', exitCode: 8, message: 'no CloudWatch alarm named ALB-5xx-Hihg in us-east-1' });
    expect((err as OpsctlError).hint).toContain('aws cloudwatch describe-alarms --region us-east-1 --alarm-name-prefix ALB-5xx-');
  });

  it('looks in the region it is given (the alarm lives in us-east-1 only)', async () => {
    restore = useEnv(moto.env);
    await expect(new CloudWatchAlarmSource({ region: 'eu-west-1' }).describeAlarm('ALB-5xx-High')).rejects.toThrow(
      'no CloudWatch alarm named ALB-5xx-High in eu-west-1',
    );
  });

  it('with no region anywhere it falls back to us-east-1 instead of crashing', async () => {
    restore = useEnv({ ...(await isolatedEnv(dir)), ...moto.env, AWS_REGION: undefined, AWS_PROFILE: undefined });
    const info = await new CloudWatchAlarmSource().describeAlarm('ALB-5xx-High');
    expect(info.metricName).toBe('HTTPCode_ELB_5XX_Count');
  });

  it('with no credentials at all it says so and how to fix it', async () => {
    restore = useEnv({ ...(await isolatedEnv(dir)), AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1' });
    const err = await new CloudWatchAlarmSource({ maxAttempts: 1 }).describeAlarm('ALB-5xx-High').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect(err).toMatchObject({ code: 'aws', exitCode: 8 });
    expect((err as OpsctlError).message).toMatch(/^no usable AWS credentials to describe CloudWatch alarm ALB-5xx-High/);
    expect((err as OpsctlError).hint).toMatch(/AWS_PROFILE.*aws configure.*aws sso login/);
  });
});

describe('CloudWatchAlarmSource network failures', () => {
  it('an unreachable endpoint is an aws error that says it could not connect', async () => {
    const port = await freePort();
    const restore = useEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
    try {
      const err = await new CloudWatchAlarmSource({ region: 'us-west-2', maxAttempts: 1 }).describeAlarm('any').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'aws', message: expect.stringMatching(/^cannot reach AWS in us-west-2 to describe CloudWatch alarm any \(ECONNREFUSED\)/) });
      expect((err as OpsctlError).hint).toContain('AWS_ENDPOINT_URL');
    } finally {
      restore();
    }
  });
});
