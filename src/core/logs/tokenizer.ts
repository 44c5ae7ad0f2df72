import { OpsctlError } from '../errors.js';
import { estimateTokens } from './tokens.js';

/** Names accepted by `--tokenizer`. */
export const TOKENIZERS = ['o200k', 'cl100k', 'estimate'] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

/** Counts the tokens of the kept output the way a model will. */
export interface TokenCounter {
  name: TokenizerName;
  count(text: string): number;
}

/** The fast conservative estimate (tokens.ts): the default, and what scanning always uses. */
export const ESTIMATE: TokenCounter = { name: 'estimate', count: estimateTokens };

// Log text may contain "<|endoftext|>": it is text here, never a special token (and must not throw).
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Loads a real BPE tokenizer from gpt-tokenizer (its ranks ship in the package: no download). Loaded lazily,
 * only when asked for, since the ranks take a few hundred milliseconds to load.
 */
export async function loadTokenCounter(name: string | undefined): Promise<TokenCounter> {
  if (name === undefined || name === 'estimate') return ESTIMATE;
  if (name === 'o200k') {
    const m = await import('gpt-tokenizer/encoding/o200k_base');
    return { name, count: (t) => chunked(t, (c) => m.countTokens(c, AS_TEXT)) };
  }
  if (name === 'cl100k') {
    const m = await import('gpt-tokenizer/encoding/cl100k_base');
    return { name, count: (t) => chunked(t, (c) => m.countTokens(c, AS_TEXT)) };
  }
  throw new OpsctlError('usage', `--tokenizer must be one of ${TOKENIZERS.join(', ')} (got ${JSON.stringify(name)})`, 'o200k: GPT-4o and later; cl100k: GPT-4/3.5; estimate: fast, conservative');
}

/** Texts above this are counted in pieces, so a large output (5% of a 2 GB log) is not tokenized in one go. */
export const CHUNK = 1 << 20;

/**
 * Sums the counts of pieces cut after a newline that is followed by a non-space character. The o200k and
 * cl100k pre-tokenizers never join across such a point (a newline run ends its piece, and no piece starts
 * with a newline followed by a letter, digit or symbol), so the sum equals the count of the whole text.
 */
export function chunked(text: string, count: (t: string) => number, size = CHUNK): number {
  if (text.length <= size) return count(text);
  let total = 0;
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      let cut = text.indexOf('\n', end);
      while (cut >= 0 && cut + 1 < text.length && /\s/.test(text[cut + 1])) cut = text.indexOf('\n', cut + 1);
      end = cut < 0 ? text.length : cut + 1;
    }
    total += count(text.slice(start, end));
    start = end;
  }
  return total;
}
