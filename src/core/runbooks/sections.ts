import type { ParsedRunbook } from './chunk.js';
import { sha1 } from './corpus.js';
import type { FieldText } from './lexical.js';
import type { StoredSection } from './store.js';

/** "disk-space_exhaustion.md" → "disk space exhaustion". */
export function titleFromFileName(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.replace(/\.(md|markdown)$/i, '').replace(/[-_.]+/g, ' ').trim();
}

/** What the weighted "title" field says about a source file: its name, title and front matter. */
function metaOf(p: ParsedRunbook): string {
  const fm = p.frontMatter;
  return [titleFromFileName(p.file), p.title, fm.service ?? '', fm.tags.join(' '), fm.alarms.join(' ')].join(' ');
}

/**
 * Replaces every section sourced from `changed` files with the chunks of their new content. Identical chunks
 * (same text) share one section with several sources. Returns the labels that need a vector.
 */
export function mergeSections(
  sections: Array<StoredSection | null>,
  removedFiles: Set<string>,
  parsed: ParsedRunbook[],
): { sections: Array<StoredSection | null>; added: number[]; dropped: number[] } {
  const out = sections.map((s) => (s ? { ...s, sources: s.sources.filter((src) => !removedFiles.has(src.file)) } : null));
  const dropped: number[] = [];
  out.forEach((s, i) => {
    if (s && !s.sources.length) {
      out[i] = null;
      dropped.push(i);
    }
  });
  const byHash = new Map<string, StoredSection>();
  for (const s of out) if (s) byHash.set(s.hash, s);
  const added: number[] = [];
  for (const p of parsed) {
    const fileMeta = metaOf(p);
    for (const c of p.chunks) {
      // Stacked alert names are, like front matter `alarms`, what this part of the page answers.
      const meta = c.aliases ? `${fileMeta} ${c.aliases.join(' ')}` : fileMeta;
      const hash = sha1(c.text);
      const source = { file: c.file, startLine: c.startLine, endLine: c.endLine, headingPath: c.headingPath };
      const existing = byHash.get(hash);
      if (existing) {
        existing.sources.push(source);
        if (!existing.meta.includes(meta)) existing.meta += ` ${meta}`;
        if (c.aliases) existing.aliases = [...new Set([...(existing.aliases ?? []), ...c.aliases])];
        continue;
      }
      const label = out.length;
      const s: StoredSection = { label, hash, title: c.title, headingPath: c.headingPath, text: c.text, sources: [source], meta, ...(c.aliases ? { aliases: c.aliases } : {}) };
      out.push(s);
      byHash.set(hash, s);
      added.push(label);
    }
  }
  // A section whose meta changed only because a twin was added keeps its vector: meta is a lexical field.
  return { sections: out, added, dropped };
}

/**
 * Headings written inside a section's text that its heading path does not name: empty headings stacked over the
 * section's body (see chunk.ts), which name what the body answers as much as its own heading does.
 */
export function stackedHeadings(s: StoredSection): string[] {
  const own = new Set(s.headingPath);
  const out: string[] = [];
  for (const m of s.text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) if (!own.has(m[1])) out.push(m[1]);
  return out;
}

/** The three lexical fields of a section (empty for a removed one, so doc numbers stay labels). */
export function fieldsOf(s: StoredSection | null): FieldText {
  if (!s) return { title: '', heading: '', body: '' };
  return { title: `${s.title} ${s.meta}`, heading: [...s.headingPath, ...otherNames(s)].join(' '), body: s.text };
}

/** The names a section answers to besides its heading path: stacked headings in its text and those over its part. */
export function otherNames(s: StoredSection): string[] {
  return [...new Set([...stackedHeadings(s), ...(s.aliases ?? [])])];
}

/** The text a dense embedder sees: file name, title and heading path give a short section its context. */
export function embeddingText(s: StoredSection): string {
  return `${s.meta}\n${[...(s.aliases ?? []), ...s.headingPath].join(' > ')}\n${s.text}`;
}

