import type { SourceStats } from './scan.js';

/**
 * Marks which templates of a failed run also occur in a passing run (the baseline): those lines are
 * background, and what is new is the signal (the method of logreduce / logjuicer, on our templates). A
 * template is known when the baseline's miner matches its text: exactly, or above its similarity threshold
 * in the same bucket (same length, level and first word).
 */
export function markKnown(stats: SourceStats, baseline: SourceStats): Uint8Array {
  const known = new Uint8Array(stats.miner.templates.length + 1);
  for (const t of stats.miner.templates) {
    if (baseline.miner.lookup(t.tokens.join(' ')) >= 0) known[t.id] = 1;
  }
  return known;
}
