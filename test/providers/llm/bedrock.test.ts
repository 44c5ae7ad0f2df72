import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactingLlm } from '../../../src/core/safety/redact.js';
import type { ChatMessage } from '../../../src/core/ports.js';
import { BedrockLlm, toConverse, type BedrockLlmOptions } from '../../../src/providers/llm/bedrock.js';
import { BedrockTestServer } from '../../helpers/bedrock-server.js';
import { collect, failure } from '../../helpers/async.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'Answer only from the sections.' },
  { role: 'user', content: 'How do I roll back the api?' },
];
const credentials = { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' };
const NOVA = 'amazon.nova-lite-v1:0';

describe('BedrockLlm against a loopback Bedrock Runtime', () => {
  const server = new BedrockTestServer({
    models: [NOVA, 'anthropic.claude-3-haiku-20240307-v1:0'],
    denied: ['anthropic.claude-3-haiku-20240307-v1:0'],
    reply: () => ['To roll back, ', 'run the ', 'update-service ', 'command [1].'],
  });
  let endpoint = '';
  const llm = (over: Partial<BedrockLlmOptions> = {}) =>
    new BedrockLlm({ model: NOVA, region: 'us-east-1', endpoint, requestHandler: new NodeHttpHandler(), credentials, timeoutMs: 5000, retryDelayMs: 5, ...over });

  beforeAll(async () => {
    endpoint = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('converse: returns the text and sends system, messages and inferenceConfig, signed', async () => {
    expect(await llm().complete({ messages, temperature: 0, maxTokens: 300 })).toBe('To roll back, run the update-service command [1].');
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.operation).toBe('converse');
    expect(req.modelId).toBe(NOVA);
    expect(req.body).toEqual({
      system: [{ text: 'Answer only from the sections.' }],
      messages: [{ role: 'user', content: [{ text: 'How do I roll back the api?' }] }],
      inferenceConfig: { temperature: 0, maxTokens: 300 },
    });
    expect(String(req.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/us-east-1\/bedrock\//);
  });

  it('converseStream: decodes the event stream into deltas in order', async () => {
    expect(await collect(llm().stream({ messages }))).toEqual(['To roll back, ', 'run the ', 'update-service ', 'command [1].']);
    expect(server.requests.map((r) => r.operation)).toEqual(['converse-stream']);
  });

  it('sends only redacted text when wrapped with redactingLlm', async () => {
    const secret = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');
    const guarded = redactingLlm(llm());
    await collect(guarded.stream({ messages: [{ role: 'user', content: `key ${secret} on 10.20.30.40, mail ops@example.com` }] }));
    const sent = JSON.stringify(server.requests[0].body);
    expect(sent).not.toContain(secret);
    expect(sent).not.toContain('10.20.30.40');
    expect(sent).toContain('key [REDACTED:aws-access-key] on [REDACTED:ipv4], mail [REDACTED:email]');
  });

  it.each([500, 503, 429])('retries once after HTTP %i', async (status) => {
    server.fault = { kind: 'status', status };
    expect(await llm().complete({ messages })).toContain('roll back');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a stream that failed before its first delta', async () => {
    server.fault = { kind: 'status', status: 500 };
    expect((await collect(llm().stream({ messages }))).join('')).toContain('update-service');
    expect(server.requests).toHaveLength(2);
  });

  it('says access to the model is denied in the region, with the console hint, without retrying', async () => {
    const err = await failure(llm({ model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'eu-west-1' }).complete({ messages }));
    expect(err.message).toBe('access to model anthropic.claude-3-haiku-20240307-v1:0 denied in eu-west-1');
    expect(err.hint).toContain('Bedrock console');
    expect(server.requests).toHaveLength(1);
  });

  it('names an unknown model', async () => {
    const err = await failure(llm({ model: 'amazon.nova-ultra-v9:0' }).stream({ messages })[Symbol.asyncIterator]().next());
    expect(err.message).toMatch(/^unknown Bedrock model amazon\.nova-ultra-v9:0 in us-east-1/);
    expect(err.hint).toContain('list-foundation-models');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a reply that does not start', async () => {
    const client = llm({ timeoutMs: 1000 });
    await client.complete({ messages }); // warm the SDK client so only the server's delay is timed
    server.fault = { kind: 'slow', delayMs: 4000 };
    const err = await failure(client.complete({ messages }));
    expect(err.message).toBe(`no answer from bedrock:${NOVA} within 1 s`);
  });

  it('fails (no hang) when the connection drops mid-stream, keeping the deltas already sent', async () => {
    server.fault = { kind: 'drop', afterChunks: 2 };
    const seen: string[] = [];
    const err = await failure((async () => {
      for await (const d of llm().stream({ messages })) seen.push(d);
    })());
    expect(seen).toEqual(['To roll back, ', 'run the ']);
    expect(err.code).toBe('llm');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a stream that stalls mid-answer', async () => {
    const client = llm({ timeoutMs: 1000 });
    await client.complete({ messages });
    server.fault = { kind: 'stall', afterChunks: 1 };
    const err = await failure(collect(client.stream({ messages })));
    expect(err.message).toBe(`no answer from bedrock:${NOVA} within 1 s`);
  });

  it("rejects with the caller's abort reason when cancelled mid-stream", async () => {
    server.fault = { kind: 'stall', afterChunks: 1 };
    const ctl = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const run = (async () => {
      for await (const _d of llm({ timeoutMs: 30_000 }).stream({ messages, signal: ctl.signal })) ctl.abort(reason);
    })();
    await expect(run).rejects.toBe(reason);
  });

  it('reports missing credentials with a hint', async () => {
    const noCreds = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const err = await failure(llm({ credentials: noCreds }).complete({ messages }));
    expect(err.message).toBe('no AWS credentials for Bedrock');
    expect(err.hint).toMatch(/aws configure|aws sso login/);
    expect(server.requests).toHaveLength(0);
  });

  it('honours AWS_ENDPOINT_URL and takes the region from the environment', async () => {
    const saved = { url: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION };
    process.env.AWS_ENDPOINT_URL = endpoint;
    process.env.AWS_REGION = 'ap-southeast-2';
    try {
      const client = new BedrockLlm({ model: 'anthropic.claude-3-haiku-20240307-v1:0', requestHandler: new NodeHttpHandler(), credentials, timeoutMs: 2000 });
      const err = await failure(client.complete({ messages }));
      expect(err.message).toBe('access to model anthropic.claude-3-haiku-20240307-v1:0 denied in ap-southeast-2');
      expect(server.requests).toHaveLength(1);
    } finally {
      for (const [k, v] of [['AWS_ENDPOINT_URL', saved.url], ['AWS_REGION', saved.region]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('toConverse', () => {
  it('moves system text apart and merges consecutive turns of one role', () => {
    expect(toConverse([
      { role: 'system', content: 's1' },
      { role: 'user', content: 'u1' },
      { role: 'user', content: 'u2' },
      { role: 'assistant', content: 'a1' },
      { role: 'system', content: 's2' },
    ])).toEqual({
      system: [{ text: 's1' }, { text: 's2' }],
      messages: [
        { role: 'user', content: [{ text: 'u1' }, { text: 'u2' }] },
        { role: 'assistant', content: [{ text: 'a1' }] },
      ],
    });
  });
});
