import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { toString } from 'mdast-util-to-string';
import type { Code, Heading, Root, RootContent } from 'mdast';
import { splitDocument } from './document.js';

export interface LintProblem {
  line: number;
  /** Stable rule id, e.g. "section-verification", for --json consumers. */
  rule: string;
  message: string;
}

/**
 * The sections every runbook needs. A heading (level 2 or deeper) counts when its text, after any numbering
 * such as "1." or "Step 2:", STARTS with one of the words: "## Mitigation" counts as Remediation,
 * "### Roll back the deploy" as Rollback, but "### Confirm the spike" does not count as Verification.
 */
export const REQUIRED_SECTIONS: Array<{ id: string; name: string; words: string[] }> = [
  { id: 'detection', name: 'Detection', words: ['detection', 'detecting', 'symptoms', 'alerts', 'alerting', 'signals'] },
  { id: 'investigation', name: 'Investigation', words: ['investigation', 'investigating', 'diagnosis', 'diagnostics', 'triage', 'troubleshooting'] },
  { id: 'remediation', name: 'Remediation', words: ['remediation', 'mitigation', 'resolution', 'recovery'] },
  { id: 'verification', name: 'Verification', words: ['verification', 'verifying', 'verify', 'validation'] },
  { id: 'escalation', name: 'Escalation or Rollback', words: ['escalation', 'escalate', 'rollback', 'roll back', 'rolling back'] },
];

/** Fence languages that hold data or output rather than something to run. */
const NON_COMMAND_LANGS = new Set(['json', 'yaml', 'yml', 'text', 'txt', 'plaintext', 'log', 'output', 'csv', 'xml', 'toml', 'ini', 'diff', 'markdown', 'md']);

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** Normalised heading text: lower case, numbering and leading punctuation removed. */
export function headingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\s*(step\s+)?\d+(\.\d+)*[.):]?\s*/, '')
    .replace(/^[^a-z0-9]+/, '')
    .trim();
}

/** Which required section a heading text stands for, if any. */
export function sectionOf(text: string): string | undefined {
  const key = headingKey(text);
  for (const s of REQUIRED_SECTIONS) {
    if (s.words.some((w) => key === w || key.startsWith(`${w} `) || key.startsWith(`${w}:`) || key.startsWith(`${w},`))) return s.id;
  }
  return undefined;
}

function commandLines(code: Code): string[] {
  return code.value.split('\n').map((l) => l.trim()).filter((l) => l && !/^(#|--|\/\/)/.test(l));
}

/**
 * Lints one runbook: front matter with title and tags, the five required sections with content, at least one
 * fenced code block holding a command, and no unclosed fence. Problems carry 1-based file line numbers.
 */
export function lintRunbook(source: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const doc = splitDocument(source);
  if (doc.frontMatterError) {
    problems.push({ line: doc.frontMatterError.line, rule: 'front-matter', message: `front matter is invalid: ${doc.frontMatterError.message}` });
  } else if (!doc.frontMatter) {
    problems.push({ line: 1, rule: 'front-matter', message: 'missing front matter (a --- block with title and tags)' });
  } else {
    const fm = doc.frontMatter;
    const lineOfKey = (key: string) => {
      const idx = source.split('\n').findIndex((l) => l.startsWith(`${key}:`));
      return idx >= 0 ? idx + 1 : 1;
    };
    if (typeof fm.title !== 'string' || !fm.title.trim()) problems.push({ line: lineOfKey('title'), rule: 'front-matter-title', message: 'front matter has no title' });
    const tags = fm.tags;
    const tagList = Array.isArray(tags) ? tags : typeof tags === 'string' ? tags.split(',').filter((t) => t.trim()) : [];
    if (tagList.length === 0) problems.push({ line: lineOfKey('tags'), rule: 'front-matter-tags', message: 'front matter has no tags' });
  }

  const lines = source.split('\n');
  const tree = parser.parse(source) as Root;
  const nodes: RootContent[] = tree.children.filter((n) => n.type !== 'yaml');
  const bodyStart = doc.lineOffset + 1;
  const found = new Map<string, Heading>();
  let hasCommand = false;
  nodes.forEach((node, i) => {
    if (node.type === 'heading' && node.depth >= 2) {
      const id = sectionOf(toString(node));
      if (!id) return;
      if (!found.has(id)) found.set(id, node);
      const next = nodes.slice(i + 1);
      const end = next.findIndex((n) => n.type === 'heading' && n.depth <= node.depth);
      const content = (end < 0 ? next : next.slice(0, end)).filter((n) => n.type !== 'heading');
      if (content.length === 0) problems.push({ line: node.position?.start.line ?? bodyStart, rule: 'section-empty', message: `section "${toString(node)}" is empty` });
    }
  });
  for (const code of collectCode(tree)) {
    const start = code.position?.start.line ?? 1;
    const end = code.position?.end.line ?? start;
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(lines[start - 1] ?? '');
    if (!opener) continue; // indented code: not a fenced block
    const closer = lines[end - 1] ?? '';
    const closed = end > start && new RegExp(`^\\s{0,3}${opener[1][0] === '`' ? '`' : '~'}{${opener[1].length},}\\s*$`).test(closer);
    if (!closed) problems.push({ line: start, rule: 'unclosed-fence', message: 'code block is never closed (truncated?)' });
    const lang = (code.lang ?? '').toLowerCase();
    if (!NON_COMMAND_LANGS.has(lang) && commandLines(code).length > 0) hasCommand = true;
  }
  const anchor = nodes.find((n) => n.type === 'heading' && n.depth === 1)?.position?.start.line ?? bodyStart;
  for (const s of REQUIRED_SECTIONS) {
    if (!found.has(s.id)) problems.push({ line: anchor, rule: `section-${s.id}`, message: `missing section: ${s.name} (a "## ${s.name.split(' ')[0]}" heading)` });
  }
  if (!hasCommand) problems.push({ line: anchor, rule: 'code-command', message: 'no fenced code block with a command (```bash ... ```)' });
  return problems.sort((a, b) => a.line - b.line);
}

function collectCode(node: Root | RootContent): Code[] {
  if (node.type === 'code') return [node];
  return 'children' in node ? (node.children as RootContent[]).flatMap(collectCode) : [];
}
