import { severityOf } from '../logs/severity.js';
import type { ReducedLog } from '../logs/types.js';
import { matchLine, type Category } from './category.js';
import type { Structure } from './structure.js';

/** A quote from the log: `lines` is "a-b" (1-based, inclusive) in `source`, `text` those lines joined by newlines. */
export interface Evidence {
  source: string;
  lines: string;
  text: string;
}

/** An evidence item that does not point at kept lines, and why. */
export interface RejectedEvidence extends Evidence {
  reason: string;
}

/** A kept line with where it came from, as the diagnosis sees it. */
export interface KeptRef {
  source: string;
  n: number;
  text: string;
  score: number;
  reason: string;
}

/** Kept lines of a reduced log in output order. */
export function keptRefs(doc: ReducedLog): KeptRef[] {
  return doc.blocks.flatMap((b) => b.lines.map((l) => ({ source: b.source, n: l.n, text: l.text, score: b.score, reason: b.reason })));
}

const STACK = /^\s+at\s|^\s*Caused by:|^\s+File "|^\s*Traceback|^\s+\.\.\. \d+ more/;
const TROUBLE = /\b(?:fatal|error|stack)\b/;
/**
 * A line that says on its own that something failed: an ERROR/FATAL level, a stack frame, or two trouble words.
 * Needed because reduce scores nothing when the whole log fits its budget (one block, reason "all").
 */
function statesError(text: string): boolean {
  if (CI_ERROR.test(text)) return true;
  const s = severityOf(text, text.split(/\s+/));
  return s.level === 'error' || s.level === 'fatal' || s.stack || s.score >= 0.55;
}

/** CI runners' own error annotations: GitHub Actions "##[error]…" and "::error …::". */
const CI_ERROR = /(?:^|\s)(?:##\[error\]|::error\b)/;

/** Most evidence items reported, and most lines in one item. */
export const MAX_EVIDENCE = 8;
const MAX_ITEM_LINES = 6;

/**
 * Evidence from kept lines, best first: each kept line that matches a category family (the chosen one
 * weighs double, scaled by the line's structural factor; the first error of the failing step comes first) or that reduce marked fatal/error/stack, extended over the stack-trace lines after it. Empty when nothing in the kept lines looks like a failure (diagnose then exits 3).
 */
export function collectEvidence(refs: readonly KeptRef[], category: Category | 'unknown', structure?: Structure): Evidence[] {
  const items: Array<{ ev: Evidence; weight: number; order: number }> = [];
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const factor = structure?.factor[i] ?? 1;
    // Echoed commands ("> git fetch … # timeout=10") never stand as evidence on their own.
    if (structure?.echo[i]) continue;
    const m = matchLine(r.text);
    const trouble = (TROUBLE.test(r.reason) && r.score >= 0.35) || statesError(r.text) || (structure?.markers.includes(i) ?? false) || i === structure?.firstStated;
    if (!m && !trouble) continue;
    let j = i;
    while (j + 1 < refs.length && j - i + 1 < MAX_ITEM_LINES && refs[j + 1].source === r.source && refs[j + 1].n === refs[j].n + 1 && STACK.test(refs[j + 1].text)) j++;
    const run = refs.slice(i, j + 1);
    const weight = run.reduce((s, x) => {
      const mm = matchLine(x.text);
      return s + (mm ? mm.weight * (mm.category === category ? 2 : 1) : 0);
    }, 0) * factor + (trouble ? 1 : 0) + r.score + (i === structure?.firstError ? 100 : 0);
    items.push({ ev: { source: r.source, lines: `${run[0].n}-${run[run.length - 1].n}`, text: run.map((x) => x.text).join('\n') }, weight, order: items.length });
    i = j;
  }
  return items
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, MAX_EVIDENCE)
    .map((x) => x.ev);
}

/** Parses "12", "12-15" or "L12-L15"; undefined when it is not a line range. */
export function parseLines(lines: unknown): [number, number] | undefined {
  const m = /^\s*L?(\d+)\s*(?:[-–]\s*L?(\d+))?\s*$/.exec(String(lines ?? ''));
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return a >= 1 && b >= a ? [a, b] : undefined;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Checks evidence (from an LLM) against the kept lines: the source must be a kept source, every line of the
 * range must have been kept, and the quoted text must appear in those lines (whitespace and case aside; an
 * empty quote is filled in from the lines). Valid items come back with the real text of their lines.
 */
export function validateEvidence(items: unknown, refs: readonly KeptRef[]): { valid: Evidence[]; rejected: RejectedEvidence[] } {
  const bySource = new Map<string, Map<number, string>>();
  for (const r of refs) {
    let m = bySource.get(r.source);
    if (!m) bySource.set(r.source, (m = new Map()));
    m.set(r.n, r.text);
  }
  const valid: Evidence[] = [];
  const rejected: RejectedEvidence[] = [];
  for (const raw of Array.isArray(items) ? items : []) {
    const it = (raw ?? {}) as Record<string, unknown>;
    const ev: Evidence = { source: String(it.source ?? ''), lines: String(it.lines ?? ''), text: String(it.text ?? '') };
    const reject = (reason: string) => rejected.push({ ...ev, reason });
    const lines = bySource.get(ev.source) ?? (bySource.size === 1 && !ev.source ? [...bySource.values()][0] : undefined);
    if (!lines) { reject(`source "${ev.source}" is not one of the inputs`); continue; }
    const range = parseLines(ev.lines);
    if (!range) { reject(`lines "${ev.lines}" is not a line range like 12-15`); continue; }
    if (range[1] - range[0] >= 50) { reject('range longer than 50 lines'); continue; }
    const texts: string[] = [];
    for (let n = range[0]; n <= range[1]; n++) {
      const t = lines.get(n);
      if (t === undefined) break;
      texts.push(t);
    }
    if (texts.length !== range[1] - range[0] + 1) { reject(`line ${range[0] + texts.length} was not among the kept lines`); continue; }
    const quote = norm(ev.text);
    if (quote && !norm(texts.join('\n')).includes(quote) && !quote.includes(norm(texts.join('\n')))) { reject('text does not match the kept lines'); continue; }
    const source = bySource.has(ev.source) ? ev.source : [...bySource.keys()][0];
    valid.push({ source, lines: `${range[0]}-${range[1]}`, text: texts.join('\n') });
  }
  return { valid, rejected };
}
