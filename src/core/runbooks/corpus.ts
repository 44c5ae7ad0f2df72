import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { OpsctlError } from '../errors.js';
import { tooComplex } from './complexity.js';

/**
 * Files larger than this are skipped with a reason: the biggest real runbook we have seen is 14 KB, and the Markdown
 * parser needs seconds per megabyte, so a bigger file is a log or an export pasted by mistake.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface CorpusFile {
  /** Relative to the corpus root, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface Skipped {
  path: string;
  reason: string;
  /** The file's state when it was skipped: once it changes, it is read again. */
  size?: number;
  mtimeMs?: number;
}

const IGNORED_DIRS = new Set(['node_modules', '.git', '.opsctl', '.prompts', '.versions']);

/** Lists Markdown files under `root` (sorted, deterministic). Throws a clear error for a missing or empty dir. */
export function listMarkdown(root: string): { files: CorpusFile[]; skipped: Skipped[] } {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new OpsctlError('input', `runbooks directory not found: ${root}`, 'point opsctl at your Markdown runbooks: opsctl index <dir>, opsctl ask --runbooks <dir>, or runbooksDir in opsctl.config.json');
  }
  if (!st.isDirectory()) throw new OpsctlError('input', `not a directory: ${root}`, 'opsctl index takes a directory of Markdown runbooks');
  const files: CorpusFile[] = [];
  const skipped: Skipped[] = [];
  // Paths are built by concatenation: path.join/relative per entry cost more than the stat calls on a cold `ask`.
  const walk = (dir: string, relDir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: relDir || '.', reason: `unreadable directory (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = `${dir}${sep}${e.name}`;
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name) && !e.name.startsWith('.')) walk(full, rel);
        continue;
      }
      if (!/\.(md|markdown)$/i.test(e.name)) continue;
      let s;
      try {
        s = statSync(full);
      } catch {
        skipped.push({ path: rel, reason: 'unreadable (broken link?)' });
        continue;
      }
      if (!s.isFile()) continue;
      if (s.size > MAX_FILE_BYTES) {
        skipped.push({ path: rel, reason: `too large (${(s.size / 1048576).toFixed(1)} MB > ${MAX_FILE_BYTES / 1048576} MB)`, size: s.size, mtimeMs: s.mtimeMs });
        continue;
      }
      files.push({ path: rel, size: s.size, mtimeMs: s.mtimeMs });
    }
  };
  walk(root.endsWith(sep) && root.length > 1 ? root.slice(0, -1) : root, '');
  return { files, skipped };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a runbook as text; binary content or invalid UTF-8 is reported, not indexed as garbage. */
export function readRunbook(root: string, path: string): { text: string; hash: string } | { error: string } {
  let buf: Buffer;
  try {
    buf = readFileSync(join(root, path));
  } catch (e) {
    return { error: `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (buf.subarray(0, 8192).includes(0)) return { error: 'binary content, not Markdown' };
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    return { error: 'invalid UTF-8; save the file as UTF-8' };
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const complex = tooComplex(text);
  if (complex) return { error: `too complex to parse: ${complex}` };
  return { text, hash: sha1(buf) };
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}
