import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** A citation as a user sees it: a file, an inclusive 1-based line range, and the text it claims is there. */
export interface CitedRange {
  file: string;
  startLine: number;
  endLine: number;
  text: string;
}

export interface CitationCheck {
  citation: string;
  valid: boolean;
  /** Why it is invalid. */
  reason?: string;
}

/** Returns the lines of a runbook, or undefined when it cannot be read. */
export type LineReader = (file: string) => string[] | undefined;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Checks one citation: the file exists, the range lies inside it, and those lines contain the cited text
 * (whitespace runs compared as one space, since presenters may re-wrap nothing but spacing).
 */
export function checkCitation(c: CitedRange, read: LineReader): CitationCheck {
  const citation = `${c.file}:${c.startLine}-${c.endLine}`;
  const lines = read(c.file);
  if (!lines) return { citation, valid: false, reason: 'file does not exist' };
  if (!Number.isInteger(c.startLine) || !Number.isInteger(c.endLine) || c.startLine < 1 || c.endLine < c.startLine || c.endLine > lines.length) {
    return { citation, valid: false, reason: `line range outside the file (${lines.length} lines)` };
  }
  const span = squash(lines.slice(c.startLine - 1, c.endLine).join('\n'));
  if (!span.includes(squash(c.text))) return { citation, valid: false, reason: 'the lines do not contain the cited text' };
  return { citation, valid: true };
}

/** A cached reader of files under `root`; paths that escape the root read as missing. */
export function fileLineReader(root: string): LineReader {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    const abs = resolve(root, file);
    const rel = relative(root, abs);
    let lines: string[] | undefined;
    if (!rel.startsWith('..') && !isAbsolute(rel)) {
      try {
        lines = readFileSync(abs, 'utf8').split('\n');
      } catch {
        lines = undefined;
      }
    }
    cache.set(file, lines);
    return lines;
  };
}
