import type { InStream, OutStream } from '../cli/io.js';

// The terminal's answer to "where is the cursor?" (DSR 6): ESC [ row ; col R.
// eslint-disable-next-line no-control-regex -- matching the terminal's escape sequence is the point
const CURSOR_REPORT = /\x1b\[\d+;\d+R/;

/**
 * Discards what was typed before a prompt is drawn, so `y⏎` typed ahead (while the plan was being fetched)
 * cannot answer a question the person has not seen. Node has no tcflush, so this asks the terminal where its
 * cursor is (ESC[6n): the answer is queued after everything already typed, and everything up to and
 * including it is thrown away. A terminal that does not answer is given `timeoutMs`; what arrived is discarded.
 * Leaves stdin in raw mode and paused, ready for Ink.
 */
export async function discardTypeAhead(stdin: InStream, stdout: OutStream, timeoutMs = 1000): Promise<void> {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function' || !stdout.isTTY) return;
  stdin.setRawMode(true);
  await new Promise<void>((resolve) => {
    let seen = '';
    const finish = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.pause();
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (CURSOR_REPORT.test(seen)) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    stdin.on('data', onData);
    stdin.resume();
    stdout.write('\x1b[6n');
  });
}
