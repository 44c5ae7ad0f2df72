import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import type { Io } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { EXIT, OpsctlError } from '../../src/core/errors.js';
import { AwsEcsGateway } from '../../src/providers/aws/ecs.js';
import { freePort, useEnv } from '../helpers/moto.js';

/** A loopback ECS endpoint that answers every call with one AWS JSON error, counting requests. */
function errorServer(type: string, status: number) {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message: `simulated ${type}` }));
    });
  });
  return { server, hits: () => hits };
}

const creds = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'eu-west-1' };

async function failure(p: Promise<unknown>): Promise<OpsctlError> {
  return p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as OpsctlError);
}

describe('AWS errors are readable', () => {
  const servers: Server[] = [];
  let restore = () => {};
  beforeAll(() => {
    restore = useEnv({ AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined });
  });
  afterAll(() => {
    restore();
    for (const s of servers) s.close();
  });

  async function endpoint(type: string, status: number) {
    const s = errorServer(type, status);
    const port = await freePort();
    await new Promise<void>((r) => s.server.listen(port, '127.0.0.1', r));
    servers.push(s.server);
    return { url: `http://127.0.0.1:${port}`, hits: s.hits };
  }

  it('access denied names the missing permission', async () => {
    const ep = await endpoint('AccessDeniedException', 400);
    const undo = useEnv({ ...creds, AWS_ENDPOINT_URL: ep.url });
    try {
      const err = await failure(new AwsEcsGateway().updateService('prod', 'web-api', 'web-api:1'));
      expect(err.exitCode).toBe(EXIT.AWS);
      expect(err.message).toBe('access denied: update ECS service prod/web-api needs ecs:UpdateService');
      expect(err.hint).toMatch(/grant ecs:UpdateService/);
    } finally {
      undo();
    }
  });

  it('throttling is retried with back-off, then reported', async () => {
    const ep = await endpoint('ThrottlingException', 400);
    const undo = useEnv({ ...creds, AWS_ENDPOINT_URL: ep.url });
    try {
      const err = await failure(new AwsEcsGateway({ maxAttempts: 3 }).describeService('prod', 'web-api'));
      expect(err.message).toMatch(/AWS throttled the request to describe ECS service prod\/web-api in eu-west-1, even after retries/);
      expect(ep.hits()).toBe(3);
    } finally {
      undo();
    }
  });

  it('no credentials: opsctl rollback exits AWS with a hint, and audits the refusal', async () => {
    const ep = await endpoint('AccessDeniedException', 400);
    const empty = join(tmpdir(), 'opsctl-no-such-aws-file');
    const undo = useEnv({
      AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_REGION: 'eu-west-1',
      AWS_SHARED_CREDENTIALS_FILE: empty, AWS_CONFIG_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_ENDPOINT_URL: ep.url,
    });
    const err: string[] = [];
    const sink = (into: string[]) => new Writable({ write(c, _e, cb) { into.push(String(c)); cb(); } });
    const auditFile = join(mkdtempSync(join(tmpdir(), 'opsctl-nocreds-')), 'audit.jsonl');
    const io: Io = { stdout: sink([]), stderr: sink(err), stdin: process.stdin, env: { OPSCTL_AUDIT_FILE: auditFile, HOME: tmpdir() }, cwd: tmpdir(), signal: new AbortController().signal };
    try {
      expect(await runCli(['rollback', '--cluster', 'prod', '--service', 'web-api', '--yes'], defaultDeps(), io)).toBe(EXIT.AWS);
      expect(err.join('')).toMatch(/no usable AWS credentials to describe ECS service prod\/web-api\n {2}hint: set AWS_PROFILE/);
      expect(ep.hits()).toBe(0);
      const last = JSON.parse(readFileSync(auditFile, 'utf8').trim().split('\n').at(-1) as string);
      expect(last).toMatchObject({ event: 'plan', outcome: 'refused', cluster: 'prod' });
      expect(last.detail).toMatch(/no usable AWS credentials/);
    } finally {
      undo();
    }
  });
});
