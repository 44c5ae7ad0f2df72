import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface SplitDocument {
  /** Parsed front matter, or undefined when the document has none. */
  frontMatter?: Record<string, unknown>;
  /** Why the front matter could not be read (YAML error, not a mapping), with its 1-based line. */
  frontMatterError?: { line: number; message: string };
  /** Number of lines the front matter block occupies (0 when absent), so body line n is file line n + offset. */
  lineOffset: number;
  body: string;
}

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits `---` YAML front matter off a Markdown document; never throws. */
export function splitDocument(source: string): SplitDocument {
  const m = FRONT_MATTER.exec(source);
  if (!m) return { lineOffset: 0, body: source };
  const lineOffset = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  const body = source.slice(m[0].length);
  let data: unknown;
  try {
    data = parseYaml(m[1] ?? '');
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line ?? 1;
    const message = (e as Error).message.split('\n')[0];
    return { frontMatterError: { line: line + 1, message }, lineOffset, body };
  }
  if (data === null || data === undefined) return { frontMatter: {}, lineOffset, body };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { frontMatterError: { line: 2, message: 'front matter is not a YAML mapping' }, lineOffset, body };
  }
  return { frontMatter: data as Record<string, unknown>, lineOffset, body };
}

/** Joins front matter and body into the file opsctl writes. */
export function serializeDocument(frontMatter: Record<string, unknown>, body: string): string {
  const yaml = stringifyYaml(frontMatter, { lineWidth: 0 });
  return `---\n${yaml}---\n\n${body.replace(/^\s*\n/, '').trimEnd()}\n`;
}

export interface GeneratedMeta {
  title: string;
  failureMode: string;
  version: number;
  generatedAt: Date;
  model: string;
  environmentFile: string;
  tags: string[];
}

/** The front matter of a freshly generated runbook, in a stable key order. */
export function buildFrontMatter(meta: GeneratedMeta): Record<string, unknown> {
  return {
    title: meta.title,
    failure_mode: meta.failureMode,
    version: meta.version,
    generated_at: meta.generatedAt.toISOString(),
    model: meta.model,
    environment_file: meta.environmentFile,
    tags: meta.tags,
    last_reviewed: null,
  };
}

/** The first `# ` heading of the body, else the failure mode in Title Case. */
export function deriveTitle(body: string, failureMode: string): string {
  let inFence = false;
  for (const line of body.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const m = !inFence && /^#\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) return m[1];
  }
  return failureMode.trim().replace(/\s+/g, ' ').replace(/(^|\s)(\p{Ll})/gu, (_m, s: string, c: string) => s + c.toUpperCase());
}

const STOPWORDS = new Set(['and', 'the', 'for', 'with', 'high', 'usage', 'errors', 'error', 'failures', 'failure', 'on']);

/** Tags: the significant words of the failure mode, then the environment's own tags, deduplicated. */
export function deriveTags(failureMode: string, extra: string[] = []): string[] {
  const words = failureMode.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !STOPWORDS.has(w));
  const tags = [...words, ...extra.map((t) => t.toLowerCase().trim()).filter(Boolean)];
  return [...new Set(tags)];
}

/** The version number in front matter; documents without one count as version 1. */
export function versionOf(frontMatter: Record<string, unknown> | undefined): number {
  const v = frontMatter?.version;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
