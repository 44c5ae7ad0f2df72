import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkMarkdown, MAX_CHUNK_CHARS, type Chunk } from '../../../src/core/runbooks/chunk.js';
import { splitFrontMatter } from '../../../src/core/runbooks/front-matter.js';
import { MINI_RUNBOOKS } from '../../helpers/cli.js';

/** The exact lines a chunk cites, read back from the source. */
const cited = (source: string, c: Chunk) => source.split('\n').slice(c.startLine - 1, c.endLine).join('\n').trimEnd();
const byHeading = (chunks: Chunk[], last: string) => chunks.filter((c) => c.headingPath[c.headingPath.length - 1] === last);

describe('chunkMarkdown', () => {
  const doc = [
    '# Disk full', //                         1
    '', //                                    2
    'Intro paragraph.', //                    3
    '', //                                    4
    '## Remediation', //                      5
    '', //                                    6
    '### Roll back', //                       7
    '', //                                    8
    '1. Revert the deploy.', //               9
    '2. Watch the graphs.', //               10
    '', //                                   11
    '## Verification', //                    12
    '', //                                   13
    'Disk usage below 80%.', //              14
  ].join('\n');

  it('keeps the heading path as a breadcrumb, without the H1 that is the title', () => {
    const { title, chunks } = chunkMarkdown('disk.md', doc);
    expect(title).toBe('Disk full');
    expect(chunks.map((c) => c.headingPath)).toEqual([[], ['Remediation', 'Roll back'], ['Verification']]);
    // "## Remediation" alone has no content of its own and is not a chunk.
    expect(byHeading(chunks, 'Remediation')).toEqual([]);
  });

  it('gives exact 1-based line ranges whose lines are the chunk text', () => {
    const { chunks } = chunkMarkdown('disk.md', doc);
    const rollBack = byHeading(chunks, 'Roll back')[0];
    expect([rollBack.startLine, rollBack.endLine]).toEqual([7, 10]);
    for (const c of chunks) expect(cited(doc, c)).toBe(c.text);
  });

  it('attaches file and title to every chunk', () => {
    const { chunks } = chunkMarkdown('ops/disk.md', doc);
    for (const c of chunks) expect([c.file, c.title]).toEqual(['ops/disk.md', 'Disk full']);
  });

  it('keeps content before the first heading as its own chunk', () => {
    const { chunks } = chunkMarkdown('x.md', 'Read this first.\n\n# Title\n\n## A\n\nBody.\n');
    expect(chunks[0]).toMatchObject({ headingPath: [], startLine: 1, endLine: 1, text: 'Read this first.' });
  });

  it('ignores "headings" inside code fences', () => {
    const src = '# T\n\n## Steps\n\n```bash\n# not a heading\nrm -rf /tmp/cache\n```\n\n## After\n\nDone.\n';
    const { chunks } = chunkMarkdown('x.md', src);
    expect(chunks.map((c) => c.headingPath)).toEqual([['Steps'], ['After']]);
    expect(chunks[0].text).toContain('# not a heading');
  });

  it('understands setext headings', () => {
    const src = 'Runbook title\n=============\n\nCheck things\n------------\n\nLook at the graphs.\n';
    const { title, chunks } = chunkMarkdown('x.md', src);
    expect(title).toBe('Runbook title');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ headingPath: ['Check things'], startLine: 4, endLine: 7 });
  });

  it('never splits a code block, even one longer than the chunk limit', () => {
    const code = Array.from({ length: 120 }, (_, i) => `echo "line ${i} of a very long script that keeps going"`);
    const src = ['# T', '', '## Script', '', 'Run it:', '', '```bash', ...code, '```', '', 'Then check.'].join('\n');
    const { chunks } = chunkMarkdown('x.md', src);
    const withFence = chunks.filter((c) => c.text.includes('```'));
    expect(withFence).toHaveLength(1);
    expect(withFence[0].text.split('```')).toHaveLength(3); // opening and closing fence in the same chunk
    expect(withFence[0].text.length).toBeGreaterThan(MAX_CHUNK_CHARS);
    for (const c of chunks) expect(cited(src, c)).toBe(c.text);
  });

  it('splits a long section on block boundaries, every part under the same heading', () => {
    const paras = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}: ${'the service is slow because of many things '.repeat(4).trim()}.`);
    const src = ['# T', '', '## Long', '', ...paras.flatMap((p) => [p, ''])].join('\n');
    const { chunks } = chunkMarkdown('x.md', src);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.headingPath).toEqual(['Long']);
      expect(c.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(cited(src, c)).toBe(c.text);
      // Each part starts and ends on a whole paragraph.
      expect(c.text.split('\n').filter((l) => l.startsWith('Paragraph')).every((l) => paras.includes(l))).toBe(true);
    }
    const all = chunks.flatMap((c) => c.text.split('\n').filter((l) => l.startsWith('Paragraph')));
    expect(all).toEqual(paras);
  });

  it('parses front matter title, tags, service and alarms, keeping file line numbers', () => {
    const src = readFileSync(join(MINI_RUNBOOKS, 'redis-memory-eviction.md'), 'utf8');
    const parsed = chunkMarkdown('redis-memory-eviction.md', src);
    expect(parsed.title).toBe('Redis evicting keys under memory pressure');
    expect(parsed.frontMatter).toMatchObject({ service: 'redis', tags: ['redis', 'elasticache', 'cache', 'memory', 'eviction'], alarms: ['Redis-Evictions-High'] });
    expect(parsed.warnings).toEqual([]);
    for (const c of parsed.chunks) expect(cited(src, c)).toBe(c.text);
    expect(parsed.chunks.some((c) => c.text.includes('title:'))).toBe(false);
  });

  it('warns about broken front matter and still indexes the document', () => {
    const src = '---\ntitle: [unclosed\ntags: a, b\n---\n\n# Real title\n\n## Step\n\nDo it.\n';
    const parsed = chunkMarkdown('x.md', src);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatch(/front matter is not valid YAML.*indexed without it/);
    expect(parsed.title).toBe('Real title');
    expect(parsed.chunks.map((c) => c.headingPath)).toEqual([['Step']]);
    expect(parsed.chunks[0].startLine).toBe(8);
  });

  it('falls back to the file name for the title', () => {
    expect(chunkMarkdown('ops/disk-space_full.md', '## A\n\nb\n').title).toBe('disk space full');
    expect(chunkMarkdown('a/b/rds-cpu.markdown', 'text\n').title).toBe('rds cpu');
  });

  it('returns no chunks for an empty document', () => {
    expect(chunkMarkdown('x.md', '').chunks).toEqual([]);
  });
});

describe('splitFrontMatter', () => {
  it('accepts comma-separated tags and a "..." terminator', () => {
    const r = splitFrontMatter('---\ntags: a, b ,c\nalarms: X\n...\nbody\n');
    expect(r.frontMatter.tags).toEqual(['a', 'b', 'c']);
    expect(r.frontMatter.alarms).toEqual(['X']);
    expect(r.body.split('\n')[4]).toBe('body');
  });

  it('warns when the front matter is not a mapping', () => {
    expect(splitFrontMatter('---\n- a\n- b\n---\n').warning).toMatch(/not a YAML mapping/);
  });

  it('keeps unknown keys in extra', () => {
    expect(splitFrontMatter('---\nseverity: high\n---\n').frontMatter.extra).toEqual({ severity: 'high' });
  });
});
