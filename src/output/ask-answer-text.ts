import type { AnswerEvent, AnswerSource } from '../core/answer/answer.js';
import type { GroundingReport, UnitCheck } from '../core/answer/grounding.js';
import { describeRedactions } from '../core/safety/redact.js';
import { sanitizeForTerminal } from '../core/safety/sanitize.js';

type Done = Extract<AnswerEvent, { type: 'done' }>;
type PromptEvent = Extract<AnswerEvent, { type: 'prompt' }>;

const oneLine = (s: string, max = 110) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** Why one unit of the answer is not trusted, or undefined when it is fine. */
export function unitProblem(u: UnitCheck): string | undefined {
  const valid = u.citations.filter((n) => !u.invalid.includes(n));
  const problems: string[] = [];
  if (u.invalid.length) problems.push(`cites ${u.invalid.map((n) => `[${n}]`).join('')}, which is not a source`);
  if (u.instruction && valid.length === 0) problems.push('instruction without a citation');
  else if (u.claim && !u.supported && u.unsupported.length) problems.push(`${u.unsupported.map((n) => `[${n}]`).join('')} does not say this`);
  for (const c of u.notInCited) problems.push(`not in the cited runbook: \`${oneLine(c, 80)}\``);
  return problems.length ? problems.join('; ') : undefined;
}

/** One line per destructive command the cited sections do not contain verbatim (shown in red on a terminal). */
export function destructiveFlags(g: GroundingReport): string[] {
  return g.destructive.map((c) => `✗ DESTRUCTIVE, not in the cited runbook: ${oneLine(c)}`);
}

/** One line per cited section that talks to the model ("ignore previous instructions…"). */
export function injectionFlags(g: GroundingReport): string[] {
  return g.injections.map((x) => `[${x.n}] holds text addressed to the model, not the reader (possible prompt injection): "${oneLine(x.lines[0], 90)}"`);
}

/** The flagged parts of an answer, one per line: `"Restart the fleet [9]." — cites [9], which is not a source`. */
export function groundingFlags(g: GroundingReport): string[] {
  return g.units.flatMap((u) => {
    const p = unitProblem(u);
    return p ? [`"${oneLine(u.text)}" — ${p}`] : [];
  });
}

/** The sources the answer cites, or all it was given when it cites none. */
export function listedSources(done: Pick<Done, 'sources'>): { cited: boolean; sources: AnswerSource[] } {
  const cited = done.sources.filter((s) => s.cited);
  return cited.length ? { cited: true, sources: cited } : { cited: false, sources: done.sources };
}

const RED = (s: string) => `\x1b[31m${s}\x1b[39m`;

/**
 * The grounding warnings in plain text: destructive commands first, each on its own line (red when `color`),
 * then the ⚠ list and any injection notice. Untrusted text in them is sanitised here, before colour is added.
 */
export function groundingText(g: GroundingReport | undefined, color = false): string[] {
  if (!g) return [];
  const out: string[] = [];
  for (const d of destructiveFlags(g)) out.push(color ? RED(sanitizeForTerminal(d)) : sanitizeForTerminal(d));
  if (out.length) out.push('');
  const flags = groundingFlags(g);
  if (flags.length) {
    out.push('⚠ unsupported (check these against the runbook before acting):');
    for (const f of flags) out.push(sanitizeForTerminal(`  - ${f}`));
    out.push('');
  }
  for (const i of injectionFlags(g)) out.push(sanitizeForTerminal(`⚠ ${i}`), '');
  return out;
}

/** What follows the streamed answer in plain text: the warnings (if any), then the source list; sanitised. */
export function answerFooter(done: Done, color = false): string {
  const out: string[] = ['', ...groundingText(done.grounding, color)];
  const { cited, sources } = listedSources(done);
  if (sources.length) {
    out.push(cited ? 'Sources:' : 'Sources (retrieved; the answer cites none):');
    for (const s of sources) out.push(sanitizeForTerminal(`  [${s.n}] ${s.citation}`));
    out.push('');
  }
  return out.join('\n');
}

/** One line on stderr when the LLM answer could not be had and the offline answer follows. */
export function fallbackNotice(done: Done): string {
  return `opsctl: ${done.llm ?? 'the LLM'} unavailable (${done.fallbackReason ?? 'unknown error'}); showing the runbook sections instead (exit 7)\n`;
}

/** `--verbose` on stderr: the retrieved context, the exact prompt sent, and what was masked. */
export function verbosePrompt(ev: PromptEvent, llmId: string): string {
  const out = [`── retrieved context: ${ev.sources.length} section${ev.sources.length === 1 ? '' : 's'} ──`];
  for (const s of ev.sources) out.push(`[${s.n}] ${s.citation}`);
  out.push(`── prompt sent to ${llmId} (~${ev.tokens} tokens, temperature 0) ──`);
  for (const m of ev.messages) out.push(`[${m.role}]`, m.content, '');
  out.push(ev.redactions ? `── redaction: masked ${describeRedactions(ev.redactions)} ──` : '── redaction: off (local backend, nothing leaves this machine) ──', '');
  return out.join('\n');
}
