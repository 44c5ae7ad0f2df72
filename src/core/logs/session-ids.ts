/**
 * Identifiers that tie lines into a session: request/trace/session ids, block ids, UUIDs, long hex ids and
 * `word_digits` ids. Detection is by shape only (no product names), and deliberately excludes values that
 * are shared by unrelated lines: plain numbers, IPs, timestamps, hosts like `ip-10-0-1-23` or `dn228`.
 *
 * Segments are those of maskKey (split at whitespace and delimiters). Shapes:
 * - `key_id=value`, `traceId: value`: a key ending in "id" followed by a value of 6+ id characters with a digit;
 * - UUID: 8-4-4-4-12 hex;
 * - `word_digits` / `word-digits`: letters, `_` or `-`, then 5+ id characters
 *   (blk_-4411589, req-7f3a9c01, task_2008_0002_r_000169_0, part-00169), where the part after the
 *   separator holds a run of 4+ digits, or 3+ digits mixed with letters (so `ip-10-0-1-23` is not an id);
 * - hex: 16+ lower-case hex characters with both a letter and a digit (trace and span ids, hashes).
 */
/** A line as UTF-16 code units (a string's char codes) or, for an ASCII line, its bytes. */
export type Units = Uint8Array | Uint16Array;

/** The text of units[a, b). */
export function unitsText(units: Units, a: number, b: number): string {
  // Byte units come from ASCII lines only, where latin1 is exact and needs no intermediate view.
  if (units instanceof Buffer) return units.toString('latin1', a, b);
  let s = '';
  // In slices: an argument list has a size limit.
  for (let i = a; i < b; i += 8192) s += String.fromCharCode.apply(null, units.subarray(i, Math.min(b, i + 8192)) as unknown as number[]);
  return s;
}

/** Most session keys taken from one line (a line listing 100 ids belongs to no one session in particular). */
export const MAX_KEYS_PER_LINE = 4;

const LETTER = 1;
const DIGIT = 2;
const HEXL = 4; // a-f
const HEXU = 8; // A-F
const SEP = 16; // _ or -
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER | (c <= 70 ? HEXU : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER | (c <= 102 ? HEXL : 0);
CLASS[95] = SEP;
CLASS[45] = SEP;

function isUuid(s: Units, a: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = s[a + i];
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (c >= 128 || !(CLASS[c] & (DIGIT | HEXL | HEXU))) return false;
  }
  return true;
}

function hexOnly(s: Units, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!(CLASS[s[i]] & (DIGIT | HEXL))) return false;
  return true;
}

/** Classifies the token s[a, b) (trailing . _ - already trimmed); `keyed` when it follows `...id=`. */
function isId(s: Units, a: number, b: number, keyed: boolean): boolean {
  const len = b - a;
  if (len < 6) return false;
  let all = 0;
  let digits = 0;
  let run = 0;
  let maxRun = 0;
  let other = false;
  for (let i = a; i < b; i++) {
    const c = s[i];
    const k = c < 128 ? CLASS[c] : 0;
    if (k === 0 && c !== 46) other = true;
    all |= k;
    if (k === DIGIT) {
      digits++;
      if (++run > maxRun) maxRun = run;
    } else run = 0;
  }
  if (digits === 0 || other) return false;
  if (keyed) return true;
  if (len === 36 && isUuid(s, a)) return true;
  if (len >= 16 && all & HEXL && !(all & HEXU) && hexOnly(s, a, b)) return true; // lower-case hex: trace ids, hashes
  // word_digits: a run of letters, a separator, then 5+ characters with a 4-digit run or letters and 3+ digits.
  let p = a;
  while (p < b && CLASS[s[p]] & LETTER && !(CLASS[s[p]] & DIGIT)) p++;
  if (p === a || p - a > 24 || p >= b || CLASS[s[p]] !== SEP || b - p - 1 < 5) return false;
  let tailLetters = false;
  for (let i = p + 1; i < b; i++) {
    const c = s[i];
    if (c === 46) return false;
    if (CLASS[c] & LETTER) tailLetters = true;
  }
  return maxRun >= 4 || (tailLetters && digits >= 3);
}

/**
 * Adds the segment line[a, b) to `out` when it is a session identifier (called by the line scanner for segments that
 * hold a digit). A path keeps only its last component; trailing `.`, `_` and `-` are not part of an id.
 * `slash`: the segment holds a slash or backslash. `keyed`: the segment follows a key ending in "id" and `=` or `:` (request_id=…, traceId: …, X-Request-ID: …),
 * so any value with a digit counts.
 */
export function pushSessionId(line: Units, a: number, b: number, keyed: boolean, slash: boolean, out: string[]): void {
  if (out.length >= MAX_KEYS_PER_LINE) return;
  if (slash) {
    for (let i = b - 1; i >= a; i--) {
      const c = line[i];
      if (c === 47 || c === 92) {
        a = i + 1;
        break;
      }
    }
  }
  // Fast reject of what most digit segments are (numbers, times, IPs, sizes): starting with a digit, only a
  // UUID or a 16+ hex id can be an id.
  const c0 = line[a];
  if (!keyed && ((c0 >= 48 && c0 <= 57 && b - a < 16) || b - a < 6)) return;
  while (b > a) {
    const c = line[b - 1];
    if (c !== 46 && c !== 95 && c !== 45) break;
    b--;
  }
  // Below 16 characters only the word_digits shape is possible: letters then `_` or `-`. Checking that
  // prefix first rejects most letter-led segments (R02-M1, dn228, v1.2.3) without the full scan.
  if (!keyed && b - a < 16) {
    let p = a;
    while (p < b && CLASS[line[p]] === (LETTER | (CLASS[line[p]] & (HEXL | HEXU)))) p++;
    if (p === a || p >= b || CLASS[line[p]] !== SEP) return;
  }
  if (!isId(line, a, b, keyed)) return;
  const key = unitsText(line, a, b);
  if (!out.includes(key)) out.push(key);
}
