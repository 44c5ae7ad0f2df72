import type { KeptBlock, KeptLine, ReducedLog, ReduceFormat } from '../core/logs/types.js';

/** Schema id of `opsctl logs reduce --json`; bump the version on any incompatible change. */
export const LOGS_REDUCE_SCHEMA = 'opsctl.logs.reduce/v1';

const j = JSON.stringify;

function open(b: Omit<KeptBlock, 'lines'>): string {
  return `{"source":${j(b.source)},"start":${b.start},"end":${b.end},"score":${b.score},"reason":${j(b.reason)},"lines":[`;
}

function repeatOf(l: KeptLine): string {
  return l.repeat ? `{"line":${l.n},"count":${l.repeat.count},"first":${l.repeat.first},"last":${l.repeat.last}}` : '';
}

function cutOf(l: KeptLine): string {
  return l.truncated ? `{"line":${l.n},"bytes":${l.truncated}}` : '';
}

function block(b: KeptBlock): string {
  const reps = b.lines.map(repeatOf).filter(Boolean).join(',');
  const cuts = b.lines.map(cutOf).filter(Boolean).join(',');
  return `${open(b)}${b.lines.map((l) => j(l.text)).join(',')}],"repeats":[${reps}],"truncated":[${cuts}]}`;
}

/**
 * `opsctl.logs.reduce/v1`: {schema, budget, used, estimator, input:{lines,tokens}, kept, sources:[{name,
 * lines, tokens, budget, kept, repeats, templates, truncatedLines}], blocks:[{source, start, end, score,
 * reason, lines:[text…], repeats:[{line,count,first,last}], truncated:[{line,bytes}]}]}. Block lines are
 * consecutive: lines[i] is line start+i. Rendered compactly; its token estimate never exceeds budget.
 */
export const logsJsonFormat: ReduceFormat = {
  render(doc: ReducedLog): string {
    const head = `{"schema":${j(LOGS_REDUCE_SCHEMA)},"budget":${doc.budget},"used":${doc.used},"estimator":${j(doc.tokenizer === undefined || doc.tokenizer === 'estimate' ? 'max(ceil(chars/4),runs)' : doc.tokenizer)},"input":{"lines":${doc.inputLines},"tokens":${doc.inputTokens}},"kept":${doc.keptLines},"sources":${j(doc.sources)},"blocks":[`;
    return `${head}${doc.blocks.map(block).join(',')}]}\n`;
  },
  blockMarkup: (b) => `${open(b)}],"repeats":[],"truncated":[]},`,
  lineMarkup: (l) => `${j(l.text)},${repeatOf(l)}${l.repeat ? ',' : ''}${cutOf(l)}${l.truncated ? ',' : ''}`,
};
