import type { Io } from '../cli/io.js';
import type { AnswerEvent } from '../core/answer/answer.js';
import type { AskEvent } from '../core/runbooks/ask.js';
import type { SearchResult } from '../core/runbooks/search.js';
import { sanitizeForTerminal, streamSanitizer } from '../core/safety/sanitize.js';
import { answerFooter, fallbackNotice, groundingText, verbosePrompt } from './ask-answer-text.js';
import { askText } from './ask-text.js';
import { indexSummary } from './index-text.js';

/** What one `ask` run produced, whatever presented it. */
export interface AskOutcome {
  result: SearchResult;
  index: { files: number; sections: number; embedder: string; updated: boolean };
  prompt?: Extract<AnswerEvent, { type: 'prompt' }>;
  done?: Extract<AnswerEvent, { type: 'done' }>;
}

export interface PlainAskOptions {
  root: string;
  minScore: number;
  indexDir: string;
  /** The LLM asked for (for --verbose and notices). */
  llmId?: string;
  verbose?: boolean;
  /** Destructive commands in red (stdout is a terminal and NO_COLOR is unset). */
  color?: boolean;
  /** all: plain text; progress: only index progress on stderr (Ink draws the rest); none: JSON, the caller prints. */
  write: 'all' | 'progress' | 'none';
}

/**
 * Consumes the event stream off a TTY: answer tokens go to stdout as they arrive (no escape codes), then the
 * ⚠ flags and the sources; without an LLM answer, the offline answer. Index progress, --verbose and the
 * fallback notice go to stderr. Otherwise (Ink, JSON) the caller presents the outcome.
 */
export async function consumeAsk(events: AsyncIterable<AskEvent>, io: Pick<Io, 'stdout' | 'stderr'>, opts: PlainAskOptions): Promise<AskOutcome> {
  let result: SearchResult | undefined;
  let index: AskOutcome['index'] = { files: 0, sections: 0, embedder: '', updated: false };
  let prompt: AskOutcome['prompt'];
  let done: AskOutcome['done'];
  let streamed = '';
  // Model output is untrusted: every delta passes the terminal sanitiser before stdout (see core/safety).
  const clean = streamSanitizer();
  for await (const ev of events) {
    if (ev.type === 'indexed') {
      index.updated = true;
      if (opts.write !== 'none') io.stderr.write(indexSummary(ev.result, opts.indexDir, 0).replace(/, 0 ms/, ''));
    } else if (ev.type === 'retrieved') {
      result = ev.result;
      index = { ...ev.index, updated: index.updated };
    } else if (ev.type === 'prompt') {
      prompt = ev;
      if (opts.verbose) io.stderr.write(sanitizeForTerminal(verbosePrompt(ev, opts.llmId ?? ev.type)));
    } else if (ev.type === 'delta') {
      streamed += ev.text;
      if (opts.write === 'all') io.stdout.write(clean.push(ev.text));
    } else if (ev.type === 'done') {
      done = ev;
    }
  }
  if (!result) throw new Error('retrieval produced no result');
  if (opts.write === 'all') io.stdout.write(clean.end());
  if (opts.write === 'all') writeEnding(io, { result, done, streamed }, opts);
  return { result, index, prompt, done };
}

function writeEnding(io: Pick<Io, 'stdout' | 'stderr'>, o: { result: SearchResult; done?: AskOutcome['done']; streamed: string }, opts: PlainAskOptions): void {
  const { done } = o;
  if (done?.usedLlm) {
    io.stdout.write(`${o.streamed.endsWith('\n') ? '' : '\n'}${answerFooter(done, opts.color)}`);
    return;
  }
  if (done?.fallbackReason) {
    io.stderr.write(sanitizeForTerminal(fallbackNotice(done)));
    if (o.streamed) io.stdout.write(['\n\n[the answer above is incomplete: the LLM connection failed]', ...groundingText(done.grounding, opts.color), '\n'].join('\n'));
  }
  if (opts.verbose && done?.skipped) io.stderr.write('── LLM not called: no runbook section is relevant enough ──\n');
  io.stdout.write(sanitizeForTerminal(askText(o.result, opts.root, opts.minScore)));
}
