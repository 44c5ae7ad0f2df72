import { askRunbooks, type AskOptions } from '../runbooks/ask.js';
import { inRankOrder } from '../runbooks/collapse.js';

/** A runbook section that matches the diagnosis. */
export interface RunbookRef {
  /** `file:start-end › Heading › Sub`, with the display root the caller gives. */
  citation: string;
  file: string;
  lines: string;
  headingPath: string[];
  relevance: number;
  /** The section's text, for checking the model's commands against it (not part of the JSON output). */
  text?: string;
}

/**
 * Retrieves runbook sections for a query through the same path as `ask` (index kept up to date, relevance
 * floor): returns nothing when no section is relevant.
 */
export async function findRunbooks(opts: Omit<AskOptions, 'question' | 'answer'>, query: string, displayRoot: string): Promise<RunbookRef[]> {
  for await (const ev of askRunbooks({ ...opts, question: query })) {
    if (ev.type !== 'retrieved') continue;
    if (ev.result.noMatch) return [];
    // The top K before the per-file limit (that is for a reader's first screen): the model's diagnosis is checked
    // against these, and the best matching section must not be folded away.
    return inRankOrder(ev.result)
      .slice(0, opts.topK)
      .filter((h) => h.relevance >= opts.minScore)
      .map((h) => {
        const src = h.section.sources[0];
        const lines = `${src.startLine}-${src.endLine}`;
        const head = src.headingPath.length ? ` › ${src.headingPath.join(' › ')}` : '';
        return { citation: `${displayRoot ? `${displayRoot}/` : ''}${src.file}:${lines}${head}`, file: src.file, lines, headingPath: src.headingPath, relevance: Math.round(h.relevance * 100) / 100, text: h.section.text };
      });
  }
  return [];
}
