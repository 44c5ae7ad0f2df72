import { render, useApp } from 'ink';
import type { Io } from '../cli/io.js';
import type { AskEvent } from '../core/runbooks/ask.js';
import type { SearchResult } from '../core/runbooks/search.js';
import { AnswerStream } from './components/AnswerStream.js';
import { AskResult } from './components/AskResult.js';
import { useAskEvents, type AskView } from './hooks/use-ask-events.js';

const inkStreams = (io: Io) => ({ stdout: io.stdout as NodeJS.WriteStream, stderr: io.stderr as NodeJS.WriteStream, stdin: io.stdin as NodeJS.ReadStream });

/** Draws the answer once and returns: the no-LLM answer is static, nothing waits for input. */
export async function renderAskResult(result: SearchResult, root: string, minScore: number, io: Io): Promise<void> {
  const app = render(<AskResult result={result} root={root} minScore={minScore} />, { ...inkStreams(io), exitOnCtrlC: false, patchConsole: false });
  app.unmount();
  await app.waitUntilExit();
}

interface StreamProps {
  root: string;
  minScore: number;
  llmId?: string;
  verbose?: boolean;
}

function AskStreamApp({ events, onFinish, ...rest }: StreamProps & { events: AsyncIterable<AskEvent>; onFinish: (v: AskView) => void }) {
  const { exit } = useApp();
  const view = useAskEvents(events, (v) => {
    onFinish(v);
    // Let Ink draw the final frame before it unmounts.
    setTimeout(() => exit(), 0);
  });
  return <AnswerStream view={view} {...rest} />;
}

/**
 * Renders one question's event stream (spinner, streamed answer, citations, flags) and resolves with the
 * final view. A failure of the stream is rethrown after the screen is left tidy, so exit codes stay right.
 */
export async function renderAskStream(events: AsyncIterable<AskEvent>, props: StreamProps, io: Io): Promise<AskView> {
  let final: AskView | undefined;
  // No stdin handling here (useInput throws without a TTY, and Ctrl-C is a SIGINT → io.signal as usual).
  const app = render(<AskStreamApp events={events} onFinish={(v) => (final = v)} {...props} />, { ...inkStreams(io), exitOnCtrlC: false, patchConsole: false });
  await app.waitUntilExit();
  if (!final) throw new Error('the answer view ended without a result');
  if (final.error) throw final.error.cause;
  return final;
}
