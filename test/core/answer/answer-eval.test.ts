import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../../src/core/answer/answer.js';
import type { AskOptions } from '../../../src/core/runbooks/ask.js';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { askRunbooks, collect, corpus, doneOf, scriptedAnswer, type Behaviour } from './answer-fixtures.js';

interface EvalCase {
  id: string;
  question: string;
  must_refuse?: boolean;
}

const EVAL_DIR = resolve('eval');
const cases: EvalCase[] = readdirSync(EVAL_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(EVAL_DIR, f), 'utf8')) as { cases: EvalCase[] }).cases);
const answerable = cases.filter((c) => !c.must_refuse);
const refusals = cases.filter((c) => c.must_refuse);

let base: Omit<AskOptions, 'question'>;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ base, cleanup } = await corpus(resolve('runbooks'))));
afterAll(() => cleanup());

type Done = Extract<AnswerEvent, { type: 'done' }>;

/** Every eval question through retrieval and the scripted model; returns each run's final event and the model's log. */
async function runAll(list: EvalCase[], behaviour: Behaviour): Promise<Array<{ c: EvalCase; done: Done; calls: number }>> {
  const out = [];
  for (const c of list) {
    const llm = new FakeLlm((req) => scriptedAnswer(req, behaviour));
    const done = doneOf(await collect(askRunbooks({ ...base, question: c.question, answer: { llm, displayRoot: 'runbooks' } })));
    out.push({ c, done, calls: llm.requests.length });
  }
  return out;
}

describe(`grounding over the bundled runbooks: ${answerable.length} answerable + ${refusals.length} refusal eval questions, scripted LLM`, () => {
  it('loads at least 20 questions', () => {
    expect(answerable.length).toBeGreaterThanOrEqual(20);
    expect(refusals.length).toBeGreaterThanOrEqual(5);
  });

  it('refusals never reach the LLM', async () => {
    for (const r of await runAll(refusals, 'grounded')) {
      expect({ id: r.c.id, calls: r.calls, skipped: r.done.skipped }).toEqual({ id: r.c.id, calls: 0, skipped: 'no-match' });
    }
  });

  it('answers that quote and cite their sections pass the check', async () => {
    const runs = await runAll(answerable, 'grounded');
    const answered = runs.filter((r) => r.done.usedLlm);
    // Retrieval turns a few answerable questions away; the large majority must get an LLM answer.
    expect(answered.length).toBeGreaterThanOrEqual(Math.ceil(answerable.length * 0.8));
    for (const r of runs.filter((x) => !x.done.usedLlm)) expect({ id: r.c.id, calls: r.calls }).toEqual({ id: r.c.id, calls: 0 });
    for (const r of answered) {
      const g = r.done.grounding!;
      expect({ id: r.c.id, ok: g.ok, invalid: g.invalidCitations, uncited: g.uncitedInstructions, unsupported: g.unsupportedUnits }).toEqual({ id: r.c.id, ok: true, invalid: [], uncited: [], unsupported: [] });
      expect(r.done.sources.some((s) => s.cited)).toBe(true);
    }
  });

  it('every invented citation is caught', async () => {
    for (const r of (await runAll(answerable, 'invented-citation')).filter((x) => x.done.usedLlm)) {
      const g = r.done.grounding!;
      expect({ id: r.c.id, ok: g.ok, invalid: g.invalidCitations }).toEqual({ id: r.c.id, ok: false, invalid: [r.done.sources.length + 4] });
    }
  });

  it('every uncited command is flagged', async () => {
    for (const r of (await runAll(answerable, 'uncited-command')).filter((x) => x.done.usedLlm)) {
      const g = r.done.grounding!;
      expect({ id: r.c.id, ok: g.ok, uncited: g.uncitedInstructions }).toEqual({ id: r.c.id, ok: false, uncited: ['Finally run `sudo reboot` on every host.'] });
    }
  });
});
