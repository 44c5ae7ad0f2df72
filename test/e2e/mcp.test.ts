import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTaskDef, startSeededMoto } from '../core/rollback/moto-seed.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { hasMoto, type Moto } from '../helpers/moto.js';

// Issue 16: `opsctl mcp` serves read-only tools over stdio; driven here by the SDK's own client, as an agent would.
const BIN = resolve('bin/opsctl.js');
const tmp = tempDirs('opsctl-mcp-');
let cwd = '';
let client: Client;
let moto: Moto | undefined;

async function connect(env: Record<string, string> = {}): Promise<Client> {
  const c = new Client({ name: 'opsctl-test', version: '1.0.0' });
  await c.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', 'logs'], cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stderr: 'pipe' }));
  return c;
}

beforeAll(async () => {
  if (!existsSync(resolve('dist/bundle/main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  cwd = await tmp.withCopy(BUNDLED_RUNBOOKS);
  cpSync(resolve('test/fixtures/logs/diagnose'), join(cwd, 'logs'), { recursive: true });
  if (hasMoto) moto = await startSeededMoto();
  client = await connect(moto ? { ...moto.env, OPSCTL_AUDIT_FILE: join(cwd, 'audit.jsonl') } : {});
}, 60_000);
afterAll(async () => {
  await client?.close();
  await moto?.stop();
  await tmp.cleanup();
});

const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
type Structured = { exitCode: number; result: Record<string, unknown> & { hits?: unknown[] } };

describe('opsctl mcp', () => {
  it('lists the five read-only tools and the runbooks as resources', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['diagnose', 'logs_reduce', 'rollback_plan', 'search_runbooks', 'triage']);
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(10);
    const alb = resources.find((r) => r.name === 'alb-5xx.md')!;
    const read = await client.readResource({ uri: alb.uri });
    expect(read.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: readFileSync(join(cwd, 'runbooks', 'alb-5xx.md'), 'utf8') });
  });

  it('search_runbooks returns what ask --json returns: the same sections and citations', async () => {
    const question = 'ALB is returning lots of 502s since the deploy';
    const r = await call('search_runbooks', { question });
    expect(r.isError).toBeFalsy();
    const got = (r.structuredContent as Structured).result;
    const cli = JSON.parse((await runOpsctl(['ask', '--json', question], { cwd })).stdout) as { hits: unknown[] };
    expect(got).toMatchObject({ schema: 'opsctl.ask/v1', answered: true });
    expect(got.hits).toEqual(cli.hits);
  }, 60_000);

  it('logs_reduce and diagnose read text or files under the allowed roots', async () => {
    const text = await call('logs_reduce', { text: 'INFO start\nERROR boom: connection refused\nINFO done\n', budget: 200 });
    expect((text.structuredContent as Structured).result).toMatchObject({ schema: 'opsctl.logs.reduce/v1', budget: 200 });
    const diag = await call('diagnose', { files: ['logs/java-oom.log'] });
    expect(diag.isError).toBeFalsy();
    expect((diag.structuredContent as Structured).result).toMatchObject({ schema: expect.stringMatching(/^opsctl\.diagnose/) });
  }, 60_000);

  it('bad input is an MCP error (InvalidParams), never a crash; the server keeps serving', async () => {
    const invalid = { code: -32602 };
    await expect(call('no_such_tool', {})).rejects.toMatchObject(invalid);
    await expect(call('search_runbooks', {})).rejects.toMatchObject({ ...invalid, message: expect.stringMatching(/question/) });
    await expect(call('logs_reduce', { files: ['/etc/passwd'] })).rejects.toMatchObject({ ...invalid, message: expect.stringMatching(/outside the allowed roots/) });
    await expect(call('diagnose', { files: ['logs/../../../../etc/hostname'] })).rejects.toMatchObject(invalid);
    await expect(client.readResource({ uri: pathToFileURL('/etc/passwd').href })).rejects.toMatchObject(invalid);
    const still = await call('search_runbooks', { question: 'RDS CPU at 100%' });
    expect((still.structuredContent as Structured).result.schema).toBe('opsctl.ask/v1');
  }, 60_000);

  it.skipIf(!hasMoto)('rollback_plan plans against ECS (moto) and changes nothing', async () => {
    const r = await call('rollback_plan', { cluster: 'prod', service: 'web-api' });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    expect(JSON.stringify((r.structuredContent as Structured).result)).toContain('web-api:2');
    expect(await currentTaskDef(moto!)).toMatchObject({ taskDef: 'web-api:4' });
  }, 60_000);

  it.skipIf(!hasMoto)('triage of an unknown alarm is a tool error with opsctl\'s message, not a crash', async () => {
    const r = await call('triage', { alarm: 'No-Such-Alarm' });
    expect(r.isError).toBe(true);
    expect((r.structuredContent as { exitCode: number }).exitCode).toBe(8);
  }, 60_000);
});
