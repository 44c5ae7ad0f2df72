import { LineScanner } from './line-scan.js';

/** The wildcard that replaces a variable part of a line in a template. */
export const WILDCARD = '<*>';

const scanner = new LineScanner();

/**
 * The template key of a line: whitespace runs become one space and every variable segment (one holding a
 * digit or a path separator, or long hex) becomes <*>; plain words and delimiters are kept, so
 * "crond[2915]:" becomes "crond[<*>]:". With `ids`, also collects the line's session identifiers there
 * (cleared first; see session-ids.ts). Pass 1 uses LineScanner directly to skip the string.
 */
export function maskKey(line: string, ids?: string[]): string {
  scanner.scanText(line, ids);
  return scanner.keyText();
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
