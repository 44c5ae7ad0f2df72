import type { AnswerEvent, AnswerSource } from '../core/answer/answer.js';
import type { GroundingReport, UnitCheck } from '../core/answer/grounding.js';
import { describeRedactions } from '../core/answer/redact.js';

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
  return problems.length ? problems.join('; ') : undefined;
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

/** What follows the streamed answer in plain text: the ⚠ list (if any), then the source list. */
export function answerFooter(done: Done): string {
  const out: string[] = [''];
  const flags = done.grounding ? groundingFlags(done.grounding) : [];
  if (flags.length) {
    out.push('⚠ unsupported (check these against the runbook before acting):');
    for (const f of flags) out.push(`  - ${f}`);
    out.push('');
  }
  const { cited, sources } = listedSources(done);
  if (sources.length) {
    out.push(cited ? 'Sources:' : 'Sources (retrieved; the answer cites none):');
    for (const s of sources) out.push(`  [${s.n}] ${s.citation}`);
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
