import { cp, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps, type Deps } from '../../src/cli/deps.js';
import { BedrockLlm } from '../../src/providers/llm/bedrock.js';
import { BedrockTestServer, type ConverseBody } from '../helpers/bedrock-server.js';
import { MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

/**
 * The redaction corpus (test/fixtures/secrets, built from public secret-detector fixtures) measured end to end:
 * what a loopback Bedrock server receives from ask, diagnose, runbook generate and runbook refine. A sample leaks
 * when its secret appears in any text the server got.
 */
interface Sample { kind: string; bare: boolean; text: string; leak: string }
const samples: Sample[] = readFileSync('test/fixtures/secrets/secrets.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);

const received = (b: ConverseBody) => [...(b.system ?? []).map((s) => s.text), ...b.messages.flatMap((m) => m.content.map((c) => c.text ?? ''))].join('\n');
const bedrock = new BedrockTestServer({ reply: () => 'The runbook covers this [1].' });
const tmp = tempDirs('opsctl-redaction-');
let cwd: string;
let deps: Deps;
let bedrockUrl = '';
const BATCH = 24;
const batches = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / BATCH) }, (_, i) => xs.slice(i * BATCH, (i + 1) * BATCH));

beforeAll(async () => {
  bedrockUrl = await bedrock.start();
  cwd = await tmp.make();
  await cp(MINI_RUNBOOKS, join(cwd, 'runbooks'), { recursive: true });
  deps = {
    ...defaultDeps(),
    llm: async (config) => new BedrockLlm({ model: config.model ?? 'amazon.nova-lite-v1:0', region: 'us-east-1', endpoint: bedrockUrl, requestHandler: new NodeHttpHandler(), credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback' }, timeoutMs: 10_000 }),
  };
  expect((await runOpsctl(['index'], { cwd })).code).toBe(0);
});
afterAll(async () => {
  await bedrock.stop();
  await tmp.cleanup();
});

/** Runs every batch through `send` and returns the samples whose secret reached the server. */
async function leaked(send: (batch: Sample[], i: number) => Promise<unknown>): Promise<{ leaks: Sample[]; sentRequests: number }> {
  const before = bedrock.requests.length;
  const parts = batches(samples);
  for (const [i, b] of parts.entries()) {
    const r = (await send(b, i)) as { code: number; stderr: string };
    // The scripted reply is not a real answer (not JSON for diagnose, not a runbook for generate), so exit codes
    // vary; what counts is that a request was made (checked below) and that nothing crashed.
    if (r.code === 1) throw new Error(`exit ${r.code}: ${r.stderr.slice(0, 300)}`);
  }
  const seen = bedrock.requests.slice(before).map((r) => received(r.body)).join('\n');
  return { leaks: samples.filter((s) => seen.includes(s.leak)), sentRequests: bedrock.requests.length - before };
}

function expectRecall(name: string, r: { leaks: Sample[]; sentRequests: number }) {
  const bare = samples.filter((s) => s.bare);
  const recall = 1 - r.leaks.length / samples.length;
  const bareRecall = 1 - r.leaks.filter((s) => s.bare).length / bare.length;
  if (r.leaks.length) console.log(`${name}: leaked ${r.leaks.map((s) => s.kind).join(', ')}`);
  expect(r.sentRequests).toBeGreaterThanOrEqual(batches(samples).length);
  expect(recall).toBeGreaterThanOrEqual(0.95);
  expect(bareRecall).toBeGreaterThanOrEqual(0.9);
}

describe('redaction corpus, end to end through a loopback Bedrock server', () => {
  it(`has ≥ 300 samples of ≥ 15 kinds`, () => {
    expect(samples.length).toBeGreaterThanOrEqual(300);
    expect(new Set(samples.map((s) => s.kind)).size).toBeGreaterThanOrEqual(15);
  });

  it('ask: secrets pasted into the question never reach the model', async () => {
    const r = await leaked((b) => runOpsctl(['ask', `Redis evicting keys, memory full since the deploy:\n${b.map((s) => s.text).join('\n')}`, '--llm', 'bedrock', '--min-score', '0'], { cwd, deps }));
    expectRecall('ask', r);
  });

  it('diagnose --llm: secrets in the log lines never reach the model', async () => {
    const r = await leaked(async (b, i) => {
      const file = join(cwd, `secrets-${i}.log`);
      await writeFile(file, ['2026-11-30T02:14:07Z ERROR payments-api OOMKilled: container exceeded memory limit, exit code 137', ...b.map((s) => s.text)].join('\n'));
      return runOpsctl(['diagnose', file, '--llm', 'bedrock', '--budget', '60000'], { cwd, deps });
    });
    expectRecall('diagnose', r);
  });

  it('runbook generate: secrets in the environment file never reach the model', async () => {
    const r = await leaked(async (b, i) => {
      await writeFile(join(cwd, 'env.json'), JSON.stringify({ name: 'prod', notes: b.map((s) => s.text) }, null, 2));
      return runOpsctl(['runbook', 'generate', '--failure-mode', `database connection leak ${i}`, '--environment-file', 'env.json', '--llm', 'bedrock', '--force', '--output-dir', join(cwd, 'gen')], { cwd, deps });
    });
    expectRecall('generate', r);
  });

  it('runbook refine: secrets in the runbook never reach the model', async () => {
    await mkdir(join(cwd, 'refine'), { recursive: true });
    const r = await leaked(async (b, i) => {
      const file = join(cwd, 'refine', `leaky-${i}.md`);
      await writeFile(file, `# Leaky runbook ${i}\n\n## Steps\n\n\`\`\`\n${b.map((s) => s.text).join('\n')}\n\`\`\`\n`);
      return runOpsctl(['runbook', 'refine', '--input-runbook', file, '--feedback', 'tighten the steps', '--llm', 'bedrock'], { cwd, deps });
    });
    expectRecall('refine', r);
  });

  it('ask --verbose: `"db_password" => "hunter2"` sends the masked value and counts one password', async () => {
    const before = bedrock.requests.length;
    const r = await runOpsctl(['ask', 'Redis evicting keys, memory full; config has "db_password" => "hunter2"', '--llm', 'bedrock', '--min-score', '0', '--verbose'], { cwd, deps });
    expect(r.stderr).toContain('── redaction: masked 1 password ──');
    const sent = bedrock.requests.slice(before).map((q) => received(q.body)).join('\n');
    expect(sent).toContain('"db_password" => "[REDACTED:password]"');
    expect(sent).not.toContain('hunter2');
  });
});
