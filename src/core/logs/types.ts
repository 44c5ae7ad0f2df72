/** A log to reduce: a file on disk (stdin and CloudWatch Logs are spooled to one first). */
export interface LogInput {
  /** Shown in the output: the path as given, "stdin", or the log group name. */
  name: string;
  path: string;
}

/** "This line stands for `count` lines of the same template" (repeat collapsing). */
export interface Repeat {
  count: number;
  first: number;
  last: number;
}

/** One kept line (1-based line number in its source). */
export interface KeptLine {
  n: number;
  text: string;
  /** Bytes cut from a line longer than the 4 KB cap. */
  truncated?: number;
  repeat?: Repeat;
}

/** A run of consecutive kept lines of one source. */
export interface KeptBlock {
  /** The source's name (path as given, "stdin", log group). */
  source: string;
  /** What block markup prints for the source: its name with one source, else a short id ("1", "2"…) given once in the header. */
  label: string;
  start: number;
  end: number;
  /** Best line score in the block, in [0, 1]. */
  score: number;
  /** Short labels from a fixed vocabulary, e.g. "fatal, rare" (see REASONS). */
  reason: string;
  lines: KeptLine[];
}

export interface SourceSummary {
  name: string;
  /** Short id used in block markup (see KeptBlock.label). */
  label: string;
  lines: number;
  tokens: number;
  /** Tokens this source was allotted by the fair share. */
  budget: number;
  kept: number;
  /** Dropped lines whose template is shown by a kept line (they are collapsed into ×N markers). */
  repeats: number;
  templates: number;
  truncatedLines: number;
}

/** The reduced log, in original order, ready for a presenter. */
export interface ReducedLog {
  budget: number;
  /** Tokens of the rendered document by `tokenizer` (filled in by reduce after rendering). */
  used: number;
  /** What counted `used`: o200k, cl100k or estimate. */
  tokenizer?: string;
  inputLines: number;
  inputTokens: number;
  keptLines: number;
  sources: SourceSummary[];
  blocks: KeptBlock[];
}

/**
 * How a presenter renders the reduced log. The core uses it to charge markup against the budget: the
 * document must equal overhead + block headers + lines (pieces concatenated, separators included in them),
 * so summing per-piece token estimates bounds the whole.
 */
export interface ReduceFormat {
  /** The whole document. */
  render(doc: ReducedLog): string;
  /** Text of a block's opening (and closing) markup. */
  blockMarkup(block: Omit<KeptBlock, 'lines'>): string;
  /** Text one line adds, including its separator and repeat marker. */
  lineMarkup(line: KeptLine): string;
}

/** Reasons use a fixed vocabulary so block markup has a known worst-case size. */
export const REASONS = ['fatal', 'error', 'warn', 'stack', 'keyword', 'rare', 'first', 'burst', 'outlier', 'session', 'new', 'context', 'all'] as const;
export type Reason = (typeof REASONS)[number];
