import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';
import { estimateTokens } from '../../src/core/logs/tokens.js';
import { CloudWatchLogSource } from '../../src/providers/aws/cloudwatch-logs.js';
import { runOpsctl, tempDirs } from '../helpers/cli.js';
import { putLogGroup, requestEvents } from '../helpers/log-groups.js';
import { hasMoto, startMoto, useEnv, type Moto } from '../helpers/moto.js';

const dirs = tempDirs('opsctl-logs-cw-');
let moto: Moto | undefined;
let restore: (() => void) | undefined;
let cwd = '';

beforeAll(async () => {
  cwd = await dirs.make();
  if (!hasMoto) return;
  moto = await startMoto();
  restore = useEnv(moto.env);
  const events = requestEvents(400);
  events[250] = { timestamp: events[250].timestamp, message: 'ERROR db pool: connection to 10.0.3.7:5432 refused' };
  await putLogGroup('/ecs/web-api', 'web/1', events);
}, 60_000);

afterAll(async () => {
  restore?.();
  await moto?.stop();
  await dirs.cleanup();
});

describe('logs reduce --log-group (moto)', () => {
  it.skipIf(!hasMoto)('reads a log group and keeps the error within the budget', async () => {
    const r = await runOpsctl(['logs', 'reduce', '--log-group', '/ecs/web-api', '--since', '1h', '--budget', '400'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/kept \d+ of 400 lines/);
    expect(r.stdout).toMatch(/^@@ \/ecs\/web-api:\d+(-\d+)? \d\.\d\d /m);
    expect(r.stdout).toMatch(/Z ERROR db pool: connection to 10\.0\.3\.7:5432 refused/);
    expect(estimateTokens(r.stdout)).toBeLessThanOrEqual(400);
  });

  it.skipIf(!hasMoto)('says clearly when the group does not exist', async () => {
    const r = await runOpsctl(['logs', 'reduce', '--log-group', '/ecs/nope', '--budget', '400'], { cwd });
    expect(r.code).toBe(EXIT.AWS);
    expect(r.stderr).toMatch(/log group \/ecs\/nope not found in us-east-1/);
    expect(r.stderr).toMatch(/hint: .*describe-log-groups/);
  });
});

describe('CloudWatchLogSource paging and throttling', () => {
  it('follows nextToken and backs off when throttled, then goes on', async () => {
    const sleeps: number[] = [];
    const clock: Clock = { now: () => new Date(0), sleep: async (ms) => void sleeps.push(ms) };
    const tokens: Array<string | undefined> = [];
    let calls = 0;
    const client = {
      send: async (cmd: { input: { nextToken?: string } }) => {
        calls++;
        tokens.push(cmd.input.nextToken);
        if (calls === 2 || calls === 3) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        if (calls === 1) return { events: [{ timestamp: 1, message: 'a' }], nextToken: 'p2' };
        return { events: [{ timestamp: 2, message: 'b' }, { timestamp: 3, message: 'c' }] };
      },
    };
    const src = new CloudWatchLogSource({ clock, client: client as never, region: 'eu-west-1', backoffMs: 100 });
    const got: string[] = [];
    for await (const e of src.events({ group: 'g' })) got.push(e.message);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(tokens).toEqual([undefined, 'p2', 'p2', 'p2']);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] * 0.99 - 50);
  });

  it('gives up after its retries with an AWS error', async () => {
    const clock: Clock = { now: () => new Date(0), sleep: async () => undefined };
    const client = { send: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }); } };
    const src = new CloudWatchLogSource({ clock, client: client as never, throttleRetries: 2 });
    const it = src.events({ group: 'g' })[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 'aws', message: expect.stringMatching(/throttled/) });
  });
});
