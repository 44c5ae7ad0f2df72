import { relative, isAbsolute } from 'node:path';
import type { Hit, SearchResult } from '../core/runbooks/search.js';
import type { Source } from '../core/runbooks/store.js';

/** How a path to the runbooks appears in citations: relative to where the user stands. */
export function displayRoot(root: string, cwd: string): string {
  const rel = relative(cwd, root);
  // Standing in the runbooks directory itself: cite bare file names.
  if (rel === '') return '';
  return !rel.startsWith('..') && !isAbsolute(rel) ? rel : root;
}

/** `runbooks/alb-5xx.md:42-77 › Remediation › Roll back` */
export function citation(src: Source, root: string): string {
  const head = src.headingPath.length ? ` › ${src.headingPath.join(' › ')}` : '';
  return `${root ? `${root}/` : ''}${src.file}:${src.startLine}-${src.endLine}${head}`;
}

export function why(h: Hit): string {
  const terms = h.matched.slice(0, 6).map((t) => `"${t}"`).join(', ');
  const parts = [];
  if (terms) parts.push(`words ${terms}`);
  if (h.dense > 0) parts.push(`meaning ${h.dense.toFixed(2)}`);
  parts.push(`relevance ${h.relevance.toFixed(2)}`);
  return parts.join('; ');
}

/**
 * Splits a section into its actionable blocks (numbered steps, commands in code blocks) and the rest, so the
 * answer can lead with what to do. The heading line itself is dropped: the citation carries it.
 */
export function actionableFirst(text: string): { actions: string[]; context: string[] } {
  const lines = text.split('\n');
  if (/^#{1,6}\s/.test(lines[0] ?? '')) lines.shift();
  else if (lines[0]?.trim() && /^\s{0,3}(=+|-+)\s*$/.test(lines[1] ?? '')) lines.splice(0, 2); // setext heading
  const blocks: string[][] = [];
  let cur: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      cur.push(line);
      if (f && f[1].startsWith(fence)) fence = undefined;
      continue;
    }
    if (f) fence = f[1];
    if (!line.trim() && !fence) {
      if (cur.length) blocks.push(cur);
      cur = [];
      continue;
    }
    cur.push(line);
  }
  if (cur.length) blocks.push(cur);
  const actions: string[] = [];
  const context: string[] = [];
  for (const b of blocks) {
    const s = b.join('\n');
    (/^\s*(\d+[.)]\s|```|~~~)/.test(b[0]) ? actions : context).push(s);
  }
  return { actions, context };
}

/**
 * "+ 2 more in this file: Mitigation › Step 2 (40-52); Escalation (60-70)" under the last shown section of a file whose
 * further sections were collapsed (ask shows at most a few per file); undefined when there is nothing to say.
 */
export function moreInFile(result: SearchResult, index: number): string | undefined {
  const file = result.hits[index]?.section.sources[0]?.file;
  if (!file || result.hits.slice(index + 1).some((h) => h.section.sources[0]?.file === file)) return undefined;
  const more = (result.collapsed ?? []).filter((h) => h.section.sources[0]?.file === file);
  if (!more.length) return undefined;
  const where = more.slice(0, 3).map((h) => {
    const src = h.section.sources[0];
    return `${src.headingPath.length ? `${src.headingPath.slice(-2).join(' › ')} ` : ''}(${src.startLine}-${src.endLine})`;
  });
  return `+ ${more.length} more in this file: ${where.join('; ')}${more.length > 3 ? '; …' : ''}`;
}
