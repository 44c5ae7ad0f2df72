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
    return { name, count: (t) => m.countTokens(t, AS_TEXT) };
  }
  if (name === 'cl100k') {
    const m = await import('gpt-tokenizer/encoding/cl100k_base');
    return { name, count: (t) => m.countTokens(t, AS_TEXT) };
  }
  throw new OpsctlError('usage', `--tokenizer must be one of ${TOKENIZERS.join(', ')} (got ${JSON.stringify(name)})`, 'o200k: GPT-4o and later; cl100k: GPT-4/3.5; estimate: fast, conservative');
}
