/** How alarming a line looks on its own, in [0, 1], with a short reason for the output. */
export interface Severity {
  score: number;
  /** Normalised level when one was found: fatal, error, warn, info, debug. */
  level?: string;
  /** Trouble words found (lower case, at most four). */
  words: string[];
  /** Looks like part of a stack trace or an exception. */
  stack: boolean;
}

const LEVELS: Record<string, [string, number]> = {
  fatal: ['fatal', 1], critical: ['fatal', 1], crit: ['fatal', 1], emerg: ['fatal', 1], emergency: ['fatal', 1],
  alert: ['fatal', 1], panic: ['fatal', 1], severe: ['error', 0.8], error: ['error', 0.8], err: ['error', 0.8],
  failure: ['error', 0.8], warn: ['warn', 0.45], warning: ['warn', 0.45], notice: ['info', 0.1],
  info: ['info', 0], debug: ['debug', 0], trace: ['debug', 0], verbose: ['debug', 0],
};

// Words that signal trouble wherever they appear. Stems so "failed", "failing", "timeouts" match too.
const TROUBLE =
  /\b(fail\w*|refused|time[ds]? ?out\w*|timed out|denied|killed|kill(?:ed|ing)?|panic\w*|fatal|exception\w*|errors?|abort\w*|crash\w*|corrupt\w*|segfault|segmentation fault|out of memory|oom\w*|unreachable|unavailable|cannot|can ?not|could not|unable|not found|no such|reset by peer|broken pipe|deadlock\w*|no space left|disk full|overflow|rejected|invalid|illegal|violation|forbidden|unauthori[sz]ed|lost|missing|refus\w*|bad|stopping|terminat\w*|interrupt\w*)\b/gi;
const STACK = /^\s+at\s+[\w$.<>/]+[.(]|^\s*Traceback \(most recent call last\)|^\s+File "[^"]+", line|^goroutine \d+ \[|\b[A-Z]\w*(Exception|Error)\b(:|$)|^\s*Caused by:/;
// A trailing "!" too: npm writes "npm ERR!".
const LEVEL_TOKEN = /^[[(<]?(?:level=|severity=|lvl=)?"?([A-Za-z]+)"?[\])>:,!]*$/;

/** Finds a log level among the first tokens: upper case (ERROR), bracketed ([error]) or key=value (level=error). */
export function detectLevel(tokens: readonly string[]): [string, number] | undefined {
  const n = Math.min(tokens.length, 10);
  for (let i = 0; i < n; i++) {
    const tok = tokens[i];
    if (tok.length > 20) continue;
    const m = LEVEL_TOKEN.exec(tok);
    if (!m) continue;
    const word = m[1];
    const hit = LEVELS[word.toLowerCase()];
    if (!hit) continue;
    const marked = word === word.toUpperCase() || tok !== word;
    if (marked && word.length > 1) return hit;
  }
  return undefined;
}

/**
 * Scores a (masked) line: its level, trouble words and stack-trace shapes. Masked text works as well as
 * raw text because none of these signals contain digits.
 */
export function severityOf(text: string, tokens: readonly string[]): Severity {
  const level = detectLevel(tokens);
  let score = level ? level[1] : 0;
  TROUBLE.lastIndex = 0;
  const words = new Set<string>();
  for (let m = TROUBLE.exec(text); m && words.size < 4; m = TROUBLE.exec(text)) words.add(m[1].toLowerCase());
  if (words.size > 0) {
    // Trouble words raise a line towards, but not past, an explicit ERROR; a level of INFO damps them.
    const bump = words.size >= 2 ? 0.55 : 0.4;
    const damped = level && level[1] === 0 ? bump * 0.6 : bump;
    if (damped > score) score = damped;
    else score = Math.min(1, score + 0.1);
  }
  const stack = STACK.test(text);
  if (stack) score = Math.max(score, 0.7);
  return { score, level: level?.[0], words: [...words], stack };
}
