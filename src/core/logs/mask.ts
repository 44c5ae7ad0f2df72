/** The wildcard that replaces a variable part of a line in a template. */
export const WILDCARD = '<*>';

// Delimiters that stay in a template so "crond[2915]:" becomes "crond[<*>]:" rather than one opaque wildcard.
const SEGMENT = /[^[\](){}=:,;"'<>|]+/g;
const HEX_ONLY = /^(0x)?[0-9a-f]+$/i;

function isVariable(seg: string): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    // Any digit: numbers, ids, IPs, UUIDs, timestamps, versions, hosts like dn228. A slash: a path or URL.
    if ((c >= 48 && c <= 57) || c === 47 || c === 92) return true;
  }
  // Long hex without digits is still an id ("deadbeefcafe").
  return seg.length >= 12 && HEX_ONLY.test(seg);
}

/**
 * Masks one whitespace-free token: every delimiter-separated segment that holds a digit, a path separator
 * or a long hex string becomes <*>. Plain words are returned unchanged (the fast path for most tokens).
 */
export function maskToken(token: string): string {
  let plain = true;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 47 || c === 92) { plain = false; break; }
  }
  if (plain && token.length < 12) return token;
  const masked = token.replace(SEGMENT, (seg) => (isVariable(seg) ? WILDCARD : seg));
  return masked;
}

/** Splits a line on whitespace and masks each token. */
export function maskLine(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 32;
    const space = c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12;
    if (space) {
      if (start >= 0) { out.push(maskToken(line.slice(start, i))); start = -1; }
    } else if (start < 0) start = i;
  }
  return out;
}
