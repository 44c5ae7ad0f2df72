import { OpsctlError } from '../errors.js';
import { splitDocument } from './document.js';

const OUTER_OPEN = /^\s{0,3}(`{3,}|~{3,})\s*(markdown|md)?\s*$/i;

/**
 * Turns an LLM answer into the runbook body: unwraps a code fence around the whole answer (models love
 * "```markdown"), drops chatter before a leading "# " title, and drops any front matter the model invented
 * (opsctl writes its own). Empty answers and answers cut off inside a code block are LLM errors.
 */
export function extractMarkdown(answer: string, model: string): string {
  let text = answer.replace(/\r\n/g, '\n').trim();
  if (!text) throw new OpsctlError('llm', `${model} returned an empty answer`, 'check the model is pulled and not overloaded, then retry');
  const lines = text.split('\n');
  // A wrapping fence is the first line, or follows a few lines of chatter ("Here is your runbook:").
  const start = lines.slice(0, 4).findIndex((l, i) => OUTER_OPEN.test(l) && (i === 0 || /markdown|md/i.test(l)));
  if (start >= 0) {
    const fence = OUTER_OPEN.exec(lines[start])![1];
    const closes = (l: string) => l.trim()[0] === fence[0] && /^([`~])\1{2,}$/.test(l.trim()) && l.trim().length >= fence.length;
    let end = lines.length - 1;
    while (end > start && !closes(lines[end])) end -= 1;
    if (end === start) throw truncated(model, 'the answer opens a Markdown code block that never closes');
    text = lines.slice(start + 1, end).join('\n').trim();
  } else if (!/^#\s/.test(lines[0])) {
    const title = lines.findIndex((l) => /^#\s/.test(l));
    if (title > 0 && title <= 5) text = lines.slice(title).join('\n');
  }
  const body = splitDocument(text).body.trim();
  if (!body) throw new OpsctlError('llm', `${model} returned no runbook text`, 'check the model and the prompt template, then retry');
  if (hasOpenFence(body)) throw truncated(model, 'a code block is never closed');
  return body;
}

function truncated(model: string, why: string): OpsctlError {
  return new OpsctlError('llm', `${model}'s answer looks truncated: ${why}`, 'raise llmTimeoutMs, use a model with a longer context, or retry; nothing was written');
}

/** True when the text ends inside a fenced code block. */
export function hasOpenFence(text: string): boolean {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!m) continue;
    if (!open) open = m[1];
    else if (m[1][0] === open[0] && m[1].length >= open.length && !m[2].trim()) open = undefined;
  }
  return open !== undefined;
}
