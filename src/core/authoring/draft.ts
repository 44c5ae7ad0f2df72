import { OpsctlError, isOpsctlError } from '../errors.js';
import type { ChatMessage, LlmClient } from '../ports.js';
import { extractMarkdown } from './extract.js';
import { lintRunbook, type LintProblem } from './lint.js';

/** What the authoring use-cases report while they wait on the LLM; presenters decide how to show it. */
export type AuthoringEvent =
  | { type: 'request'; attempt: 'draft' | 'repair'; model: string }
  | { type: 'delta'; chars: number }
  | { type: 'response'; attempt: 'draft' | 'repair'; chars: number }
  | { type: 'lint'; problems: LintProblem[] };

export interface DraftOptions {
  llm: LlmClient;
  messages: ChatMessage[];
  /** Wraps an extracted body into the full document (front matter added) that is linted and written. */
  finalize: (body: string) => string;
  signal?: AbortSignal;
  onEvent?: (e: AuthoringEvent) => void;
}

export interface Draft {
  document: string;
  body: string;
  /** True when the first draft failed lint and the LLM's repair passed. */
  repaired: boolean;
  /** The repair request sent, when there was one (saved next to the prompt for reproducibility). */
  repairPrompt?: string;
}

/** Streams one answer, reporting progress; provider failures that are not OpsctlErrors become LLM errors. */
export async function askLlm(llm: LlmClient, messages: ChatMessage[], attempt: 'draft' | 'repair', opts: Pick<DraftOptions, 'signal' | 'onEvent'>): Promise<string> {
  opts.onEvent?.({ type: 'request', attempt, model: llm.id });
  let text = '';
  try {
    for await (const delta of llm.stream({ messages, temperature: 0.2, signal: opts.signal })) {
      text += delta;
      opts.onEvent?.({ type: 'delta', chars: text.length });
    }
  } catch (e) {
    if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'interrupted; nothing was written', undefined, { cause: e });
    if (isOpsctlError(e)) throw e;
    throw new OpsctlError('llm', `${llm.id} failed: ${(e as Error).message}`, 'check the LLM backend is running (ollama serve) or pick another with --llm/--model', { cause: e });
  }
  opts.onEvent?.({ type: 'response', attempt, chars: text.length });
  return text;
}

/** The follow-up message asking the model to fix what lint found. */
export function repairMessage(problems: LintProblem[]): string {
  return [
    'The runbook you wrote fails these checks:',
    ...problems.map((p) => `- ${p.message}`),
    '',
    'Return the complete corrected runbook in Markdown only (no front matter, no commentary), keeping everything that was',
    'already right. It needs "## Detection", "## Investigation", "## Remediation", "## Verification" and "## Escalation"',
    '(or "## Rollback") sections, each with content, and at least one fenced ```bash block with a real command.',
  ].join('\n');
}

/**
 * Asks for a draft, lints it, and asks once for a repair when lint fails. A draft that still fails is a GATE
 * error listing the problems; nothing is returned, so nothing gets written.
 */
export async function draftRunbook(opts: DraftOptions): Promise<Draft> {
  const first = await askLlm(opts.llm, opts.messages, 'draft', opts);
  const body = extractMarkdown(first, opts.llm.id);
  const document = opts.finalize(body);
  const problems = lintRunbook(document);
  opts.onEvent?.({ type: 'lint', problems });
  if (problems.length === 0) return { document, body, repaired: false };

  const repairPrompt = repairMessage(problems);
  const messages: ChatMessage[] = [...opts.messages, { role: 'assistant', content: first }, { role: 'user', content: repairPrompt }];
  const second = await askLlm(opts.llm, messages, 'repair', opts);
  const body2 = extractMarkdown(second, opts.llm.id);
  const document2 = opts.finalize(body2);
  const left = lintRunbook(document2);
  opts.onEvent?.({ type: 'lint', problems: left });
  if (left.length > 0) {
    const summary = left.slice(0, 3).map((p) => p.message).join('; ') + (left.length > 3 ? `; and ${left.length - 3} more` : '');
    throw new OpsctlError('gate', `the generated runbook still fails lint after one repair (${summary})`, 'nothing was written; retry, try a stronger --model, or make the prompt template stricter');
  }
  return { document: document2, body: body2, repaired: true, repairPrompt };
}
