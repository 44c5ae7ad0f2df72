import { destructivePart, extractCommands, injectedLines, trustedText } from '../answer/commands.js';
import type { KeptRef } from './evidence.js';
import type { RunbookRef } from './runbooks.js';

/** The grounding check of a model's diagnosis, as `diagnose` reports it (text and JSON). */
export interface DiagnosisGrounding {
  /** Nothing flagged. */
  ok: boolean;
  /** "ungrounded" when something is flagged: the exit code is then 13. */
  verdict: 'grounded' | 'ungrounded';
  /** Commands in `fix` or `next_steps` that neither the log lines nor the matched runbook sections contain. */
  notInSources: string[];
  /** Destructive commands or steps (in fix, next_steps or yaml_patch) not found verbatim in those sources. */
  destructive: string[];
  /** Log lines or runbook lines addressed to the model (possible prompt injection); they never count as support. */
  injections: string[];
}

/** The parts of a diagnosis the model wrote that someone may act on. */
export interface Actionable {
  fix: string;
  next_steps: string[];
  yaml_patch?: string;
}

/**
 * Checks the model's `fix`, `next_steps` and `yaml_patch` the way `ask` checks an answer: every command (inline
 * code or a fenced block) must appear, whitespace-normalised, in the kept log lines or a matched runbook section;
 * destructive ones (delete, terminate, scale to 0, --force, rm -rf, drop, kill, rollback --yes) are flagged
 * unless a source holds them verbatim. Lines addressed to the model are dropped from the sources first. The
 * YAML patch is a proposal, not a quote, so only its destructive lines (`replicas: 0`...) are flagged.
 */
export function checkDiagnosis(d: Actionable, refs: readonly KeptRef[], runbooks: readonly RunbookRef[]): DiagnosisGrounding {
  const texts = [...refs.map((r) => r.text), ...runbooks.map((r) => r.text ?? '')];
  const sources = texts.map(trustedText);
  const has = (s: string) => sources.some((t) => t.includes(s));
  const hasAnyCase = (s: string) => sources.some((t) => t.toLowerCase().includes(s.toLowerCase()));
  const notInSources: string[] = [];
  const destructive: string[] = [];
  for (const text of [d.fix, ...d.next_steps]) {
    const fences = [...text.matchAll(/```[^\n]*\n([\s\S]*?)(?:```|$)/g)].map((m) => m[1]).join('\n');
    const prose = text.replace(/```[\s\S]*?(?:```|$)/g, ' ');
    for (const c of extractCommands(prose, fences)) {
      if (!has(c)) notInSources.push(c);
      if (destructivePart(c) && !has(c)) destructive.push(c);
    }
    const part = destructivePart(prose.replace(/`[^`]*`/g, ' '));
    if (part && !hasAnyCase(part)) destructive.push(prose.replace(/\s+/g, ' ').trim());
  }
  for (const line of (d.yaml_patch ?? '').split('\n')) {
    const l = line.trim();
    if (l && destructivePart(l) && !has(l.replace(/\s+/g, ' '))) destructive.push(l);
  }
  const injections = [...new Set(texts.flatMap(injectedLines))];
  const flagged = notInSources.length + destructive.length > 0;
  return { ok: !flagged, verdict: flagged ? 'ungrounded' : 'grounded', notInSources: [...new Set(notInSources)], destructive: [...new Set(destructive)], injections };
}
