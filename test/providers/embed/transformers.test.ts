import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { TransformersEmbedder } from '../../../src/providers/embed/transformers.js';
import { freePort } from '../../helpers/moto.js';

// The committed tiny model (scripts/make-tiny-model.mjs): real ONNX, real tokenizer, hidden size 32.
const MODEL_DIR = resolve('test/fixtures/tiny-model');
const MODEL = 'Xenova/tiny-minilm';
const local = (extra = {}) => new TransformersEmbedder({ model: MODEL, modelDir: MODEL_DIR, ...extra });

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

/** A loopback stand-in for the model hub: serves the fixture at /<model>/resolve/main/<file> and counts hits. */
let hub: Server;
let hubUrl = '';
const hits: string[] = [];
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'opsctl-embed-'));
  hub = createServer(async (req, res) => {
    hits.push(req.url ?? '');
    const m = /^\/(.+?)\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    try {
      if (!m) throw new Error('bad path');
      res.end(await readFile(join(MODEL_DIR, decodeURIComponent(m[1]), m[2])));
    } catch {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  const port = await freePort();
  await new Promise<void>((r) => hub.listen(port, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${port}/`;
});

afterAll(async () => {
  await new Promise((r) => hub.close(r));
  await rm(tmp, { recursive: true, force: true });
});

describe('TransformersEmbedder on the tiny fixture model', () => {
  it('reports the width from config.json before embedding, and vectors have that width', async () => {
    const config = JSON.parse(await readFile(join(MODEL_DIR, MODEL, 'config.json'), 'utf8'));
    const e = local();
    expect(e.id).toBe(`transformers:${MODEL}`);
    expect(await e.dimension()).toBe(config.hidden_size);
    expect((await e.embedQuery('ALB 5xx errors high')).length).toBe(config.hidden_size);
  });

  it('returns unit-length vectors that are deterministic across calls and instances', async () => {
    const texts = ['Database connection pool exhausted', 'ECS task keeps restarting after deploy', 'x'];
    const a = await local().embedDocuments(texts);
    const b = await local().embedDocuments(texts);
    for (const v of a) expect(norm(v)).toBeCloseTo(1, 5);
    a.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(b[i])));
  });

  it('gives different texts different vectors', async () => {
    const [a, b] = await local().embedDocuments(['redis cache latency high', 'certificate expired on the load balancer']);
    expect(cosine(a, b)).toBeLessThan(0.99);
  });

  it('embeds a batch of 40 (two pipeline batches) the same as one by one', async () => {
    const e = local();
    const texts = Array.from({ length: 40 }, (_, i) => `incident ${i}: service ${i % 7} has ${i * 3} errors`);
    const all = await e.embedDocuments(texts);
    expect(all).toHaveLength(40);
    for (const i of [0, 31, 32, 39]) expect(maxDiff(all[i], await e.embedQuery(texts[i]))).toBeLessThan(1e-5);
    expect(await e.embedDocuments([])).toEqual([]);
  });

  it('loads the unquantised onnx/model.onnx when asked, close to the quantised one', async () => {
    const text = 'rollback the checkout service deployment';
    const q = await local().embedQuery(text);
    const f = await local({ quantized: false }).embedQuery(text);
    expect(maxDiff(q, f)).toBeGreaterThan(0);
    expect(cosine(q, f)).toBeGreaterThan(0.95);
  });
});

describe('TransformersEmbedder with OPSCTL_MODEL_DIR never touches the network', () => {
  it('a model missing from modelDir is an input error with the copy hint, and no request is made', async () => {
    const empty = await mkdtemp(join(tmp, 'empty-'));
    const before = hits.length;
    const e = new TransformersEmbedder({ modelDir: empty, remoteHost: hubUrl });
    const err = await e.embedQuery('hello').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(OpsctlError);
    expect(err).toMatchObject({ code: 'input', exitCode: 4, message: `embedding model Xenova/all-MiniLM-L6-v2 not found in ${empty}` });
    expect((err as OpsctlError).hint).toContain('unset OPSCTL_MODEL_DIR');
    await expect(e.dimension()).rejects.toBeInstanceOf(OpsctlError);
    expect(hits.length).toBe(before);
  });

  it('a partial model folder fails inside transformers.js with remote models off, still without a request', async () => {
    const partial = await mkdtemp(join(tmp, 'partial-'));
    await cp(join(MODEL_DIR, MODEL), join(partial, MODEL), { recursive: true });
    await rm(join(partial, MODEL, 'tokenizer_config.json'));
    const before = hits.length;
    const err = await new TransformersEmbedder({ model: MODEL, modelDir: partial, remoteHost: hubUrl }).embedQuery('hi').catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'input', message: `embedding model ${MODEL} not found in ${partial}` });
    const { env } = await import('@xenova/transformers');
    expect(env.allowRemoteModels).toBe(false);
    expect(hits.length).toBe(before);
  });
});

describe('TransformersEmbedder without modelDir downloads into its cache', () => {
  it('downloads from the hub once, then works offline from the cache', async () => {
    const cacheDir = join(tmp, 'cache');
    const fresh = new TransformersEmbedder({ model: MODEL, cacheDir, remoteHost: hubUrl });
    const before = hits.length;
    const v = await fresh.embedQuery('disk full on the primary database');
    expect(hits.length).toBeGreaterThan(before);
    expect((await stat(join(cacheDir, MODEL, 'onnx/model_quantized.onnx'))).size).toBeGreaterThan(0);

    const deadHost = `http://127.0.0.1:${await freePort()}/`;
    const offline = new TransformersEmbedder({ model: MODEL, cacheDir, remoteHost: deadHost });
    expect(await offline.dimension()).toBe(v.length);
    expect(maxDiff(await offline.embedQuery('disk full on the primary database'), v)).toBe(0);
  });

  it('maps an unreachable hub to an input error naming the host', async () => {
    const deadHost = `http://127.0.0.1:${await freePort()}/`;
    const e = new TransformersEmbedder({ model: MODEL, cacheDir: join(tmp, 'cache-dead'), remoteHost: deadHost });
    const err = await e.dimension().catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'input', message: `could not download embedding model ${MODEL} from ${new URL(deadHost).host}` });
    expect((err as OpsctlError).hint).toContain('OPSCTL_MODEL_DIR');
  });

  it('maps a model the hub does not have to an input error', async () => {
    const e = new TransformersEmbedder({ model: 'nobody/no-such-model', cacheDir: join(tmp, 'cache-404'), remoteHost: hubUrl });
    const err = await e.embedQuery('hi').catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'input', message: expect.stringContaining('nobody/no-such-model is not available') });
  });
});
