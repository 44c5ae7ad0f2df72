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

// Words that carry no failure identity: grammar, log levels, units, calendar words left by timestamps.
const STOP = new Set(
  ('a an the to of in on at for with by from after before while during into over than then is was were be been are am ' +
    'and or as it its this that these those has have had will would could should please got get has ' +
    'error err errors warn warning info debug trace fatal critical crit notice severe level msg message ' +
    's ms us ns sec secs second seconds min mins minute minutes h hr hrs hour hours m d day days ' +
    'b kb mb gb tb kib mib gib byte bytes percent pct ' +
    'jan feb mar apr may jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun utc gmt z t am pm ' +
    'id ids uuid request requestid req line col ' +
    // Host, domain and URL scaffolding: "db-7.internal" and "cache-3.internal" differ by db/cache, not by internal.
    'internal local localhost localdomain com org net io corp svc cluster www http https tcp ' +
    // Java's own package prefixes: the exception's class name says which failure it is, "java.lang" does not.
    'java javax lang').split(' '),
);

/** A handful of spellings of one idea, folded so "timed out" and "timeout" meet. */
const SYNONYM: Record<string, string> = {
  timed: 'timeout', timeouts: 'timeout', timedout: 'timeout', deadline: 'timeout',
  failed: 'fail', failure: 'fail', failing: 'fail', fails: 'fail', unable: 'fail', cannot: 'fail', couldn: 'fail', could: 'fail',
  refused: 'refuse', refusing: 'refuse', exceeded: 'exceed', exceeds: 'exceed', killed: 'kill', oomkilled: 'oom',
  denied: 'deny', terminated: 'terminate', unreachable: 'unreachable', rejected: 'reject',
};

/**
 * How surely a line is the failure itself (logs severity rules): 3 an ERROR/FATAL line or an exception or stack
 * shape; 2 trouble words and no level ("FAILED tests/…"); 1 a WARN line with trouble words; 0 a WARN line
 * without ("WARN slow request") or an INFO/DEBUG line with them ("PacketResponder … terminating"); -1 context.
 * Stack frames ("  at …") are context.
 */
function failureRank(line: string): number {
  if (/^\s+at\s/.test(line)) return -1;
  const masked = maskKey(line);
  const sev = severityOf(masked, masked.split(' '));
  if (sev.level === 'error' || sev.level === 'fatal' || sev.stack) return 3;
  const trouble = sev.words.length > 0;
  if (sev.level === undefined) return trouble ? 2 : -1;
  if (sev.level === 'warn') return trouble ? 1 : 0;
  return trouble ? 0 : -1;
}

// The report is about its surest failure lines: ranks 2-3 together (an exception and the FAILED line naming the
// test), else warnings with trouble words, else bare warnings, else every line. Context never dilutes them.
function failureLines(lines: string[]): string[] {
  const ranks = lines.map(failureRank);
  for (const min of [2, 1, 0]) {
    const picked = lines.filter((_, i) => ranks[i] >= min);
    if (picked.length > 0) return picked;
  }
  return lines;
}

/** Splits a line into normalised words: variable parts (digits, long hex, via the logs mask) dropped. */
export function termsOf(line: string, drop: ReadonlySet<string> = NONE): string[] {
  // "timed out" is one idea however it is spelled. Hyphens, dots, slashes and underscores then split names, so
  // "db-7.internal" keeps "db" and "internal".
  const masked = maskKey(dropIdPieces(line.replace(/\btim(?:ed|ing)[ _-]?out\b/gi, ' timeout ')).replace(/[-_./\\@#~+*&%$!?^`]/g, ' '));
  const out: string[] = [];
  for (const seg of masked.split(/[^A-Za-z0-9<>*]+/)) {
    if (seg === '' || seg.includes(WILDCARD) || /\d/.test(seg)) continue;
    // camelCase stays one word (exception names are identities); case is folded.
    let w = seg.toLowerCase().replace(/[<>*]/g, '');
    if (w.length < 2 || STOP.has(w)) continue;
    w = SYNONYM[w] ?? stem(w);
    if (!STOP.has(w) && !drop.has(w)) out.push(w);
  }
  return out;
}

// An id split at its dashes leaves letter-only hex runs ("4fffa-8e0c" → "fffa"): in a segment that holds digits,
// pieces of four or more hex letters are id fragments, not words.
function dropIdPieces(line: string): string {
  return line.replace(/[^\s"'()[\]{}<>=:,;|]+/g, (seg) => (/\d/.test(seg) ? seg.replace(/(^|[-_./])[a-f]{4,}(?=$|[-_./])/gi, '$1') : seg));
}

// Plurals and simple -ed/-ing endings, so "connections" meets "connection" and "retrying" meets "retry".
function stem(w: string): string {
  let s = w;
  if (s.length > 5 && s.endsWith('ing')) s = s.slice(0, -3);
  else if (s.length > 4 && s.endsWith('ed')) s = s.slice(0, -2);
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss')) s = s.slice(0, -1);
  // A final e goes too, so "write", "writes" and "writing" all become "writ".
  if (s.length > 4 && s.endsWith('e')) s = s.slice(0, -1);
  return s;
}

const NONE: ReadonlySet<string> = new Set();

/** At most this many failure lines make the fingerprint: the first ones name the failure, later ones repeat it. */
export const MAX_FAILURE_LINES = 3;

/**
 * The fingerprint of a report: its surest failure lines (see failureRank; all lines when none is), masked and templated, and their words (without the service's own name). Reports of one failure share most words whatever their
 * ids, numbers, timestamps, word order or context lines.
 */
export function fingerprint(text: string, service = ''): Fingerprint {
  // The service's own name says nothing within the service ("lambda" in lambda-ingest's reports).
  const drop = new Set(service.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 2).map((w) => SYNONYM[w] ?? stem(w)));
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const picked = failureLines(lines);
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
  const terms = [...new Set(chosen.flatMap((l) => termsOf(l, drop)))].sort();
  return {
    template: templates.join(' | '),
    terms,
    key: createHash('sha256').update(terms.join(' ')).digest('hex').slice(0, 16),
  };
}

/**
 * Similarity of two fingerprints' terms in [0, 1]: the mean of the Dice coefficient (2·shared / total) and the
 * overlap coefficient (shared / smaller). Dice alone punishes a report that says less (only the error line)
 * as hard as one that says something else; overlap alone would let any one-word report match everything.
 * Empty sets are similar to nothing.
 */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const other = new Set(b);
  let shared = 0;
  for (const t of other) if (set.has(t)) shared++;
  return similarityOf(shared, set.size, other.size);
}

/** similarity() from counts: what the stores compute from their term postings without loading the terms. */
export function similarityOf(shared: number, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 0;
  return ((2 * shared) / (na + nb) + shared / Math.min(na, nb)) / 2;
}
