import { matchLine, type LineMatch } from './category.js';
import { bareLine } from './prefix.js';

export { bareLine };

/**
 * CI log structure: where the failing step is, so that words inside it count and words elsewhere (set-up output,
 * echoed commands, after-failure dumps) count for little.
 */

/** A runner/tool line saying the step (or job) ended non-zero: the failing step ends here. */
const STEP_FAILED = /(?:##\[error\]Process completed with exit code [1-9]|\bError: Process completed with exit code [1-9]|\bERROR: Job failed\b|\bThe command ".*" (?:exited|failed) with [1-9]|\bscript returned exit code [1-9]|\bExited with code (?:exit status )?[1-9]|\bBuild step '.*' marked build as failure|\bfailed to solve: |\bdid not complete successfully: exit code|\bCommand exited with non-zero status|\bnpm ERR! code ELIFECYCLE)/;
/** A build tool's failure summary: the cause is usually just after it ("* What went wrong:", "[ERROR] Failed to execute goal"). */
const SUMMARY = /(?:FAILURE: Build failed with an exception|\bBUILD FAILURE\b|\bmake(?:\[\d+\])?: \*\*\* .*Error \d+|\bBUILD FAILED\b|\berror: could not compile\b|^FAIL\s+\S+\s+[\d.]+s$|\btest result: FAILED\b|=+ .*\b\d+ failed\b.* =+)/;
/** The job or build said it succeeded: with no failure marker, nothing failed (words like "Timeout waiting" are noise). */
const SUCCEEDED = /(?:Done\. Your build exited with 0\b|\bBUILD SUCCESS(?:FUL)?\b|\bJob succeeded\b|\btest result: ok\b|^ok\s+\S+\s+[\d.]+s$|=+ \d+ passed\b(?!.*failed).* =+$|\b\d+ passing\b)/;
/** Where a step (section, stage, task) begins. */
const STEP_START = /(?:##\[group\]|^\s*\$ \S|section_start:|\[Pipeline\] (?:sh|bat|stage)|^> Task :|^#\d+ \[[^\]]+\] |^Step \d+\/\d+ : |^\s*Running (?:command|script)\b)/;
/**
 * Echoed commands and their arguments say what was run, not what went wrong: shell traces, GitHub's cyan
 * command echo, Jenkins' "> git … # timeout=10", "[command]…" lines.
 */
// eslint-disable-next-line no-control-regex -- the ESC of a raw colour code is exactly what is matched
const ECHO = /(?:^\s*(?:\+{1,3} |\$ |\[command\]|##\[group\]Run\b|shell: |> git )|\x1b\[36;1m|\^\[\[36;1m|# timeout=\d+|^#\d+ \[[^\]]+\] RUN )/;

export interface Structure {
  /** Multiplier per line (same order as the input): 3 in the failing step, 1 with no step found, less elsewhere. */
  factor: number[];
  /** Lines that are echoed commands. */
  echo: boolean[];
  /** Index of the first line inside the failing step that matches a category rule, if any. */
  firstError?: number;
  firstMatch?: LineMatch;
  /** Index of the first line inside the failing step that states an error in any words (fallback for the cause). */
  firstStated?: number;
  /** Indexes of the runner/tool lines saying a step failed ("exit code 1", "BUILD FAILURE"): a failure even without words. */
  markers: number[];
  /** The log says it succeeded and no line says a step failed. */
  succeeded: boolean;
  /** [start, end] indexes of the failing step, when one was found. */
  step?: [number, number];
}

/** Echoed commands weigh this much wherever they are. */
export const ECHO_FACTOR = 0.1;

/**
 * Finds the failing step of a CI log: from the last step start before the first "exited non-zero" line to that
 * line; or, with only a tool summary (Gradle, Maven, make), from the step start before it to the next step start.
 * Lines in the step weigh 3, lines before it 0.4, lines after it 0.25 (after-failure dumps); echoed commands 0.1.
 */
export function findStructure(lines: readonly string[]): Structure {
  const bare = lines.map(bareLine);
  const echo = bare.map((t) => ECHO.test(t));
  const factor: number[] = bare.map((_, i) => (echo[i] ? ECHO_FACTOR : 1));
  const markers = bare.flatMap((t, i) => (STEP_FAILED.test(t) || SUMMARY.test(t) ? [i] : []));
  // Success counts only when said after the last strong error line (a kill after "BUILD SUCCESSFUL" is a failure).
  let lastOk = -1;
  bare.forEach((t, i) => { if (SUCCEEDED.test(t)) lastOk = i; });
  const succeeded = markers.length === 0 && lastOk >= 0 && !bare.some((t, i) => i > lastOk && !echo[i] && (matchLine(t)?.weight ?? 0) >= 3);
  let end = bare.findIndex((t) => STEP_FAILED.test(t));
  let start = -1;
  if (end < 0) {
    const summary = bare.findIndex((t) => SUMMARY.test(t));
    if (summary < 0) return { factor, echo, markers, succeeded, ...firstIn(bare, echo, 0, bare.length - 1) };
    end = summary + 1;
    while (end < bare.length && !STEP_START.test(bare[end])) end++;
    end--;
    start = summary;
  } else start = end;
  while (start > 0 && !STEP_START.test(bare[start])) start--;
  for (let i = 0; i < bare.length; i++) factor[i] *= i < start ? 0.4 : i > end ? 0.25 : 3;
  let first = firstIn(bare, echo, start, end);
  // Nothing said in the step itself (e.g. Jenkins' post actions ran last): the nearest error before it speaks for it.
  if (first.firstError === undefined) {
    const before = lastStrongBefore(bare, echo, start);
    if (before !== undefined) {
      first = { ...first, firstError: before, firstMatch: matchLine(bare[before]), firstStated: before };
      factor[before] = 3;
    }
  }
  if (first.firstError !== undefined) factor[first.firstError] *= 2;
  return { factor, echo, markers, succeeded, step: [start, end], ...first };
}

/** Index of the last line before `start` matching a strong rule (at most 200 lines back). */
function lastStrongBefore(bare: readonly string[], echo: readonly boolean[], start: number): number | undefined {
  for (let i = start - 1; i >= 0 && i >= start - 200; i--) {
    if (echo[i]) continue;
    const m = matchLine(bare[i]);
    if (m && m.weight >= 3) return i;
  }
  return undefined;
}

/** Words that state an error on their own. */
const STATES = /\b(?:error|fatal|failed|failure|exception|denied|cannot|could not|unable to|not found|no such|not valid|invalid|assertion)\b/i;

/** The first strong rule match and the first error-stating line in [from, to], skipping echoes, step headers and markers. */
function firstIn(bare: readonly string[], echo: readonly boolean[], from: number, to: number): Pick<Structure, 'firstError' | 'firstMatch' | 'firstStated'> {
  const out: Pick<Structure, 'firstError' | 'firstMatch' | 'firstStated'> = {};
  for (let i = Math.max(0, from); i <= to && i < bare.length; i++) {
    const t = bare[i];
    if (echo[i] || STEP_START.test(t) || STEP_FAILED.test(t) || SUMMARY.test(t) || /^\s*\*? ?What went wrong:|^Execution failed for task/.test(t)) continue;
    if (out.firstStated === undefined && STATES.test(t)) out.firstStated = i;
    const m = matchLine(t);
    if (m && m.weight >= 3) return { ...out, firstError: i, firstMatch: m, firstStated: out.firstStated ?? i };
  }
  return out;
}
