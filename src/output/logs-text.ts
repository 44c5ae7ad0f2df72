import type { KeptBlock, KeptLine, ReducedLog, ReduceFormat } from '../core/logs/types.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function blockHead(b: Omit<KeptBlock, 'lines'>): string {
  const range = b.start === b.end ? `${b.start}` : `${b.start}-${b.end}`;
  return `@@ ${b.label}:${range} ${b.score.toFixed(2)} ${b.reason}\n`;
}

function line(l: KeptLine): string {
  const cut = l.truncated ? ` […+${l.truncated}B]` : '';
  const rep = l.repeat ? ` [×${l.repeat.count}, first L${l.repeat.first}, last L${l.repeat.last}]` : '';
  return `${l.text}${cut}${rep}\n`;
}

/**
 * Plain-text reduced log: a `#` header saying what was kept and dropped (with several sources, one line each,
 * `# 1=path: …`, naming the short id the blocks use), then `@@ source:start-end score reason` blocks with the lines verbatim. No colours or escape codes: it is meant for pipes and LLM prompts.
 */
export const logsTextFormat: ReduceFormat = {
  render(doc: ReducedLog): string {
    const out: string[] = [];
    const dropped = doc.inputLines - doc.keptLines;
    out.push(`# opsctl logs reduce: kept ${doc.keptLines} of ${plural(doc.inputLines, 'line')}, dropped ${dropped}; ${doc.used}/${doc.budget} tokens (${doc.tokenizer === undefined || doc.tokenizer === 'estimate' ? 'est.' : doc.tokenizer})\n`);
    if (doc.sources.length > 1 || doc.sources.some((s) => s.truncatedLines > 0)) {
      for (const s of doc.sources) {
        const cut = s.truncatedLines ? `, ${s.truncatedLines} cut at 4KB` : '';
        out.push(`# ${s.label === s.name ? '' : `${s.label}=`}${s.name}: kept ${s.kept}/${s.lines}, ${s.repeats} repeats collapsed${cut}\n`);
      }
    } else if (doc.sources.length === 1) {
      out.push(`# ${doc.sources[0].repeats} dropped lines repeat a kept template (×N)\n`);
    }
    for (const b of doc.blocks) {
      out.push(blockHead(b));
      for (const l of b.lines) out.push(line(l));
    }
    return out.join('');
  },
  blockMarkup: blockHead,
  lineMarkup: line,
};
