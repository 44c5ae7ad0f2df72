import type { SearchResult } from '../core/runbooks/search.js';
import { actionableFirst, citation, moreInFile, why } from './sections.js';

/** Lines shown of each hit after the first; the full text is in --json and in the cited file. */
const PREVIEW_LINES = 8;

const indent = (s: string, n = 3) => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

/** Plain-text answer for pipes and CI: no colours, no escape codes. */
export function askText(result: SearchResult, root: string, minScore: number): string {
  if (result.noMatch) {
    return [
      `No runbook covers this (best relevance ${result.best.toFixed(2)} is below ${minScore.toFixed(2)}).`,
      'Try other words (the alarm name, the metric, the error text), or write one: opsctl runbook generate --failure-mode "<what broke>"',
      '',
    ].join('\n');
  }
  const out: string[] = [`${result.hits.length} runbook section${result.hits.length === 1 ? '' : 's'} for: ${result.query}`, ''];
  result.hits.forEach((h, i) => {
    const [first, ...rest] = h.section.sources;
    out.push(`[${i + 1}] ${citation(first, root)}`);
    for (const s of rest) out.push(`    also: ${citation(s, root)}`);
    out.push(`    why: ${why(h)}`, '');
    const { actions, context } = actionableFirst(h.section.text);
    const body = [...actions, ...context].join('\n\n');
    const lines = body.split('\n');
    const shown = i === 0 ? lines : lines.slice(0, PREVIEW_LINES);
    out.push(indent(shown.join('\n')));
    if (shown.length < lines.length) out.push(`   … ${lines.length - shown.length} more lines in ${root ? `${root}/` : ''}${first.file}:${first.startLine}-${first.endLine}`);
    const more = moreInFile(result, i);
    if (more) out.push(`   ${more}`);
    out.push('');
  });
  return out.join('\n');
}
