import { EXIT } from '../core/errors.js';
import { defaultDeps } from './deps.js';
import { runCli } from './run.js';

// The only place that exits the process. First Ctrl-C asks work to stop cleanly; a second one exits at once.
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.INTERRUPTED);
  controller.abort(new Error('interrupted'));
});

const code = await runCli(process.argv.slice(2), defaultDeps(), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = controller.signal.aborted ? EXIT.INTERRUPTED : code;
// Let stdout drain, then leave even if a provider left a socket open.
process.stdout.write('', () => process.exit(process.exitCode));
