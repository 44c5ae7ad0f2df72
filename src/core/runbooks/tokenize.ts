/**
 * Tokens for lexical search and the LSA embedder: lowercase words, camelCase and snake_case split
 * (alert names like "KubePodCrashLooping" become kube pod crash looping), stopwords dropped, light stemming.
 */
const STOP = new Set(
  ('a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its ' +
    'me my no not of on or our should so some such than that the their them then there these they this those to too ' +
    'up was we were what when where which while who why will with would you your yours about after again all also any ' +
    'because before between both during each few further here just more most must now only other out over own same ' +
    'very via per may might shall').split(' '),
);

/** Words that start with "un" without negating anything. */
const NOT_NEGATIONS = new Set(['understand', 'understanding', 'underlying', 'underneath', 'undergo', 'unique', 'uniquely', 'universal', 'unicode', 'uniform', 'union', 'unison', 'unless', 'united', 'unity']);

/** A conservative suffix stripper: merges plural/verb forms ("failing", "failed", "fails" → "fail"). */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let r = w;
  if (/ie[sd]$/.test(r) && r.length > 4) r = `${r.slice(0, -3)}y`;
  else if (r.endsWith('sses')) r = r.slice(0, -2);
  else if (r.endsWith('ing') && r.length > 5) r = undouble(r.slice(0, -3));
  else if (r.endsWith('ed') && r.length > 4) r = undouble(r.slice(0, -2));
  else if (/(?:ch|sh|x|z)es$/.test(r)) r = r.slice(0, -2);
  else if (r.endsWith('s') && !/(?:ss|us|is)$/.test(r)) r = r.slice(0, -1);
  // A final silent e goes too, so "cache", "cached" and "caching" (or "queue", "queued") meet in one stem.
  if (r.length > 4 && r.endsWith('e') && !r.endsWith('ee')) r = r.slice(0, -1);
  return r;
}

function undouble(w: string): string {
  return /([^aeiouls])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Splits identifiers: "etcdHighNumberOfFailedGRPCRequests" → etcd High Number Of Failed GRPC Requests. */
function splitCamel(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/** Two or more digit runs and two or more letter runs: a generated id, not a word ("ec2", "k8s", "log4j" stay). */
function isIdentifier(w: string): boolean {
  return (w.match(/\d+/g)?.length ?? 0) >= 2 && (w.match(/[a-z]+/g)?.length ?? 0) >= 2;
}

/** The tokens of one lowercased word (none, one, or two for "unready"). */
function wordTokens(w: string): readonly string[] {
  if (w.length < 2 || w.length > 40 || STOP.has(w)) return NONE;
  // Pure numbers carry little meaning across documents (ports and HTTP codes excepted).
  if (/^\d+$/.test(w) && !/^[1-5]\d\d$/.test(w) && w.length !== 4) return NONE;
  // Generated identifiers (pod hashes, device names like x2k4q, 7d9f8b6c5, nvme0n1p1) never help to find a runbook.
  if (isIdentifier(w)) return NONE;
  // "502s", "500s": the plural of a status code is the code.
  if (/^[1-5]\d\ds$/.test(w)) return [w.slice(0, 3)];
  // "unready", "unhealthy", "unavailable" also match runbooks that say "not ready" / "NotReady" ("not" is a stopword).
  const rest = /^un([a-z]{4,})$/.exec(w)?.[1];
  return rest && !NOT_NEGATIONS.has(w) ? [stem(w), stem(rest)] : [stem(w)];
}

const NONE: readonly string[] = [];
/** Words repeat: a full index tokenises ~2 M words, of ~40 k distinct ones. Bounded, so a long session cannot grow it. */
const memo = new Map<string, readonly string[]>();
const MEMO_MAX = 200_000;

/**
 * Percentages are kept as one token ("75%" → "75pct"; "87.3 %" → "87pct"): sibling alerts differ by their threshold
 * (near full at 75%, critically full at 80%) and a runbook that states it matches the question that quotes it. Bare
 * numbers stay dropped (see below).
 */
function markPercentages(text: string): string {
  return text.includes('%') ? text.replace(/(\d+)(?:\.\d+)?\s?%/g, ' $1pct ') : text;
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  const words = splitCamel(markPercentages(text)).toLowerCase().split(/[^a-z0-9]+/);
  for (const w of words) {
    let toks = memo.get(w);
    if (!toks) {
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(w, (toks = wordTokens(w)));
    }
    for (const t of toks) out.push(t);
  }
  return out;
}

/**
 * Each token of `text` mapped to the word it came from, as written ("since" for "sinc", "OOMKilled" for "oom" and
 * "kill"), so "why this matched" shows the user's own words rather than stems that read as typos.
 */
export function tokenSources(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\s+/)) {
    const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, '');
    if (!word) continue;
    for (const t of tokenize(word)) if (!out.has(t)) out.set(t, word);
  }
  return out;
}

/** Matched tokens as the words the user wrote, each once, in the order they matched. */
export function asWritten(tokens: readonly string[], sources: ReadonlyMap<string, string>): string[] {
  return [...new Set(tokens.map((t) => sources.get(t) ?? t))];
}
