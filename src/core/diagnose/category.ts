import { bareLine } from './prefix.js';

/** The heuristic failure categories `diagnose` can name without an LLM. */
export const CATEGORIES = ['oom', 'disk', 'infrastructure', 'compile-error', 'dependency', 'permission', 'timeout', 'lint', 'test-failure', 'config', 'network'] as const;
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
    strong(/\b(?:out of memory|OutOfMemoryError|OOMKilled|oom[-_ ]?kill(?:er|ed)?|heap out of memory|Cannot allocate memory|ENOMEM|memory limit exceeded|GC overhead limit exceeded|exit (?:code|status) 137|signal 9|SIGKILL|Killed process)\b/i),
    // Shell job control: "entrypoint.sh: line 12: 4242 Killed  node server.js" is the kernel's OOM kill seen from bash.
    strong(/(?:^|:\s*|\s\d+\s+)Killed(?:\s{2,}|\s+\S|$)|\bKilled\s*$/),
    weak(/\b(?:memory pressure|java heap space|std::bad_alloc|MemoryError)\b/i),
  ],
  disk: [
    strong(/\b(?:No space left on device|ENOSPC|DiskErrorException|Could not find any valid local directory|No space available in any of the local directories|DiskFullException|disk quota exceeded|not enough (?:free )?(?:disk )?space|You are running out of disk space|insufficient disk space)\b/i),
  ],
  infrastructure: [
    strong(/\b(?:Segmentation fault|core dumped|exit (?:code|status) 139|SIGSEGV|runner has received a shutdown signal|lost communication with the server|The hosted runner .{0,60}lost|ERROR: Job failed: (?:system failure|failed to pull image)|pull access denied|ErrImagePull|ImagePullBackOff|manifest (?:for \S+ )?unknown|toomanyrequests|could not read from remote repository|fatal: (?:couldn't find remote ref|reference is not a tree)|Cannot connect to the Docker daemon|Error acquiring the state lock|state blob is already locked)\b/i),
    // A checkout that could not reach its remote, the Docker daemon relaying an error: infrastructure unless the line
    // names the cause (DNS, refused, denied).
    weak(/\b(?:(?:runner|agent) (?:is )?(?:offline|lost|disconnected)|fatal: unable to access|Error response from daemon)\b/i),
  ],
  'compile-error': [
    strong(/(?:\berror\[E\d{4}\]|\berror TS\d+\b|\berror CS\d+\b|:\d+:\d+: (?:fatal )?error:|\bCompilation failed\b|\bCOMPILATION ERROR\b|\bcannot find symbol\b|\bundefined reference to\b|\bcompileJava\b.*FAILED|\bcompileKotlin\b.*FAILED|^e: \S+\.kts?:|\bSyntaxError: |\b(?:error|Error): aborting due to|\bld returned 1 exit status|\bbuild failed\b.*\bcompil)/im),
    weak(/(?:\bcould not compile\b|\bundefined: \w|\bTypeError: .{0,40}is not assignable|\bcannot use \S+ as\b|\bmismatched types\b)/i),
  ],
  dependency: [
    strong(/\b(?:Cannot find module|Module not found|ModuleNotFoundError|No module named|ImportError|ERR_MODULE_NOT_FOUND|ClassNotFoundException|NoClassDefFoundError|could not resolve dependenc\w*|unable to resolve dependency|ERESOLVE|E404|package .{1,80} (?:is )?not found|no matching version|no matching package|Could not find artifact|Could not resolve (?:all )?(?:dependencies|files|artifacts|[\w.-]+:[\w.-]+)|failed to select a version|No matching distribution found|ResolutionImpossible|missing go\.sum entry|requires go >= |unable to find a version|Failed building wheel for|Could not build wheels for|Failed to collect dependencies|version solving failed|Invalid Version)\b/i),
    weak(/\b(?:npm ERR!|peer dep\w*|lockfile|version conflict)\b/i),
  ],
  permission: [
    strong(/\b(?:permission denied|EACCES|EPERM|access denied|requested access to the resource is denied|denied: denied|AccessDenied\w*|not authori[sz]ed to perform|is not authorized|UnauthorizedOperation|Resource not accessible by integration|SecurityException|PermissionError|AccessControlException)\b/i),
    weak(/\b(?:forbidden|unauthori[sz]ed|HTTP 40[13]|status(?: code)?[ =:]40[13]|insufficient privileges?|read-only file system|operation not permitted)\b/i),
  ],
  timeout: [
    strong(/\b(?:timed out|time ?out (?:after|exceeded|waiting)|ETIMEDOUT|deadline exceeded|context deadline|SocketTimeoutException|TimeoutException|ConnectTimeoutException|TimeoutError|Task timed out|exceeded the timeout|i\/o timeout|exceeded the maximum (?:execution )?time|exceeded its progress deadline|before Until timeout|execution took longer than|No output has been received in the last|maximum time limit)\b/i),
    weak(/\b(?:HTTP 504|status(?: code)?[ =:]504|took too long)\b/i),
  ],
  lint: [
    strong(/(?:\b\d+ problems? \(\d+ errors?|implied by `-D warnings`|\bdeny\(warnings\)|\brule violations? (?:were |was )?found\b|\bAnalysis failed with \d+ (?:weighted )?issues?\b|\bdetekt\b.*\b(?:issues?|failed)|\bwould reformat\b|\bCode style issues found\b|\bcheckstyle\b.*\b(?:violation|error)|\bclippy\b.*\berror|\bDiff in \S+ at line\b|\bgofmt\b|\bgolangci-lint\b.*\b(?:issues?|error)|\bFound \d+ errors?\b.*\b(?:ruff|flake8|mypy|lint)|\bflake8\b|\blint(?:ing)? (?:failed|errors?)\b|^\S+\.py:\d+:\d+: [EWFC]\d{3}\b|\bktlint\b|\bprettier\b.*\b(?:check|issues)|\bForgot to run Prettier\b|\bFound \d+ errors? in \d+ files?\b|\bCoverage checks have not been met\b|\bcoverage (?:is )?(?:below|under) (?:the )?(?:threshold|minimum)\b|\b(?:eslint|rubocop|pylint|shellcheck|hadolint|markdownlint|tflint)\b.*\b(?:error|offen[cs]e|failed))/im),
    weak(/\b(?:eslint|prettier|rustfmt|cargo fmt|black|isort|stylelint|rubocop|pylint|mypy|shellcheck)\b/i),
  ],
  'test-failure': [
    strong(/(?:\b\d+ (?:failing|failed)\b|\bTests?:\s+\d+ failed|\btests? failed\b|\bAssertionError\b|\bassert(?:ion)? failed\b|\bexpected .{1,80} (?:to (?:be|equal)|but (?:got|was))|^\s*FAIL\s|^\s*--- FAIL: |\btest result: FAILED\b|\bFAILED\b.*(?:test|spec|::)|^E\s{3}|^\s*● .+ › |Tests run: \d+, Failures: [1-9]|Tests run: \d+, Failures: \d+, Errors: [1-9]|There (?:was|were) \d+ failures?|\bFailing tests:)/im),
    weak(/(?:\b(?:test|spec)s?\b.*\b(?:failure|failed)\b|^\s*[✗×✕]\s)/im),
  ],
  config: [
    strong(/\b(?:invalid (?:config\w*|value|argument|option|setting|workflow file)|(?:could not|couldn.t|cannot|can't|unable to) find (?:any )?executable|can only install (?:packages )?with an existing (?:package-lock\.json|npm-shrinkwrap\.json|lockfile)|missing required (?:\w+ )?(?:env\w*|variable|config\w*|key|field|property|parameter|argument)|environment variable \S+ (?:is )?not set|unknown (?:option|flag|configuration key)|malformed (?:config\w*|yaml|json)|YAMLException|yaml: line \d+|JSONDecodeError|could not parse config\w*|Unsupported argument|Reference to undeclared|Unrecognized named-value|Invalid (?:reference|value for|function argument)|is not a valid|Unable to find image|does not exist locally|not valid)\b/i),
    weak(/\b(?:No such file or directory|ENOENT|FileNotFoundException|NoSuchFileException|is not set|undefined (?:variable|property)|parse error|misconfigur\w*|not found)\b/i),
  ],
  network: [
    strong(/\b(?:ECONNREFUSED|connection refused|ECONNRESET|connection reset|ENOTFOUND|getaddrinfo|EAI_AGAIN|could not resolve host|name (?:or service )?not known|temporary failure in name resolution|network is unreachable|EHOSTUNREACH|no route to host|SSL(?:Error| handshake| certificate problem)|certificate (?:has expired|verify failed)|unable to get local issuer certificate|x509:|dial tcp|no such host|server misbehaving|spurious network error|Failed to connect to|ConnectException|UnknownHostException|NoRouteToHostException|Connection aborted|RemoteDisconnected|TLS handshake|Retrying connect to server|ERROR IN CONTACTING RM|SocketException|ConnectionError|NewConnectionError)\b/i),
    weak(/\b(?:HTTP 50[23]|got 50[23]|status(?: code)?[ =:]50[23]|bad gateway|service unavailable|socket hang up|broken pipe)\b/i),
  ],
};

export interface LineMatch {
  category: Category;
  weight: number;
}

/** The strongest category a single line speaks for, if any (ties: the earlier family in RULES). */
export function matchLine(raw: string): LineMatch | undefined {
  const text = bareLine(raw);
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
 * context), and by the line's structural factor (see structure.ts). The category with the most weight wins; ties go to the earlier family in RULES.
 */
export function categorize(lines: ReadonlyArray<{ text: string; score?: number }>, factors?: readonly number[]): CategoryVerdict {
  const scores: Partial<Record<Category, number>> = {};
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const scale = (0.5 + (l.score ?? 0.5)) * (factors?.[i] ?? 1);
    const text = bareLine(l.text);
    for (const category of Object.keys(RULES) as Category[]) {
      let w = 0;
      for (const r of RULES[category]) if (r.re.test(text)) w += r.weight;
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
