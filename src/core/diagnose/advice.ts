import { lastFailureWord } from '../logs/reader.js';
import { severityOf } from '../logs/severity.js';
import { RULES, type Category } from './category.js';
import { bareLine } from './prefix.js';

/** Echoed commands (shell traces, Jenkins' git echo) name what ran, not why it failed. */
const ECHOED = /^\s*(?:\+ |\$ |> git )|# timeout=\d+/;
import type { Evidence } from './evidence.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

interface Advice {
  words: string;
  cause: string;
  fix: string;
  severity: Severity;
  steps: string[];
}

/** Offline advice per category: what it usually means and the first things to check. */
export const ADVICE: Record<Category | 'unknown', Advice> = {
  dependency: {
    words: 'dependency module package not found install resolve version',
    cause: 'A dependency is missing or could not be resolved',
    fix: 'Add or pin the missing package in the manifest (package.json, requirements.txt, pom.xml, go.mod), update the lockfile, and rebuild from a clean install.',
    severity: 'medium',
    steps: ['Check that the package is declared (not only installed locally) and the lockfile is committed', 'Reinstall from scratch (npm ci, pip install -r, mvn -U) to rule out a stale cache', 'Compare with the last green build: which dependency or registry changed?'],
  },
  permission: {
    words: 'permission denied access forbidden iam role policy',
    cause: 'An operation was refused for lack of permission',
    fix: 'Grant the missing permission to the identity that runs this step (file mode/owner, IAM policy, service account), or run it as the right user.',
    severity: 'medium',
    steps: ['Identify the identity (user, role, service account) and the resource from the evidence', 'Compare the required action with the attached policy or file permissions', 'Re-run after granting the narrowest permission that fixes it'],
  },
  timeout: {
    words: 'timeout timed out latency slow deadline',
    cause: 'An operation did not finish in time',
    fix: 'Find the slow dependency (database, external API, test) behind the timeout; fix its latency or raise the limit only if the work is legitimately longer.',
    severity: 'high',
    steps: ['Check the latency and health of the called service at the time of the failure', 'Look for retries piling up or a saturated pool', 'Only then consider raising the timeout'],
  },
  oom: {
    words: 'out of memory oom killed memory limit heap',
    cause: 'The process ran out of memory and was killed or aborted',
    fix: 'Raise the memory limit or heap size (container limit, -Xmx, --max-old-space-size) to fit the real working set, and look for a leak or an unbounded batch.',
    severity: 'high',
    steps: ['Compare memory usage before the kill with the limit', 'Check for a leak or a recent change that loads more data at once', 'Raise the limit with headroom, then watch the trend'],
  },
  config: {
    words: 'configuration invalid missing environment variable setting file',
    cause: 'The configuration is invalid or incomplete',
    fix: 'Correct the setting named in the evidence (environment variable, config file, flag) and validate the configuration before deploying.',
    severity: 'medium',
    steps: ['Find the setting named in the evidence and where it should come from', 'Diff the configuration with the last working deploy', 'Add a startup validation so the next one fails fast'],
  },
  'test-failure': {
    words: 'test failed assertion expected spec',
    cause: 'Tests failed',
    fix: 'Read the first failing assertion in the evidence, reproduce it locally, and fix the code or the test expectation that changed.',
    severity: 'medium',
    steps: ['Run the failing test alone locally', 'Check whether it is flaky (passes on retry) or deterministic', 'Look at the commits since the last green run'],
  },
  network: {
    words: 'network connection refused dns resolve host unreachable tls',
    cause: 'A network connection failed',
    fix: 'Check that the target is up and reachable from here: DNS name, port, security groups/firewall, TLS certificates, and the service health.',
    severity: 'high',
    steps: ['Resolve and connect to the target from the same host (dig, nc, curl -v)', 'Check the target service health and recent deploys', 'Check security groups, network policies and certificates'],
  },
  'compile-error': {
    words: 'compile error build type syntax symbol',
    cause: 'The code does not compile',
    fix: 'Fix the first compiler error in the evidence (the later ones often follow from it), then rebuild.',
    severity: 'medium',
    steps: ['Open the file and line named by the first compiler error', 'Check the commits since the last green build for the changed signature or type', 'Rebuild locally with the same toolchain version as CI'],
  },
  lint: {
    words: 'lint format style check static analysis',
    cause: 'A lint, format or static-analysis gate failed',
    fix: 'Run the same linter or formatter locally (with --fix where it exists) and commit the result.',
    severity: 'low',
    steps: ['Run the linter named in the evidence locally with the CI configuration', 'Apply the formatter and commit', 'Check whether the linter version changed since the last green run'],
  },
  disk: {
    words: 'disk space full no space left device volume',
    cause: 'The disk or volume ran out of space',
    fix: 'Free or enlarge the volume the step writes to (build caches, images, logs), then re-run.',
    severity: 'high',
    steps: ['Check df -h and which directory grew (caches, docker images, artifacts)', 'Clean caches or prune images before the heavy step', 'Give the runner or volume more space if the work needs it'],
  },
  infrastructure: {
    words: 'runner agent lost crash segmentation fault image pull checkout',
    cause: 'The CI infrastructure or the process itself failed (runner lost, crash, image pull, checkout)',
    fix: 'Re-run the job; if it repeats, check the runner/agent health, the image reference and registry access, or the crashing binary.',
    severity: 'high',
    steps: ['Re-run once to tell a transient failure from a deterministic one', 'Check the runner, registry and git host status at that time', 'For a crash (segfault, core dump), get the core or run under a debugger'],
  },
  unknown: {
    words: 'error failure',
    cause: 'The log shows errors that match no known category',
    fix: 'Start from the first error in the evidence and the matching runbooks.',
    severity: 'medium',
    steps: ['Read the evidence in order: the first error is usually the cause', 'Check recent changes (deploys, config, dependencies)'],
  },
};

/** Quoted or package-like names in the evidence ('left-pad', "db.example.com"), as candidate components. */
export function componentsOf(evidence: readonly Evidence[]): string[] {
  const out = new Set<string>();
  for (const e of evidence) {
    for (const m of e.text.matchAll(/['"`‘“]([\w@./:-]{2,80})['"`’”]/g)) {
      if (out.size < 5) out.add(m[1]);
    }
  }
  return [...out];
}

/** A leading ISO or bracketed timestamp says nothing about the cause. */
const LEADING_TIME = /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s*/;
/** Lines that state an error ("Error [X]: …", "error: …", "FooException: …") read best as a cause. */
const STATES_ERROR = /\b\w*(?:error|exception|fatal|failed|failure)\b[^:]{0,40}:\s*\S/i;
/** Stack frames, code echoes and caret markers repeat the cause without stating it. */
const CODE_ECHO = /^\s*(?:at\s|throw\b|\^|\.\.\.|File ")/;

/**
 * The evidence line that best states the cause, timestamp dropped and shortened, to make a heuristic root
 * cause concrete: the most category rule weight, then a line that states an error or names trouble over a stack
 * frame or a code echo, then the earliest.
 */
export function causeLine(evidence: readonly Evidence[], category: Category | 'unknown'): string | undefined {
  let best: { text: string; score: number } | undefined;
  const rules = category === 'unknown' ? [] : RULES[category];
  for (const e of evidence) {
    for (const raw of e.text.split('\n')) {
      const text = bareLine(raw).replace(LEADING_TIME, '').trim();
      if (ECHOED.test(text)) continue;
      if (!text) continue;
      let score = rules.reduce((w, r) => w + (r.re.test(text) ? r.weight : 0), 0);
      if (STATES_ERROR.test(text)) score += 1;
      // Trouble words ("no space left", "refused") make a line say more about the cause than its neighbours.
      score += 0.5 * severityOf(text, text.split(/\s+/)).words.length;
      if (CODE_ECHO.test(text)) score -= 2;
      if (!best || score > best.score) best = { text, score };
    }
  }
  if (!best) return undefined;
  return shortQuote(best.text);
}

/** Characters of a cause line shown; a longer one is cut around its last failure word when that lies further on. */
const QUOTE_CHARS = 197;

/** A cause line cut for display (the whole line was scanned before). */
export function shortQuote(text: string): string {
  const t = text.replace(LEADING_TIME, '').trim();
  if (t.length <= QUOTE_CHARS + 3) return t;
  const word = lastFailureWord(t);
  if (!word || word.end <= QUOTE_CHARS) return `${t.slice(0, QUOTE_CHARS)}...`;
  const from = Math.min(Math.max(0, word.index - 120), t.length - QUOTE_CHARS);
  return `...${t.slice(from, from + QUOTE_CHARS)}${from + QUOTE_CHARS < t.length ? '...' : ''}`;
}
