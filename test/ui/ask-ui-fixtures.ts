import type { AskEvent } from '../../src/core/runbooks/ask.js';
import type { Hit, SearchResult } from '../../src/core/runbooks/search.js';
import { answerSources } from '../../src/core/answer/answer.js';
import { checkGrounding } from '../../src/core/answer/grounding.js';

export const tick = () => new Promise((r) => setTimeout(r, 15));
export async function until(check: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 150 && !check(); i++) await tick();
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const hit = (label: number, file: string, heading: string, text: string): Hit => ({
  section: { label, hash: String(label), title: heading, headingPath: ['Redis', heading], text, sources: [{ file, startLine: 10 * label, endLine: 10 * label + 5, headingPath: ['Redis', heading] }], meta: '' },
  score: 1 / label,
  files: [{ file, score: 1 / label }],
  relevance: 0.6,
  lexical: 0.5,
  dense: 0.5,
  matched: ['redis'],
});

export const HITS = [
  hit(1, 'redis.md', 'Remediation', '## Remediation\n\n1. Add a TTL to keys written without one.\n2. Scale the node type up one size.'),
  hit(2, 'redis.md', 'Verification', '## Verification\n\nevicted_keys stops growing and the hit rate recovers.'),
];
export const RESULT: SearchResult = { query: 'redis evicting', hits: HITS, noMatch: false, best: 0.6 };
export const SOURCES = answerSources(HITS, 'runbooks');
const sections = HITS.map((h, i) => ({ n: i + 1, text: h.section.text }));

/** An event stream the test drives by hand: push events, then end it. */
export function manualStream() {
  const queue: AskEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: Error | undefined;
  const events: AsyncIterable<AskEvent> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (failure) throw failure;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
  const poke = () => (wake?.(), (wake = undefined));
  return {
    events,
    push: (...evs: AskEvent[]) => (queue.push(...evs), poke()),
    end: () => ((ended = true), poke()),
    fail: (e: Error) => ((failure = e), poke()),
  };
}

/** The events of a complete, grounded (or not) answer to `answer`. */
export function answerEvents(answer: string): AskEvent[] {
  const g = checkGrounding(answer, sections);
  const cited = new Set(g.units.flatMap((u) => u.citations));
  return [
    { type: 'retrieved', result: RESULT, index: { files: 1, sections: 2, embedder: 'lsa-192' } },
    { type: 'prompt', messages: [{ role: 'system', content: 'rules' }, { role: 'user', content: 'sections and question' }], sources: SOURCES, tokens: 42, redactions: null },
    ...(answer.match(/\s*\S+\s*/g) ?? []).map((text): AskEvent => ({ type: 'delta', text })),
    { type: 'done', answer, grounding: g, sources: SOURCES.map((s) => ({ ...s, cited: cited.has(s.n) })), usedLlm: true, llm: 'ollama:llama3.1' },
  ];
}
