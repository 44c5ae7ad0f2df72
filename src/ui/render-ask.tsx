import { render } from 'ink';
import type { Io } from '../cli/io.js';
import type { SearchResult } from '../core/runbooks/search.js';
import { AskResult } from './components/AskResult.js';

/** Draws the answer once and returns: the no-LLM answer is static, nothing waits for input. */
export async function renderAskResult(result: SearchResult, root: string, minScore: number, io: Io): Promise<void> {
  const app = render(<AskResult result={result} root={root} minScore={minScore} />, { stdout: io.stdout as NodeJS.WriteStream, stderr: io.stderr as NodeJS.WriteStream, stdin: io.stdin as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: false });
  app.unmount();
  await app.waitUntilExit();
}
