import { NOT_COVERED } from '../answer/prompt.js';
import type { LlmRequest } from '../ports.js';

const SECTION = /<section n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/section>/g;

/** The first prose sentence of a section: no headings, code fences, tables or list markers. */
function firstSentence(text: string): string | undefined {
  let fenced = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || !line || /^(#|\||```|~~~|<)/.test(line)) continue;
    const prose = line.replace(/^([-*+]|\d+[.)])\s+/, '');
    const sentence = /^(.+?[.!?])(\s|$)/.exec(prose)?.[1] ?? prose;
    if (sentence.split(/\s+/).length >= 4) return sentence.replace(/[.!?]$/, '');
  }
  return undefined;
}

/**
 * A deterministic stand-in for an LLM (`opsctl eval --llm fake`): answers with the first sentence of each of the
 * first two sections of the grounded prompt, cited, or with the refusal sentence when there are none. It checks
 * the plumbing (prompt, citations, grounding, refusals) offline; it says nothing about a real model's quality.
 */
export function extractiveAnswer(req: LlmRequest): string {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const parts: string[] = [];
  for (const m of user.matchAll(SECTION)) {
    const s = firstSentence(m[2]);
    if (s) parts.push(`${s} [${m[1]}].`);
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join(' ') : NOT_COVERED;
}
