import { mkdtemp, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlmRequest } from '../../../src/core/ports.js';
import { askRunbooks, type AskEvent, type AskOptions } from '../../../src/core/runbooks/ask.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';

/** The numbered sections as the model received them, parsed back out of the user message. */
export function promptSections(req: LlmRequest): Array<{ n: number; text: string }> {
  const user = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/<section n="(\d+)" source="[^"]*">\n([\s\S]*?)\n<\/section>/g)].map((m) => ({ n: Number(m[1]), text: m[2] }));
}

/** First sentence of a section's prose (no heading, no code, no list marker), without its final period. */
export function firstSentence(text: string): string | undefined {
  const prose = text.replace(/```[\s\S]*?```/g, '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('|') && !l.startsWith('---'));
  const line = prose[0]?.replace(/^([-*+]|\d+[.)])\s+/, '');
  return line?.split(/(?<=[.!?])\s+/)[0].replace(/[.!?:]+$/, '');
}

/** The first fenced command of a section, if any. */
export function firstCommand(text: string): string | undefined {
  return /```[^\n]*\n([\s\S]*?)```/.exec(text)?.[1].trim();
}

export type Behaviour = 'grounded' | 'invented-citation' | 'uncited-command';

/**
 * A scripted model that answers from what it was given, like a well-behaved LLM: one sentence from each of the
 * first two sections with its [n], and the first command found, introduced by a cited step. The bad behaviours
 * add one fault on top: a citation of a section that does not exist, or a command with no citation.
 */
export function scriptedAnswer(req: LlmRequest, behaviour: Behaviour): string {
  const sections = promptSections(req);
  const lines: string[] = [];
  for (const s of sections.slice(0, 2)) {
    const sentence = firstSentence(s.text);
    if (sentence) lines.push(`${sentence} [${s.n}].`);
  }
  const withCmd = sections.find((s) => firstCommand(s.text));
  if (withCmd) lines.push(`Run this command [${withCmd.n}]:`, '```', firstCommand(withCmd.text)!, '```');
  if (behaviour === 'invented-citation') lines.push(`Then restart the whole fleet to clear the fault [${sections.length + 4}].`);
  if (behaviour === 'uncited-command') lines.push('Finally run `sudo reboot` on every host.');
  return lines.join('\n');
}

/** A temp copy of a runbooks dir plus the options askRunbooks needs (LSA embedder, real HNSW store). */
export async function corpus(from: string): Promise<{ base: Omit<AskOptions, 'question'>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-answer-'));
  await cp(from, join(dir, 'runbooks'), { recursive: true });
  const base: Omit<AskOptions, 'question'> = {
    root: join(dir, 'runbooks'),
    indexDir: join(dir, '.opsctl'),
    embedder: { kind: 'lsa' },
    vectors: hnswFactory,
    lock: { pid: 4242, isAlive: () => false },
    now: () => new Date(),
    topK: 5,
    minScore: 0.3,
  };
  return { base, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function collect(events: AsyncIterable<AskEvent>): Promise<AskEvent[]> {
  const out: AskEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

export const doneOf = (evs: AskEvent[]) => {
  const d = evs.find((e) => e.type === 'done');
  if (d?.type !== 'done') throw new Error('no done event');
  return d;
};

export { askRunbooks };
