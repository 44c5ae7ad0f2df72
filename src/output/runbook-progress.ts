import { canDrawProgress } from '../cli/mode.js';
import type { Io } from '../cli/io.js';
import type { AuthoringEvent } from '../core/authoring/draft.js';
import { sanitizeForTerminal } from '../core/safety/sanitize.js';

/**
 * Progress for authoring on stderr: a line redrawn in place on a terminal, a few plain lines otherwise
 * (start, end, lint verdict), so logs and CI output stay readable.
 */
export function authoringProgress(io: Pick<Io, 'stderr' | 'env'>): (e: AuthoringEvent) => void {
  const live = canDrawProgress(io);
  let model = '';
  let attempt: 'draft' | 'repair' = 'draft';
  let lastDrawn = 0;
  return (e) => {
    if (e.type === 'request') {
      model = e.model;
      attempt = e.attempt;
      lastDrawn = 0;
      if (!live) io.stderr.write(`opsctl: ${attempt === 'draft' ? 'drafting' : 'repairing'} the runbook with ${model}…\n`);
    } else if (e.type === 'delta' && live && e.chars - lastDrawn >= 64) {
      lastDrawn = e.chars;
      io.stderr.write(`\r\x1b[2K${attempt === 'draft' ? 'drafting' : 'repairing'} with ${model}… ${e.chars} chars`);
    } else if (e.type === 'response') {
      io.stderr.write(`${live ? '\r\x1b[2K' : ''}opsctl: ${model} answered (${e.chars} chars)\n`);
    } else if (e.type === 'lint') {
      if (e.problems.length === 0) io.stderr.write('opsctl: lint passed\n');
      else {
        io.stderr.write(`opsctl: lint found ${e.problems.length} problem(s):\n`);
        for (const p of e.problems) io.stderr.write(sanitizeForTerminal(`  line ${p.line}: ${p.message}\n`));
      }
    }
  };
}
