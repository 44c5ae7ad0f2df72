import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { redactingLlm } from '../../../src/core/safety/redact.js';
import type { AskOptions } from '../../../src/core/runbooks/ask.js';
import { MINI_RUNBOOKS } from '../../helpers/cli.js';
import { askRunbooks, collect, corpus, doneOf, promptSections, scriptedAnswer, type Behaviour } from './answer-fixtures.js';

let base: Omit<AskOptions, 'question'>;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ base, cleanup } = await corpus(MINI_RUNBOOKS)));
afterAll(() => cleanup());

const REDIS = 'Redis is evicting keys, memory almost full';
const scripted = (b: Behaviour) => new FakeLlm((req) => scriptedAnswer(req, b));
const ask = (question: string, llm: FakeLlm, over: Partial<AskOptions> = {}) =>
  collect(askRunbooks({ ...base, question, answer: { llm, displayRoot: 'runbooks' }, ...over }));

describe('answerQuestion through askRunbooks', () => {
  it('a grounded answer: retrieved → prompt → deltas → citations → done, every citation valid, temperature 0', async () => {
    const llm = scripted('grounded');
    const evs = await ask(REDIS, llm);
    const types = evs.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['indexed', 'retrieved']);
    expect(types[2]).toBe('prompt');
    expect(types.filter((t) => t === 'delta').length).toBeGreaterThan(3);
    expect(types.at(-1)).toBe('done');
    const done = doneOf(evs);
    const streamed = evs.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(done.answer).toBe(streamed);
    expect(done).toMatchObject({ usedLlm: true, llm: 'fake' });
    expect(done.grounding).toMatchObject({ ok: true, invalidCitations: [], uncitedInstructions: [], unsupportedUnits: [] });
    expect(done.grounding!.supportedShare).toBe(1);
    // The citation events name the sources the text cites, each once, in the order first cited.
    const cited = evs.flatMap((e) => (e.type === 'citation' ? [e.source.n] : []));
    expect(cited).toEqual([...new Set(cited)]);
    expect(cited).toEqual(done.sources.filter((s) => s.cited).map((s) => s.n));
    expect(done.sources[0]).toMatchObject({ n: 1, file: 'runbooks/redis-memory-eviction.md', cited: true });
    const first = done.sources[0];
    expect(first.citation).toBe(`runbooks/redis-memory-eviction.md:${first.startLine}-${first.endLine}${first.headingPath.map((h) => ` › ${h}`).join('')}`);
    // The model gets the best sections before the per-file limit of the shown list: all five are the Redis runbook's.
    expect(done.sources.map((s) => s.file)).toEqual(Array(5).fill('runbooks/redis-memory-eviction.md'));
    // One request, deterministic, carrying the numbered sections and the question.
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0].temperature).toBe(0);
    expect(promptSections(llm.requests[0]).map((s) => s.n)).toEqual(done.sources.map((s) => s.n));
    expect(llm.requests[0].messages.at(-1)!.content).toContain(`Question: ${REDIS}`);
  });

  it('an invented citation [n] is flagged, not kept silently', async () => {
    const done = doneOf(await ask(REDIS, scripted('invented-citation')));
    const n = done.sources.length + 4;
    expect(done.grounding!.invalidCitations).toEqual([n]);
    expect(done.grounding!.ok).toBe(false);
    expect(done.sources.every((s) => s.n !== n)).toBe(true);
  });

  it('a command without a citation is flagged', async () => {
    const done = doneOf(await ask(REDIS, scripted('uncited-command')));
    expect(done.grounding!.uncitedInstructions).toEqual(['Finally run `sudo reboot` on every host.']);
    expect(done.grounding!.ok).toBe(false);
  });

  it('when retrieval finds nothing relevant the LLM is never called', async () => {
    const llm = scripted('grounded');
    const evs = await ask('how do I bake sourdough bread', llm);
    expect(llm.requests).toHaveLength(0);
    expect(evs.map((e) => e.type)).toEqual(['retrieved', 'done']);
    expect(doneOf(evs)).toMatchObject({ usedLlm: false, skipped: 'no-match', sources: [] });
  });

  it('a failing backend ends with a fallback reason (the caller prints the offline answer, exit 7)', async () => {
    const llm = new FakeLlm([new OpsctlError('llm', 'Ollama not running at http://127.0.0.1:9', 'start it')]);
    const evs = await ask(REDIS, llm);
    const done = doneOf(evs);
    expect(done).toMatchObject({ usedLlm: false, fallbackReason: 'Ollama not running at http://127.0.0.1:9', llm: 'fake' });
    expect(done.answer).toBeUndefined();
    const retrieved = evs.find((e) => e.type === 'retrieved');
    expect(retrieved?.type === 'retrieved' && retrieved.result.hits.length).toBeGreaterThan(0);
  });

  it('a bug (not an LLM error) is not hidden by the fallback; Ctrl-C is "interrupted"', async () => {
    await expect(ask(REDIS, new FakeLlm([new TypeError('boom')]))).rejects.toThrow('boom');
    const ctl = new AbortController();
    const slow = new FakeLlm((req) => scriptedAnswer(req, 'grounded'), { chunkDelayMs: 5 });
    const seen: string[] = [];
    const run = async () => {
      for await (const e of askRunbooks({ ...base, question: REDIS, signal: ctl.signal, answer: { llm: slow, displayRoot: 'runbooks' } })) {
        seen.push(e.type);
        if (e.type === 'delta') ctl.abort(new Error('interrupted'));
      }
    };
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).code).toBe('interrupted');
    expect(seen).not.toContain('done');
  });

  it('redacts the prompt when asked (cloud backend) and reports what was masked', async () => {
    const llm = scripted('grounded');
    const evs = await ask('Redis evicting keys on 10.20.30.40, memory full; page ops@example.com', llm, { answer: { llm: redactingLlm(llm), displayRoot: 'runbooks' } });
    const prompt = evs.find((e) => e.type === 'prompt');
    expect(prompt?.type === 'prompt' && prompt.redactions).toEqual({ email: 1, ipv4: 1 });
    const sent = llm.requests[0].messages.map((m) => m.content).join('\n');
    expect(sent).not.toContain('10.20.30.40');
    expect(sent).not.toContain('ops@example.com');
    expect(sent).toContain('[REDACTED:ipv4]');
  });

  it('follow-ups: retrieval adds the previous question; the prompt carries earlier Q/A without their [n]', async () => {
    const llm = scripted('grounded');
    const history = [{ question: REDIS, answer: 'Add a TTL to keys [1]. Scale the node [2].', sources: [{ n: 1, file: 'runbooks/redis-memory-eviction.md', startLine: 1, endLine: 9, headingPath: [], citation: 'x', cited: true }] }];
    const evs = await ask('and how do I verify it worked?', llm, { history });
    const retrieved = evs.find((e) => e.type === 'retrieved');
    expect(retrieved?.type === 'retrieved' && retrieved.result.query).toBe(`and how do I verify it worked? ${REDIS}`);
    const msgs = llm.requests[0].messages;
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(msgs[1].content).toBe(REDIS);
    expect(msgs[2].content).toBe('Add a TTL to keys. Scale the node.');
    expect(msgs[3].content).toContain('Question: and how do I verify it worked?');
  });

  it('fits the sections to the token budget', async () => {
    const llm = scripted('grounded');
    const all = doneOf(await ask(REDIS, llm)).sources.length;
    const small = doneOf(await ask(REDIS, llm, { answer: { llm, displayRoot: 'runbooks', budgetTokens: 500 } })).sources.length;
    expect(all).toBeGreaterThan(1);
    expect(small).toBeGreaterThanOrEqual(1);
    expect(small).toBeLessThan(all);
  });

  it('without an LLM the stream is unchanged: retrieved then done(usedLlm false)', async () => {
    const evs = await collect(askRunbooks({ ...base, question: REDIS }));
    expect(evs.map((e) => e.type)).toEqual(['retrieved', 'done']);
    expect(doneOf(evs)).toEqual({ type: 'done', sources: [], usedLlm: false });
  });
});
