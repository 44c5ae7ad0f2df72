import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { CloudWatchAlarmSource } from '../../../src/providers/aws/cloudwatch-alarms.js';
import { toAwsError } from '../../../src/providers/aws/errors.js';
import { freePort, useEnv } from '../../helpers/moto.js';

const ctx = { action: 'describe ECS service web', permission: 'ecs:DescribeServices', region: 'eu-west-1' };
const sdkError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, $fault: 'client', ...extra });

describe('toAwsError', () => {
  it.each([
    ['missing credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), /^no usable AWS credentials to describe ECS service web$/, /aws configure|aws sso login/],
    ['expired token', sdkError('ExpiredTokenException', 'The security token included in the request is expired'), /^AWS rejected the credentials \(ExpiredTokenException\)/, /aws sso login/],
    ['access denied', sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: ecs:DescribeServices'), /^access denied: describe ECS service web needs ecs:DescribeServices$/, /grant ecs:DescribeServices/],
    ['throttled', sdkError('ThrottlingException', 'Rate exceeded'), /^AWS throttled the request to describe ECS service web in eu-west-1/, /retry/],
    ['429', sdkError('SomethingElse', 'slow down', { $metadata: { httpStatusCode: 429 } }), /throttled/, /retry/],
    ['no region', new Error('Region is missing'), /^no AWS region configured/, /AWS_REGION|--region/],
    ['refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), /^cannot reach AWS in eu-west-1 to describe ECS service web \(ECONNREFUSED\)$/, /network/],
    ['dns', Object.assign(new Error('getaddrinfo ENOTFOUND ecs.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }), /\(ENOTFOUND\)/, /VPN|proxy/],
    ['other service error', sdkError('ClusterNotFoundException', 'Cluster not found.'), /^describe ECS service web failed in eu-west-1: ClusterNotFoundException: Cluster not found\.$/, /region/],
  ])('maps %s', (_label, input, message, hint) => {
    const out = toAwsError(input, ctx);
    expect(out).toBeInstanceOf(OpsctlError);
    expect(out).toMatchObject({ code: 'aws', exitCode: 8, cause: input });
    expect(out.message).toMatch(message);
    expect((out as OpsctlError).hint).toMatch(hint);
  });

  it('names the AWS_PROFILE that gave no credentials', () => {
    const restore = useEnv({ AWS_PROFILE: 'oncall-prod' });
    try {
      const out = toAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), ctx);
      expect((out as OpsctlError).hint).toContain('aws sso login --profile oncall-prod');
    } finally {
      restore();
    }
  });

  it('passes OpsctlErrors and plain bugs through unchanged', () => {
    const mine = new OpsctlError('aws', 'already mapped', 'hint');
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(toAwsError(mine, ctx)).toBe(mine);
    expect(toAwsError(bug, ctx)).toBe(bug);
  });
});

/**
 * A loopback CloudWatch speaking the AWS JSON 1.0 protocol, for what moto cannot do: composite alarms,
 * metric-math alarms, access denied, and throttling. `reply` picks the answer per request.
 */
let server: Server;
let endpoint = '';
let requests = 0;
let reply: () => { status: number; body: unknown; queryError?: string } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      const r = reply();
      res.statusCode = r.status;
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (r.queryError) res.setHeader('x-amzn-query-error', r.queryError);
      res.end(JSON.stringify(r.body));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function describeVia(name: string, maxAttempts = 1) {
  const restore = useEnv({ AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
  try {
    return await new CloudWatchAlarmSource({ region: 'us-east-2', maxAttempts }).describeAlarm(name);
  } finally {
    restore();
  }
}

describe('CloudWatchAlarmSource through the SDK against a fake CloudWatch', () => {
  it('maps a composite alarm, using its rule when it has no description', async () => {
    reply = () => ({ status: 200, body: { MetricAlarms: [], CompositeAlarms: [{ AlarmName: 'web-down', AlarmRule: 'ALARM("ALB-5xx-High") OR ALARM("web-unhealthy")', StateValue: 'ALARM', StateReason: 'child alarms' }] } });
    expect(await describeVia('web-down')).toEqual({
      name: 'web-down',
      description: 'composite alarm: ALARM("ALB-5xx-High") OR ALARM("web-unhealthy")',
      dimensions: [],
      state: 'ALARM',
      stateReason: 'child alarms',
    });
  });

  it('takes the returned metric of a metric-math alarm', async () => {
    const stat = (id: string, metric: string, ret: boolean) => ({ Id: id, ReturnData: ret, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/123' }] }, Period: 60, Stat: 'Sum' } });
    reply = () => ({ status: 200, body: { MetricAlarms: [{ AlarmName: 'err-rate', Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', Metrics: [stat('m1', 'RequestCount', false), stat('m2', 'HTTPCode_Target_5XX_Count', true)] }], CompositeAlarms: [] } });
    expect(await describeVia('err-rate')).toMatchObject({ metricName: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB', statistic: 'Sum', dimensions: [{ name: 'LoadBalancer', value: 'app/web/123' }] });
  });

  it('access denied names the missing permission', async () => {
    reply = () => ({ status: 400, queryError: 'AccessDenied;Sender', body: { __type: 'com.amazonaws.cloudwatch#AccessDenied', message: 'User: arn:aws:sts::1:assumed-role/oncall/me is not authorized to perform: cloudwatch:DescribeAlarms' } });
    await expect(describeVia('ALB-5xx-High')).rejects.toMatchObject({ code: 'aws', message: 'access denied: describe CloudWatch alarm ALB-5xx-High needs cloudwatch:DescribeAlarms' });
  });

  it('retries throttling with backoff up to maxAttempts, then says it was throttled', async () => {
    reply = () => ({ status: 400, queryError: 'Throttling;Sender', body: { __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' } });
    const before = requests;
    await expect(describeVia('ALB-5xx-High', 2)).rejects.toMatchObject({ code: 'aws', message: expect.stringContaining('throttled') });
    expect(requests - before).toBe(2);

    // Throttled once, then fine: the caller never sees the throttle.
    let n = 0;
    reply = () => (n++ === 0
      ? { status: 400, queryError: 'Throttling;Sender', body: { __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' } }
      : { status: 200, body: { MetricAlarms: [{ AlarmName: 'ALB-5xx-High', MetricName: 'HTTPCode_ELB_5XX_Count' }], CompositeAlarms: [] } });
    expect(await describeVia('ALB-5xx-High', 2)).toMatchObject({ name: 'ALB-5xx-High', metricName: 'HTTPCode_ELB_5XX_Count' });
  });
});
