import { parse as parseYaml } from 'yaml';

/** Front matter fields opsctl uses; anything else is kept in `extra`. */
export interface FrontMatter {
  title?: string;
  service?: string;
  tags: string[];
  alarms: string[];
  extra: Record<string, unknown>;
}

export interface FrontMatterResult {
  frontMatter: FrontMatter;
  /** The document with the front matter lines blanked, so line numbers stay those of the file. */
  body: string;
  warning?: string;
}

const EMPTY: FrontMatter = { tags: [], alarms: [], extra: {} };

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/**
 * Splits `---` YAML front matter off a Markdown document. Broken YAML is not fatal: the file is still indexed,
 * without its front matter, and a warning says where.
 */
export function splitFrontMatter(source: string): FrontMatterResult {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source);
  if (!m) return { frontMatter: { ...EMPTY, extra: {} }, body: source };
  const block = m[0];
  const blank = block.replace(/[^\n]/g, '');
  const body = blank + source.slice(block.length);
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return { frontMatter: { ...EMPTY, extra: {} }, body, warning: `front matter is not valid YAML${line ? ` (line ${line + 1})` : ''}; indexed without it` };
  }
  if (data === null || data === undefined) return { frontMatter: { ...EMPTY, extra: {} }, body };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { frontMatter: { ...EMPTY, extra: {} }, body, warning: 'front matter is not a YAML mapping; indexed without it' };
  }
  const { title, service, tags, alarms, ...extra } = data as Record<string, unknown>;
  return {
    frontMatter: {
      title: typeof title === 'string' && title.trim() ? title.trim() : undefined,
      service: typeof service === 'string' ? service : undefined,
      tags: strings(tags),
      alarms: strings(alarms),
      extra,
    },
    body,
  };
}
