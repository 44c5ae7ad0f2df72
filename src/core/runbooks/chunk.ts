import { unified } from 'unified';
import remarkParse from 'remark-parse';
import type { Heading, Root, RootContent } from 'mdast';
import { splitFrontMatter, type FrontMatter } from './front-matter.js';
import { titleFromFileName } from './sections.js';

export { titleFromFileName };

/** One retrievable piece of a runbook: a heading's content (or part of it), with exact lines. */
export interface Chunk {
  /** Path relative to the runbooks root, with forward slashes. */
  file: string;
  /** Document title: front matter title, else the first H1, else the file name. */
  title: string;
  /** Headings from the H1 (excluded when it equals the title) down to this section's own heading. */
  headingPath: string[];
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The section's Markdown source, exactly as in the file. */
  text: string;
  /**
   * Names of empty headings stacked over this chunk's heading or one above it ("## AlertA\n## AlertB\n### Steps"):
   * what the whole part under the last of them answers, so every subsection of it is found by each stacked name.
   */
  aliases?: string[];
}

export interface ParsedRunbook {
  file: string;
  title: string;
  frontMatter: FrontMatter;
  chunks: Chunk[];
  warnings: string[];
}

/** Sections longer than this are split on block boundaries; a single block (a code block) is never split. */
export const MAX_CHUNK_CHARS = 2400;

// The frozen processor's own parser function (remark-parse → mdast-util-from-markdown), called directly: unified's
// parse() adds a VFile per call, ~13% of the parse time of 800 runbooks; the tree is the same.
const parse = unified().use(remarkParse).freeze().parser!;

function headingText(node: Heading): string {
  const parts: string[] = [];
  const walk = (n: { type: string; value?: string; children?: unknown[] }) => {
    if (typeof n.value === 'string') parts.push(n.value);
    for (const c of (n.children ?? []) as Array<typeof n>) walk(c);
  };
  walk(node as never);
  return parts.join('').replace(/\s+/g, ' ').trim();
}


interface Block {
  start: number;
  end: number;
  heading?: boolean;
}

/** Parses one Markdown runbook into heading-aware chunks with exact line ranges. */
export function chunkMarkdown(file: string, source: string): ParsedRunbook {
  const warnings: string[] = [];
  const fm = splitFrontMatter(source);
  if (fm.warning) warnings.push(fm.warning);
  const lines = fm.body.split('\n');
  const root = parse(fm.body, undefined as never) as Root;

  const h1 = root.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const title = fm.frontMatter.title ?? (h1 ? headingText(h1) : '') ?? '';
  const docTitle = title || titleFromFileName(file);

  // Group top-level blocks under the heading they follow.
  const sections: Array<{ path: string[]; blocks: Block[]; depth: number }> = [];
  const stack: Array<{ depth: number; text: string }> = [];
  let current: { path: string[]; blocks: Block[]; depth: number } = { path: [], blocks: [], depth: 0 };
  sections.push(current);
  for (const node of root.children as RootContent[]) {
    const pos = node.position;
    if (!pos) continue;
    if (node.type === 'heading') {
      const text = headingText(node);
      while (stack.length && stack[stack.length - 1].depth >= node.depth) stack.pop();
      stack.push({ depth: node.depth, text });
      const path = stack.map((s) => s.text).filter((t, i) => !(i === 0 && stack[0].depth === 1 && t === docTitle));
      current = { path, blocks: [{ start: pos.start.line, end: pos.end.line, heading: true }], depth: node.depth };
      sections.push(current);
    } else {
      current.blocks.push({ start: pos.start.line, end: pos.end.line });
    }
  }

  const chunks: Chunk[] = [];
  const slice = (a: number, b: number) => lines.slice(a - 1, b).join('\n').trimEnd();
  // A part that is only its heading (say "## Remediation" followed by "### Step") carries no content of its own;
  // the parser's node type catches setext headings ("Title\n=====") too, which a "#" check would not.
  const hasContent = (part: Block[]) => part.some((b) => !b.heading);
  // Such an empty heading is often one of several stacked over a shared body (a wiki's "## AlertA\n## AlertB\nbody"
  // for alerts with one answer): its lines join the next chunk, so that chunk is found by every stacked name. A parent
  // heading over its subsections is not carried: the subsections' heading paths already name it.
  let carry: number | undefined;
  // Stacked names waiting for the heading that ends the stack, and the names in force per heading depth.
  let pending: string[] = [];
  const aliases = new Map<number, string[]>();
  sections.forEach((s, si) => {
    const stacked = (sections[si + 1]?.depth ?? 0) > 0 && sections[si + 1].depth <= s.depth;
    if (s.depth > 0) {
      for (const d of [...aliases.keys()]) if (d >= s.depth) aliases.delete(d);
      if (stacked && !hasContent(s.blocks)) pending.push(s.path.at(-1) ?? '');
      else if (pending.length) {
        aliases.set(s.depth, pending);
        pending = [];
      }
    }
    const inForce = [...aliases.values()].flat();
    if (!s.blocks.length) return;
    let part: Block[] = [];
    let size = 0;
    const flush = () => {
      if (!part.length) return;
      const startLine = carry ?? part[0].start;
      const endLine = part[part.length - 1].end;
      const text = slice(startLine, endLine);
      if (text.trim() && hasContent(part)) {
        chunks.push({ file, title: docTitle, headingPath: s.path, startLine, endLine, text, ...(inForce.length ? { aliases: inForce } : {}) });
        carry = undefined;
      } else if (!hasContent(part) && stacked) carry ??= part[0].start;
      part = [];
      size = 0;
    };
    for (const b of s.blocks) {
      const len = slice(b.start, b.end).length;
      if (size > 0 && size + len > MAX_CHUNK_CHARS) flush();
      part.push(b);
      size += len;
    }
    flush();
  });
  return { file, title: docTitle, frontMatter: fm.frontMatter, chunks, warnings };
}
