import { pushSessionId } from './session-ids.js';

/** The wildcard that replaces a variable part of a line in a template. */
export const WILDCARD = '<*>';

// Delimiters kept in a template so "crond[2915]:" becomes "crond[<*>]:" rather than one opaque wildcard.
const DELIM = new Uint8Array(128);
for (const c of '[](){}=:,;"\'<>|') DELIM[c.charCodeAt(0)] = 1;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Masks a segment (a run between whitespace and delimiters): it is variable when it holds a digit (numbers,
 * ids, IPs, UUIDs, timestamps, hosts like dn228), a path separator (paths, URLs) or is long hex.
 */
function variable(line: string, start: number, end: number, digitOrSlash: boolean): boolean {
  if (digitOrSlash) return true;
  if (end - start < 12) return false;
  let i = start;
  if (line.charCodeAt(i) === 48 && (line.charCodeAt(i + 1) | 32) === 120) i += 2;
  for (; i < end; i++) if (!isHex(line.charCodeAt(i))) return false;
  return true;
}

/**
 * The template key of a line in one pass over its characters: whitespace runs become one space and every
 * variable segment becomes <*>. Plain words and delimiters are kept. This is the hot path of pass 1 and 2.
 * With `ids`, also collects the line's session identifiers there (cleared first; see session-ids.ts): the
 * same pass, so sessions cost pass 1 only a shape check per segment that holds a digit.
 */
export function maskKey(line: string, ids?: string[]): string {
  let out = '';
  let segStart = -1;
  let segVar = false;
  let segDigit = false;
  let segSlash = false;
  let keyed = false;
  let keyNext = false;
  let pendingSpace = false;
  if (ids) ids.length = 0;
  const n = line.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? line.charCodeAt(i) : 32;
    const space = isSpace(c);
    const delim = c < 128 && DELIM[c] === 1;
    if (space || delim) {
      if (segStart >= 0) {
        out += variable(line, segStart, i, segVar) ? WILDCARD : line.slice(segStart, i);
        if (ids) {
          if (segDigit) pushSessionId(line, segStart, i, keyed, segSlash, ids);
          // "…id=" or "…Id:" makes the next segment an id whatever its shape.
          keyNext = (c === 61 || c === 58) && i - segStart >= 2 && (line.charCodeAt(i - 1) | 32) === 100 && (line.charCodeAt(i - 2) | 32) === 105;
        }
        segStart = -1;
        segVar = false;
        segDigit = false;
        segSlash = false;
      } else if (c !== 32 && c !== 34 && c !== 39) keyNext = false;
      if (space) {
        if (out.length > 0) pendingSpace = true;
      } else {
        if (pendingSpace) { out += ' '; pendingSpace = false; }
        out += line[i];
      }
      continue;
    }
    if (segStart < 0) {
      if (pendingSpace) { out += ' '; pendingSpace = false; }
      segStart = i;
      keyed = keyNext;
      keyNext = false;
    }
    if (c >= 48 && c <= 57) segVar = segDigit = true;
    else if (c === 47 || c === 92) segVar = segSlash = true;
  }
  return out;
}

/** Splits a line on whitespace and masks each token (see maskKey). */
export function maskLine(line: string): string[] {
  const key = maskKey(line);
  return key === '' ? [] : key.split(' ');
}

/** Masks one whitespace-free token. */
export function maskToken(token: string): string {
  return maskKey(token);
}

/** The session identifiers of a line (see session-ids.ts), in `out`; returns how many. */
export function sessionKeys(line: string, out: string[]): number {
  maskKey(line, out);
  return out.length;
}
