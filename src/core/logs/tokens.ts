/**
 * Conservative token estimate used for every budget decision (input size, `--ratio`, output size).
 *
 * Rule: max(ceil(chars / 4), run estimate), where the run estimate charges each run of letters
 * ceil(len / 4), each run of digits ceil(len / 3) (BPE vocabularies split numbers into groups of up to
 * three digits) and every other non-space character 1 (punctuation rarely merges in logs). Whitespace is
 * free in the run estimate but still counted by chars / 4. The result is never below the chars/4 rule the
 * loghub baselines use, and on digit- and punctuation-heavy log lines it is usually 1.3-2x higher, which is
 * where real tokenizers land too.
 *
 * The estimate is subadditive: estimate(a + b) <= estimate(a) + estimate(b), so summing per-piece estimates
 * never under-counts a concatenation.
 */
export function estimateTokens(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let runs = 0;
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      if (digits) { runs += Math.ceil(digits / 3); digits = 0; }
      letters++;
    } else if (c >= 48 && c <= 57) {
      if (letters) { runs += Math.ceil(letters / 4); letters = 0; }
      digits++;
    } else {
      if (letters) { runs += Math.ceil(letters / 4); letters = 0; }
      if (digits) { runs += Math.ceil(digits / 3); digits = 0; }
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) runs++;
    }
  }
  if (letters) runs += Math.ceil(letters / 4);
  if (digits) runs += Math.ceil(digits / 3);
  return Math.max(runs, Math.ceil(n / 4));
}
