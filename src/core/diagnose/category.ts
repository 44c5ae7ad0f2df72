/** The heuristic failure categories `diagnose` can name without an LLM. */
export const CATEGORIES = ['dependency', 'permission', 'timeout', 'oom', 'config', 'test-failure', 'network'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A regex family member: strong patterns (3) are specific to a cause, weak ones (1) only hint at it. */
interface Rule {
  re: RegExp;
  weight: number;
}

const strong = (re: RegExp): Rule => ({ re, weight: 3 });
const weak = (re: RegExp): Rule => ({ re, weight: 1 });

/**
 * Keyword/regex families. Order matters only to break ties (earlier wins): the more specific causes come
 * first, since e.g. an OOM kill or a missing module often also prints "failed" or a timeout downstream.
 */
export const RULES: Record<Category, Rule[]> = {
  oom: [
    strong(/\b(?:out of memory|OutOfMemoryError|OOMKilled|oom[-_ ]?kill(?:er|ed)?|heap out of memory|Cannot allocate memory|ENOMEM|memory limit exceeded|GC overhead limit exceeded)\b/i),
    weak(/\b(?:exit code 137|signal 9|SIGKILL|Killed process|memory pressure|java heap space)\b/i),
  ],
  dependency: [
    strong(/\b(?:Cannot find module|Module not found|ModuleNotFoundError|No module named|ImportError|ERR_MODULE_NOT_FOUND|ClassNotFoundException|NoClassDefFoundError|could not resolve dependenc\w*|unable to resolve dependency|ERESOLVE|E404|package .{1,80} (?:is )?not found|no matching version|Could not find artifact)\b/i),
    weak(/\b(?:npm ERR!|pip(?:3)? install|peer dep\w*|lockfile|node_modules|requirements\.txt|go: downloading|version conflict)\b/i),
  ],
  permission: [
    strong(/\b(?:permission denied|EACCES|EPERM|access denied|AccessDenied\w*|operation not permitted|not authori[sz]ed to perform|is not authorized|UnauthorizedOperation)\b/i),
    weak(/\b(?:forbidden|unauthori[sz]ed|HTTP 40[13]|status(?: code)?[ =:]40[13]|insufficient privileges?|read-only file system)\b/i),
  ],
  timeout: [
    strong(/\b(?:timed out|time ?out (?:after|exceeded|waiting)|ETIMEDOUT|deadline exceeded|context deadline|SocketTimeoutException|TimeoutException|Task timed out|exceeded the timeout|i\/o timeout|exceeded the maximum execution time)\b/i),
    weak(/\b(?:timeouts?|HTTP 504|status(?: code)?[ =:]504|took too long|slow response|retrying in)\b/i),
  ],
  config: [
    strong(/\b(?:invalid (?:config\w*|value|argument|option|setting)|missing required (?:\w+ )?(?:env\w*|variable|config\w*|key|field|property|parameter)|environment variable \S+ (?:is )?not set|unknown (?:option|flag|configuration key)|malformed (?:config\w*|yaml|json)|YAMLException|yaml: line \d+|JSONDecodeError|could not parse config\w*)\b/i),
    weak(/\b(?:no such file or directory|ENOENT|is not set|undefined (?:variable|property)|syntax error|parse error|misconfigur\w*)\b/i),
  ],
  'test-failure': [
    strong(/(?:\b\d+ (?:failing|failed)\b|\bTests?:\s+\d+ failed|\btests? failed\b|\bAssertionError\b|\bassert(?:ion)? failed\b|\bexpected .{1,80} (?:to (?:be|equal)|but (?:got|was))|^\s*FAIL\s|\bFAILED\b.*(?:test|spec))/im),
    weak(/(?:\b(?:test|spec)s?\b.*\b(?:failure|failed)\b|^\s*[✗×✕]\s)/im),
  ],
  network: [
    strong(/\b(?:ECONNREFUSED|connection refused|ECONNRESET|connection reset|ENOTFOUND|getaddrinfo|EAI_AGAIN|could not resolve host|name (?:or service )?not known|temporary failure in name resolution|network is unreachable|EHOSTUNREACH|no route to host|SSL(?:Error| handshake)|certificate (?:has expired|verify failed)|x509:|dial tcp|no such host|server misbehaving)\b/i),
    weak(/\b(?:HTTP 50[23]|status(?: code)?[ =:]50[23]|bad gateway|service unavailable|upstream|DNS|socket hang up|broken pipe)\b/i),
  ],
};

export interface LineMatch {
  category: Category;
  weight: number;
}

/** The strongest category a single line speaks for, if any (ties: the earlier family in RULES). */
export function matchLine(text: string): LineMatch | undefined {
  let best: LineMatch | undefined;
  for (const category of Object.keys(RULES) as Category[]) {
    let weight = 0;
    for (const r of RULES[category]) if (r.re.test(text)) weight += r.weight;
    if (weight > 0 && (!best || weight > best.weight)) best = { category, weight };
  }
  return best;
}

export interface CategoryVerdict {
  /** "unknown" when no family matched any line. */
  category: Category | 'unknown';
  /** Summed weights per category (lines weighted by their reduce score), for the curious and for tests. */
  scores: Partial<Record<Category, number>>;
  /** Share of the total weight the winner holds, in [0, 1]. */
  confidence: number;
}

/**
 * Picks the heuristic category of a set of kept lines: each line votes for every family it matches with
 * the family's weight, scaled by 0.5 + its reduce score (anomalous lines count up to three times as much as
 * context). The category with the most weight wins; ties go to the earlier family in RULES.
 */
export function categorize(lines: ReadonlyArray<{ text: string; score?: number }>): CategoryVerdict {
  const scores: Partial<Record<Category, number>> = {};
  for (const l of lines) {
    const scale = 0.5 + (l.score ?? 0.5);
    for (const category of Object.keys(RULES) as Category[]) {
      let w = 0;
      for (const r of RULES[category]) if (r.re.test(l.text)) w += r.weight;
      if (w > 0) scores[category] = (scores[category] ?? 0) + w * scale;
    }
  }
  let category: Category | 'unknown' = 'unknown';
  let best = 0;
  let total = 0;
  for (const c of Object.keys(RULES) as Category[]) {
    const s = scores[c] ?? 0;
    total += s;
    if (s > best) {
      best = s;
      category = c;
    }
  }
  for (const c of Object.keys(scores) as Category[]) scores[c] = Math.round((scores[c] ?? 0) * 100) / 100;
  return { category, scores, confidence: total > 0 ? Math.round((best / total) * 100) / 100 : 0 };
}
