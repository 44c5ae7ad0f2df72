import { createHash } from 'node:crypto';

/** `prev` of the first record: there is no line before it. */
export const GENESIS = '0'.repeat(64);

/** SHA-256 (hex) of one line of the file, as written, without its newline. */
export function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** Where the chain first breaks: the 1-based line and why. */
export interface BrokenLink {
  line: number;
  reason: string;
}

export interface ChainReport {
  /** Non-empty lines checked. */
  records: number;
  /** Undefined when every line links to the one before it. */
  broken?: BrokenLink;
}

/**
 * Walks the audit file's lines: each must be a JSON object whose `prev` is the SHA-256 of the line before
 * it (GENESIS for the first). Editing, deleting, reordering or inserting a line breaks the link of the line
 * after it (or its own), so the first broken link says where the file was changed. Truncating the end
 * cannot be seen from the file alone; keep a copy of the last hash elsewhere for that.
 */
export function verifyChain(text: string): ChainReport {
  let prev = GENESIS;
  let records = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    records += 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { records, broken: { line: i + 1, reason: 'not valid JSON (a torn or edited line)' } };
    }
    const got = parsed && typeof parsed === 'object' ? (parsed as { prev?: unknown }).prev : undefined;
    if (typeof got !== 'string') return { records, broken: { line: i + 1, reason: 'no "prev" hash (written by an older opsctl, or edited)' } };
    if (got !== prev) {
      const what = prev === GENESIS ? 'the first record should link to the start of the file' : `line ${previousLine(lines, i)} was changed, removed or reordered`;
      return { records, broken: { line: i + 1, reason: `"prev" does not match the line before it: ${what}` } };
    }
    prev = lineHash(line);
  }
  return { records };
}

function previousLine(lines: string[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (lines[j] !== '') return j + 1;
  return 0;
}

/** The hash the next record must carry: of the last non-empty line of `tail`, or GENESIS for an empty file. */
export function nextPrev(tail: string): string {
  const last = tail.split('\n').filter((l) => l !== '').at(-1);
  return last === undefined ? GENESIS : lineHash(last);
}
