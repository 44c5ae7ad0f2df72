import { createHash } from 'node:crypto';
import { WILDCARD, maskKey } from '../logs/mask.js';
import { severityOf } from '../logs/severity.js';

/** What a report is compared by: its failure lines as templates, and the words left once variables are gone. */
export interface Fingerprint {
  /** The masked failure lines (logs templating: numbers, ids, paths and hex become <*>), joined by " | ". */
  template: string;
  /** Distinct normalised words of the failure lines, sorted: what similarity compares. */
  terms: string[];
  /** sha256 (16 hex) of the sorted terms: equal for reports that differ only in variables and word order. */
  key: string;
}

// Words that carry no failure identity: grammar, log levels, units and calendar words left by timestamps.
const STOP = new Set(
  ('a an the to of in on at for with by from after before while during into over than then is was were be been are am ' +
    'and or as it its this that these those has have had will would could should please got get has ' +
    'error err errors warn warning info debug trace fatal critical crit notice severe level msg message ' +
    's ms us ns sec secs second seconds min mins minute minutes h hr hrs hour hours m d day days ' +
    'b kb mb gb tb kib mib gib byte bytes percent pct ' +
    'jan feb mar apr may jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun utc gmt z t am pm ' +
    'id ids uuid request requestid req line col').split(' '),
);

/** A handful of spellings of one idea, folded so "timed out" and "timeout" meet. */
const SYNONYM: Record<string, string> = {
  timed: 'timeout', timeouts: 'timeout', timedout: 'timeout', time: 'timeout', deadline: 'timeout',
  failed: 'fail', failure: 'fail', failing: 'fail', fails: 'fail', unable: 'fail', cannot: 'fail', couldn: 'fail', could: 'fail',
  refused: 'refuse', refusing: 'refuse', exceeded: 'exceed', exceeds: 'exceed', killed: 'kill', oomkilled: 'oom',
  denied: 'deny', terminated: 'terminate', unreachable: 'unreachable', rejected: 'reject',
};

// A line that names trouble (logs severity): these are the lines a report is about; the rest is context.
function isFailureLine(line: string): boolean {
  const masked = maskKey(line);
  const sev = severityOf(masked, masked.split(' '));
  return sev.score >= 0.4 && !/^\s+at\s/.test(line);
}

/** Splits a line into normalised words: variable parts (digits, long hex, via the logs mask) dropped. */
export function termsOf(line: string): string[] {
  // Hyphens, dots, slashes and underscores split names first, so "db-7.internal" keeps "db" and "internal".
  const masked = maskKey(line.replace(/[-_./\\@#~+*&%$!?^`]/g, ' '));
  const out: string[] = [];
  for (const seg of masked.split(/[^A-Za-z0-9<>*]+/)) {
    if (seg === '' || seg.includes(WILDCARD) || /\d/.test(seg)) continue;
    // camelCase stays one word (exception names are identities); case is folded.
    let w = seg.toLowerCase().replace(/[<>*]/g, '');
    if (w.length < 2 || STOP.has(w)) continue;
    w = SYNONYM[w] ?? stem(w);
    if (!STOP.has(w)) out.push(w);
  }
  return out;
}

// Plurals and simple -ed/-ing endings, so "connections" meets "connection" and "retrying" meets "retry".
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** At most this many failure lines make the fingerprint: the first ones name the failure, later ones repeat it. */
export const MAX_FAILURE_LINES = 3;

/**
 * The fingerprint of a report: its failure lines (those the logs severity rules call trouble; all lines when
 * none is), masked and templated, and their words. Reports of one failure share most words whatever their
 * ids, numbers, timestamps, word order or context lines.
 */
export function fingerprint(text: string): Fingerprint {
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  let picked = lines.filter(isFailureLine);
  if (picked.length === 0) picked = lines;
  const seen = new Set<string>();
  const templates: string[] = [];
  const chosen: string[] = [];
  for (const line of picked) {
    const t = maskKey(line.trim());
    if (seen.has(t)) continue;
    seen.add(t);
    templates.push(t);
    chosen.push(line);
    if (templates.length >= MAX_FAILURE_LINES) break;
  }
  const terms = [...new Set(chosen.flatMap(termsOf))].sort();
  return {
    template: templates.join(' | '),
    terms,
    key: createHash('sha256').update(terms.join(' ')).digest('hex').slice(0, 16),
  };
}

/**
 * Similarity of two fingerprints' terms in [0, 1]: the Dice coefficient of the term sets (2·shared / total),
 * which forgives one extra word more than Jaccard does. Empty sets are similar to nothing.
 */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const t of new Set(b)) if (set.has(t)) shared++;
  return diceOf(shared, new Set(a).size, new Set(b).size);
}

/** Dice from counts: what the stores compute from their term postings without loading the terms. */
export function diceOf(shared: number, na: number, nb: number): number {
  return na + nb === 0 ? 0 : (2 * shared) / (na + nb);
}
