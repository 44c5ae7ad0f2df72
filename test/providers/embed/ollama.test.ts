import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { OllamaEmbedder } from '../../../src/providers/embed/ollama.js';
import { OllamaTestServer } from '../../helpers/ollama-server.js';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe('OllamaEmbedder against a loopback Ollama', () => {
  const server = new OllamaTestServer({ models: ['nomic-embed-text', 'all-minilm'] });
  let host = '';

  beforeAll(async () => {
    host = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  it('defaults to nomic-embed-text and prefixes documents and queries for it', async () => {
    const e = new OllamaEmbedder({ host });
    expect(e.id).toBe('ollama:nomic-embed-text');
    const docs = await e.embedDocuments(['restart the api', 'scale the db']);
    await e.embedQuery('how to restart?');
    expect(docs).toHaveLength(2);
    expect(server.requests.map((r) => r.body)).toEqual([
      { model: 'nomic-embed-text', input: ['search_document: restart the api', 'search_document: scale the db'] },
      { model: 'nomic-embed-text', input: ['search_query: how to restart?'] },
    ]);
  });

  it('sends other models the text as is', async () => {
    await new OllamaEmbedder({ host, model: 'all-minilm' }).embedQuery('plain');
    expect(server.requests[0].body).toEqual({ model: 'all-minilm', input: ['plain'] });
  });

  it('returns L2-normalised Float32Arrays even when the server does not', async () => {
    const [v] = await new OllamaEmbedder({ host }).embedDocuments(['aaaa bbbb']);
    expect(v).toBeInstanceOf(Float32Array);
    expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('learns the dimension from one probe and remembers it', async () => {
    const e = new OllamaEmbedder({ host });
    expect(await e.dimension()).toBe(8);
    expect(await e.dimension()).toBe(8);
    expect(server.requests).toHaveLength(1);
  });

  it('batches documents', async () => {
    const docs = await new OllamaEmbedder({ host, batchSize: 2 }).embedDocuments(['a', 'b', 'c', 'd', 'e']);
    expect(docs).toHaveLength(5);
    expect(server.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([2, 2, 1]);
  });

  it('sends nothing for no documents', async () => {
    expect(await new OllamaEmbedder({ host }).embedDocuments([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('retries once after a 500', async () => {
    server.fault = { kind: 'status', status: 500 };
    expect(await new OllamaEmbedder({ host, retryDelayMs: 1 }).embedQuery('x')).toHaveLength(8);
    expect(server.requests).toHaveLength(2);
  });

  it('says which model to pull', async () => {
    const err = await new OllamaEmbedder({ host, model: 'mxbai-embed-large' }).embedQuery('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).hint).toContain('ollama pull mxbai-embed-large');
  });
});
