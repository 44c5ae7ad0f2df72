import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALB_5XX_ALARM, putAlarms } from '../helpers/alarms.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { hasMoto, startMoto, useEnv, type Moto } from '../helpers/moto.js';

// CloudWatchAlarmSource reads AWS settings the SDK way (process.env), so these tests set process.env around each run.
const tmp = tempDirs('opsctl-alarm-');
let moto: Moto;
let cwd = '';
let restore: (() => void) | undefined;

describe.skipIf(!hasMoto)('ask --alarm against moto', () => {
  beforeAll(async () => {
    [moto, cwd] = await Promise.all([startMoto(), tmp.withCopy(BUNDLED_RUNBOOKS)]);
    await putAlarms(moto, ALB_5XX_ALARM);
  });

  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  afterAll(async () => {
    await moto?.stop();
    await tmp.cleanup();
  });

  it('builds the question from the alarm and cites the ALB 5xx runbook first', async () => {
    restore = useEnv(moto.env);
    const r = await runOpsctl(['ask', '--alarm', 'ALB-5xx-High', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.query).toMatch(/ALB 5xx High .*HTTPCode_ELB_5XX_Count .*application load balancer/);
    expect(j.hits[0].file).toBe('runbooks/alb-5xx.md');
  });

  it('a missing alarm → AWS 8 with a hint', async () => {
    restore = useEnv(moto.env);
    const r = await runOpsctl(['ask', '--alarm', 'No-Such-Alarm'], { cwd });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^opsctl: no CloudWatch alarm named No-Such-Alarm in us-east-1\n {2}hint: .*describe-alarms/);
    expect(r.stdout).toBe('');
  });

  it('no credentials → AWS 8 with a hint', async () => {
    const empty = join(cwd, 'empty-aws-file');
    await writeFile(empty, '');
    restore = useEnv({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    });
    const r = await runOpsctl(['ask', '--alarm', 'ALB-5xx-High'], { cwd });
    expect(r.code).toBe(8);
    const [message, hint, ...rest] = r.stderr.trimEnd().split('\n');
    expect(message).toMatch(/^opsctl: .*credentials/i);
    expect(hint).toMatch(/^ {2}hint: .*(aws configure|AWS_PROFILE|AWS_ACCESS_KEY_ID|sso)/);
    expect(rest).toEqual([]);
  });
});
