import { createServer, type AddressInfo } from 'node:net';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultDeps, type Deps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import type { LlmRequest } from '../../src/core/ports.js';
import type { AskJsonV1 } from '../../src/output/ask-json.js';
import { BedrockLlm } from '../../src/providers/llm/bedrock.js';
import { BedrockTestServer, type ConverseBody } from '../helpers/bedrock-server.js';
import { OllamaTestServer, type OllamaChatBody } from '../helpers/ollama-server.js';
import { makeIo, MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { scriptedAnswer, type Behaviour } from '../core/answer/answer-fixtures.js';

const REDIS = 'Redis is evicting keys, memory almost full';
let behaviour: Behaviour = 'grounded';
const fromOllama = (b: OllamaChatBody): LlmRequest => ({ messages: b.messages.map((m) => ({ role: m.role as 'user', content: m.content })) });
const fromConverse = (b: ConverseBody): LlmRequest => ({
  messages: [...(b.system ?? []).map((s) => ({ role: 'system' as const, content: s.text })), ...b.messages.map((m) => ({ role: m.role as 'user', content: m.content.map((c) => c.text ?? '').join('') }))],
});

const ollama = new OllamaTestServer({ reply: (b) => scriptedAnswer(fromOllama(b), behaviour) });
const bedrock = new BedrockTestServer({ reply: (b) => scriptedAnswer(fromConverse(b), behaviour) });
const tmp = tempDirs('opsctl-ask-llm-');
let cwd = '';
let ollamaHostPort = '';
let bedrockUrl = '';

/** Real BedrockLlm, but over HTTP/1.1 to the loopback server (the default handler speaks HTTP/2). */
const bedrockDeps: Deps = {
  ...defaultDeps(),
  llm: async (config) => new BedrockLlm({ model: config.model ?? 'amazon.nova-lite-v1:0', region: config.region, endpoint: bedrockUrl, requestHandler: new NodeHttpHandler(), credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback' }, timeoutMs: 5000 }),
};
/** A port nothing listens on (fetch refuses "bad ports" such as 9 before connecting, so a real free one). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}
const chats = () => ollama.requests.filter((r) => r.path === '/api/chat');
const withOllama = (argv: string[], env: Record<string, string> = {}) => runOpsctl(argv, { cwd, env: { OLLAMA_HOST: ollamaHostPort, ...env } });

beforeAll(async () => {
  cwd = await tmp.withCopy(MINI_RUNBOOKS);
  // OLLAMA_HOST without a scheme, as people set it.
  ollamaHostPort = (await ollama.start()).replace('http://', '');
  bedrockUrl = await bedrock.start();
  await runOpsctl(['index'], { cwd });
});
afterAll(async () => {
  await ollama.stop();
  await bedrock.stop();
  await tmp.cleanup();
});
beforeEach(() => {
  behaviour = 'grounded';
  ollama.requests.splice(0);
  bedrock.requests.splice(0);
});

describe('ask --llm ollama (real client, loopback server)', () => {
  it('streams the answer to stdout token by token, then the sources; OLLAMA_HOST honoured; temperature 0', async () => {
    const { io, stdout, stderr } = makeIo({ cwd, env: { OLLAMA_HOST: ollamaHostPort } });
    const writes: string[] = [];
    const write = io.stdout.write.bind(io.stdout);
    io.stdout.write = ((chunk: string, ...rest: never[]) => (writes.push(String(chunk)), write(chunk, ...rest))) as typeof io.stdout.write;
    const code = await runCli(['ask', REDIS, '--llm', 'ollama'], defaultDeps(), io);
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const out = stdout();
    expect(out).not.toContain('\x1b');
    expect(writes.length).toBeGreaterThan(5); // one write per streamed token, not one block
    expect(out.indexOf('[1]')).toBeLessThan(out.indexOf('Sources:'));
    expect(out).toMatch(/\nSources:\n {2}\[1\] runbooks\/redis-memory-eviction\.md:\d+-\d+( › \w+)?\n {2}\[2\] /);
    expect(out).not.toContain('⚠ unsupported');
    expect(chats()).toHaveLength(1);
    const body = chats()[0].body as OllamaChatBody;
    expect(body).toMatchObject({ model: 'llama3.1', stream: true, options: { temperature: 0 } });
    expect(body.messages.at(-1)!.content).toMatch(/<section n="1" source="runbooks\/redis-memory-eviction\.md:\d+-\d+/);
  });

  it('--json: opsctl.ask/v1 with answer, sources, grounding and llm; hits unchanged', async () => {
    const r = await withOllama(['ask', REDIS, '--llm', 'ollama', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as AskJsonV1;
    expect(j).toMatchObject({ schema: 'opsctl.ask/v1', answered: true, llm: { used: true, id: 'ollama:llama3.1' } });
    expect(j.answer).toMatch(/\[1\]/);
    expect(j.llm.promptTokens).toBeGreaterThan(100);
    expect(j.grounding).toMatchObject({ ok: true, invalidCitations: [], uncitedInstructions: [], unsupported: [], flags: [], notCovered: false });
    expect(j.sources.map((s) => s.n)).toEqual(j.hits.slice(0, j.sources.length).map((h) => h.rank));
    expect(j.sources[0]).toMatchObject({ n: 1, cited: true, citation: j.hits[0].citation, file: j.hits[0].file });
  });

  it('flags an invented citation and an uncited command in text and JSON', async () => {
    behaviour = 'invented-citation';
    const text = await withOllama(['ask', REDIS, '--llm', 'ollama']);
    expect(text.stdout).toContain('⚠ unsupported (check these against the runbook before acting):');
    expect(text.stdout).toMatch(/- "Then restart the whole fleet to clear the fault \[\d+\]\." — cites \[\d+\], which is not a source/);
    behaviour = 'uncited-command';
    const json = JSON.parse((await withOllama(['ask', REDIS, '--llm', 'ollama', '--json'])).stdout) as AskJsonV1;
    expect(json.grounding).toMatchObject({ ok: false, uncitedInstructions: ['Finally run `sudo reboot` on every host.'] });
    expect(json.grounding!.flags).toEqual(['"Finally run `sudo reboot` on every host." — instruction without a citation']);
  });

  it('--verbose prints the retrieved context, the exact prompt and the redaction state on stderr', async () => {
    const r = await withOllama(['ask', REDIS, '--llm', 'ollama', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/── retrieved context: \d sections ──\n\[1\] runbooks\/redis-memory-eviction\.md/);
    expect(r.stderr).toMatch(/── prompt sent to ollama:llama3\.1 \(~\d+ tokens, temperature 0\) ──\n\[system\]\nYou are opsctl/);
    const sent = (chats()[0].body as OllamaChatBody).messages.at(-1)!.content;
    expect(r.stderr).toContain(sent); // the exact user message, byte for byte
    expect(r.stderr).toContain('── redaction: off (local backend, nothing leaves this machine) ──');
  });

  it('no relevant runbook: the LLM is never called, exit 3', async () => {
    const r = await withOllama(['ask', 'how do I bake sourdough bread', '--llm', 'ollama', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ answered: false, answer: null, llm: { used: false, skipped: 'no-match' } });
    expect(chats()).toHaveLength(0);
  });

  it('OPSCTL_LLM selects the backend; OPSCTL_LLM=none keeps the offline answer', async () => {
    const on = await withOllama(['ask', REDIS, '--json'], { OPSCTL_LLM: 'ollama' });
    expect(JSON.parse(on.stdout).llm.used).toBe(true);
    const off = await withOllama(['ask', REDIS, '--json'], { OPSCTL_LLM: 'none' });
    expect(JSON.parse(off.stdout)).toMatchObject({ answer: null, grounding: null, llm: { used: false } });
    expect(chats()).toHaveLength(1);
  });

  it('server down: the offline answer, a one-line notice on stderr, exit 7 (text and JSON)', async () => {
    const port = await freePort();
    const down = { OLLAMA_HOST: `127.0.0.1:${port}` };
    const text = await withOllama(['ask', REDIS, '--llm', 'ollama'], down);
    expect(text.code).toBe(7);
    expect(text.stdout).toMatch(/^\d runbook sections? for: Redis/);
    expect(text.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^opsctl: ollama:llama3\.1 unavailable \(Ollama not running at http:\/\/127\.0\.0\.1:\d+\); showing the runbook sections instead \(exit 7\)$/)]);
    const json = await withOllama(['ask', REDIS, '--llm', 'ollama', '--json'], down);
    expect(json.code).toBe(7);
    expect(JSON.parse(json.stdout)).toMatchObject({ answered: true, answer: null, llm: { used: false, error: `Ollama not running at http://127.0.0.1:${port}` } });
    expect(json.stderr).toMatch(/^opsctl: answered without the LLM: Ollama not running/);
  });

  it('model not pulled and HTTP 500 twice also fall back (exit 7)', async () => {
    const missing = await withOllama(['ask', REDIS, '--llm', 'ollama', '--model', 'nope', '--json']);
    expect(missing.code).toBe(7);
    expect(JSON.parse(missing.stdout).llm.error).toMatch(/model nope not pulled/);
    ollama.fault = { kind: 'status', status: 500, times: 2 };
    const failing = await withOllama(['ask', REDIS, '--llm', 'ollama', '--json']);
    expect(failing.code).toBe(7);
    expect(chats()).toHaveLength(3); // nope, then 500 + one retry
  });

  it('no question off a terminal is still a usage error', async () => {
    const r = await withOllama(['ask', '--llm', 'ollama']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ask needs a question/);
  });
});

describe('ask --llm bedrock (real client, loopback Converse server)', () => {
  it('streams a cited answer through ConverseStream', async () => {
    const r = await runOpsctl(['ask', REDIS, '--llm', 'bedrock', '--region', 'us-east-1'], { cwd, deps: bedrockDeps });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[1\]/);
    expect(r.stdout).toMatch(/\nSources:\n {2}\[1\] runbooks\/redis-memory-eviction\.md/);
    expect(bedrock.requests.map((q) => [q.operation, q.modelId, q.body.inferenceConfig?.temperature])).toEqual([['converse-stream', 'amazon.nova-lite-v1:0', 0]]);
  });

  it('redacts before the cloud: --verbose counts the masks, the server never sees the values', async () => {
    const q = 'Redis evicting keys on 10.20.30.40, memory full; page ops@example.com';
    const r = await runOpsctl(['ask', q, '--llm', 'bedrock', '--region', 'us-east-1', '--verbose'], { cwd, deps: bedrockDeps });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('── redaction: masked 1 email, 1 ipv4 ──');
    const sent = JSON.stringify(bedrock.requests[0].body);
    expect(sent).not.toContain('10.20.30.40');
    expect(sent).not.toContain('ops@example.com');
    expect(sent).toContain('[REDACTED:ipv4]');
  });

  it('access denied falls back to the offline answer, exit 7', async () => {
    bedrock.fault = { kind: 'status', status: 403 };
    const r = await runOpsctl(['ask', REDIS, '--llm', 'bedrock', '--region', 'us-east-1', '--json'], { cwd, deps: bedrockDeps });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).llm.error).toMatch(/access to model amazon\.nova-lite-v1:0 denied in us-east-1/);
  });
});
