import { render } from 'ink';
import { createElement } from 'react';
import type { Io } from '../cli/io.js';
import type { Confirm } from '../core/ports.js';
import { ConfirmPrompt } from './components/ConfirmPrompt.js';
import { discardTypeAhead } from './flush-input.js';

/**
 * The Ink y/N Confirm for a terminal. Only build it when outputMode is 'interactive': Ink's input hook
 * needs a TTY on stdin. An abort (first Ctrl-C outside raw mode) answers no. Keys typed before the prompt
 * is drawn are discarded first: only an answer to the question on screen counts.
 */
export function createInkConfirm(io: Pick<Io, 'stdin' | 'stdout' | 'stderr' | 'signal'>): Confirm {
  return {
    async ask(question) {
      await discardTypeAhead(io.stdin, io.stdout);
      return new Promise<boolean>((resolve) => {
        let settled = false;
        const app = render(
          createElement(ConfirmPrompt, { question, onAnswer: (yes: boolean) => done(yes) }),
          { stdin: io.stdin as NodeJS.ReadStream, stdout: io.stdout as NodeJS.WriteStream, stderr: io.stderr as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false },
        );
        const onAbort = () => done(false);
        // If Ink exits without an answer (its input setup failed, the component crashed), that is a no.
        app.waitUntilExit().then(() => done(false), () => done(false));
        function done(yes: boolean) {
          if (settled) return;
          settled = true;
          io.signal.removeEventListener('abort', onAbort);
          // Let Ink paint the final "yes"/"no" frame, then give the terminal back before resolving.
          setTimeout(() => {
            app.unmount();
            void app.waitUntilExit().then(() => resolve(yes), () => resolve(yes));
          }, 0);
        }
        if (io.signal.aborted) done(false);
        else io.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
