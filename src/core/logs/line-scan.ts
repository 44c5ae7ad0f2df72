import { pushSessionId, unitsText, type Units } from './session-ids.js';

// Character classes, one table for the three jobs of the scan (ASCII only; other characters are 0).
const LETTER = 1; // counted as a letter run by the token estimate (A-Z, a-z, _)
const DIGIT = 2;
const SPACE = 4; // ends a segment and folds into one space (9-13, 32)
const FREE = 8; // whitespace the token estimate does not charge (9, 10, 13, 32)
const DELIM = 16; // ends a segment and is kept in the key
const SLASH = 32; // path separators: the segment is variable
const HEX = 64;
const CLS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLS[c] = DIGIT | HEX;
for (let c = 65; c <= 90; c++) CLS[c] = LETTER | (c <= 70 ? HEX : 0);
for (let c = 97; c <= 122; c++) CLS[c] = LETTER | (c <= 102 ? HEX : 0);
CLS[95] = LETTER;
for (let c = 9; c <= 13; c++) CLS[c] = SPACE;
for (const c of [9, 10, 13, 32]) CLS[c] |= FREE;
CLS[32] |= SPACE;
for (const c of '[](){}=:,;"\'<>|') CLS[c.charCodeAt(0)] = DELIM;
CLS[47] = CLS[92] = SLASH;

/**
 * A segment (a run between whitespace and delimiters) is variable when it holds a digit (numbers, ids, IPs,
 * UUIDs, timestamps, hosts like dn228), a path separator (paths, URLs) or is long hex.
 */
function variable(src: Units, start: number, end: number, digitOrSlash: boolean): boolean {
  if (digitOrSlash) return true;
  if (end - start < 12) return false;
  let i = start;
  if (src[i] === 48 && (src[i + 1] | 32) === 120) i += 2;
  for (; i < end; i++) {
    const c = src[i];
    if (c >= 128 || !(CLS[c] & HEX)) return false;
  }
  return true;
}

/**
 * One pass over a line's characters that yields its template key (whitespace runs become one space, every
 * variable segment becomes <*>, plain words and delimiters are kept), its token estimate (the rule of
 * tokens.ts) and, when asked, its session identifiers (see session-ids.ts). The key is written to a reused
 * buffer, so a line whose key is already known costs no allocation. This is the hot path of pass 1.
 */
export class LineScanner {
  /** The key of the last line: key[0, keyLen). */
  key = new Uint16Array(1 << 14);
  keyLen = 0;
  /** estimateTokens of the last line. */
  tokens = 0;
  private units = new Uint16Array(1 << 12);

  /**
   * Scans src[a, b). With `asciiOnly` (src holds UTF-8 bytes) it stops and returns false at the first byte
   * above 127: the caller then decodes the line and uses scanText, so both count characters, not bytes.
   * `ids` (cleared first) receives the line's session identifiers.
   */
  scan(src: Units, a: number, b: number, asciiOnly: boolean, ids?: string[]): boolean {
    if (this.key.length < 3 * (b - a) + 3) this.key = new Uint16Array(3 * (b - a) + 3);
    const key = this.key;
    let o = 0;
    let segStart = -1;
    let segVar = false;
    let segDigit = false;
    let segSlash = false;
    let keyed = false;
    let keyNext = false;
    let pendingSpace = false;
    let runs = 0;
    let letters = 0;
    let digits = 0;
    if (ids) ids.length = 0;
    for (let i = a; i <= b; ) {
      const c = i < b ? src[i] : 32;
      let k = 0;
      if (c < 128) k = CLS[c];
      else if (asciiOnly) return false;
      if (k & (LETTER | DIGIT)) {
        if (segStart < 0) {
          if (pendingSpace) { key[o++] = 32; pendingSpace = false; }
          segStart = i;
          keyed = keyNext;
          keyNext = false;
        }
        // Letters and digits come in runs: take a whole run at once (it cannot end a segment).
        const cls = k & (LETTER | DIGIT);
        let j = i + 1;
        while (j < b) {
          const d = src[j];
          if (d >= 128 || (CLS[d] & (LETTER | DIGIT)) !== cls) break;
          j++;
        }
        // Token estimate: letter runs cost ceil(len / 4), digit runs ceil(len / 3), other non-space chars 1.
        if (cls === LETTER) {
          if (digits) { runs += Math.ceil(digits / 3); digits = 0; }
          letters += j - i;
        } else {
          if (letters) { runs += Math.ceil(letters / 4); letters = 0; }
          digits += j - i;
          segVar = segDigit = true;
        }
        i = j;
        continue;
      }
      if (letters) { runs += Math.ceil(letters / 4); letters = 0; }
      if (digits) { runs += Math.ceil(digits / 3); digits = 0; }
      if (!(k & FREE)) runs++;
      if (k & (SPACE | DELIM)) {
        if (segStart >= 0) {
          if (variable(src, segStart, i, segVar)) {
            key[o] = 60;
            key[o + 1] = 42;
            key[o + 2] = 62;
            o += 3;
          } else for (let j = segStart; j < i; j++) key[o++] = src[j];
          if (ids) {
            if (segDigit) pushSessionId(src, segStart, i, keyed, segSlash, ids);
            // "…id=" or "…Id:" makes the next segment an id whatever its shape.
            keyNext = (c === 61 || c === 58) && i - segStart >= 2 && (src[i - 1] | 32) === 100 && (src[i - 2] | 32) === 105;
          }
          segStart = -1;
          segVar = false;
          segDigit = false;
          segSlash = false;
        } else if (c !== 32 && c !== 34 && c !== 39) keyNext = false;
        if (k & SPACE) {
          if (o > 0) pendingSpace = true;
        } else {
          if (pendingSpace) { key[o++] = 32; pendingSpace = false; }
          key[o++] = c;
        }
      } else {
        if (segStart < 0) {
          if (pendingSpace) { key[o++] = 32; pendingSpace = false; }
          segStart = i;
          keyed = keyNext;
          keyNext = false;
        }
        if (k & SLASH) segVar = segSlash = true;
      }
      i++;
    }
    this.keyLen = o;
    this.tokens = Math.max(runs, Math.ceil((b - a) / 4));
    return true;
  }

  /** Scans a decoded line (any characters). */
  scanText(line: string, ids?: string[]): void {
    const n = line.length;
    if (this.units.length < n) this.units = new Uint16Array(Math.max(n, this.units.length * 2));
    const u = this.units;
    for (let i = 0; i < n; i++) u[i] = line.charCodeAt(i);
    this.scan(u, 0, n, false, ids);
  }

  /** The last key as a string. */
  keyText(): string {
    return unitsText(this.key, 0, this.keyLen);
  }
}
