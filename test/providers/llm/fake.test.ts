import { describe, expect, it } from 'vitest';
import { FakeLlm, splitChunks } from '../../../src/providers/llm/fake.js';
import { collect } from '../../helpers/async.js';

const req = (q: string) => ({ messages: [{ role: 'user' as const, content: q }] });

describe('FakeLlm', () => {
  it('answers from a queue in order, records requests, and throws when the queue runs out', async () => {
    const llm = new FakeLlm(['first [1].', 'second [2].']);
    expect(await llm.complete(req('a'))).toBe('first [1].');
    expect(await llm.complete(req('b'))).toBe('second [2].');
    await expect(llm.complete(req('c'))).rejects.toThrow(/script has 2 answers, call 3 has none/);
    expect(llm.requests.map((r) => r.messages[0].content)).toEqual(['a', 'b', 'c']);
  });

  it('answers by a function of the request', async () => {
    const llm = new FakeLlm((r, call) => `${call}:${r.messages[0].content.toUpperCase()}`, { id: 'fake:upper' });
    expect(llm.id).toBe('fake:upper');
    expect(await llm.complete(req('hi'))).toBe('0:HI');
    expect(await llm.complete(req('yo'))).toBe('1:YO');
  });

  it('streams the answer in several word chunks that join back exactly', async () => {
    const text = 'Roll back  the api [1].\n\n```\naws ecs update-service\n```';
    const deltas = await collect(new FakeLlm(text).stream(req('q')));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
  });

  it('throws a scripted Error (to simulate a backend failure)', async () => {
    const llm = new FakeLlm([new Error('backend down')]);
    await expect(collect(llm.stream(req('q')))).rejects.toThrow('backend down');
  });

  it('stops streaming when the signal aborts', async () => {
    const ctl = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const d of new FakeLlm('one two three four').stream({ ...req('q'), signal: ctl.signal })) {
        seen.push(d);
        ctl.abort(new Error('stop'));
      }
    })();
    await expect(run).rejects.toThrow('stop');
    expect(seen).toEqual(['one ']);
  });
});

describe('splitChunks', () => {
  it.each([['', []], ['one', ['one']], ['  a b ', ['  a ', 'b ']]])('%j', (text, want) => {
    expect(splitChunks(text)).toEqual(want);
  });
});
