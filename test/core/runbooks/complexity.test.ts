import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../../src/core/runbooks/chunk.js';
import { MAX_DELIMITERS, MAX_NESTED_LIST_WORK, MAX_SETEXT, tooComplex } from '../../../src/core/runbooks/complexity.js';
import { readRunbook } from '../../../src/core/runbooks/corpus.js';
import { updateIndex } from '../../../src/core/runbooks/indexer.js';
import { hnswFactory } from '../../../src/providers/vector/hnsw.js';
import { BUNDLED_RUNBOOKS, MINI_RUNBOOKS, tempDirs } from '../../helpers/cli.js';

// Shapes the Markdown parser takes quadratic time on are measured in one linear pass and skipped with a reason.
// No test here measures time: on the code before this check, the first test needed minutes (122 s + 84 s + 30 s
// in the parser), far past its timeout, and no file was ever skipped.

const tmp = tempDirs('opsctl-complex-');
afterAll(() => tmp.cleanup());

const setext = (n: number) => Array.from({ length: n }, (_, i) => `Heading ${i}\n=========\n`).join('\n');
const emphasis = (depth: number) => `${'*_'.repeat(depth)}x${'_*'.repeat(depth)}\n`;
/** About `bytes` of a list nested up to `depth` levels, then back out, again and again. */
function nestedList(bytes: number, depth = 60): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const level = i % (2 * depth) < depth ? i % depth : depth - (i % depth) - 1;
    const line = `${'  '.repeat(level)}- item ${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile Markdown is skipped as too complex, before the parser sees it', () => {
  it('10,000 setext headings, *_ nested 20,000 deep, a 1 MB nested list: skipped with the reason; the rest indexed', { timeout: 300_000 }, async () => {
    const dir = await tmp.withCopy(MINI_RUNBOOKS);
    const root = join(dir, 'runbooks');
    writeFileSync(join(root, 'setext.md'), setext(10_000));
    writeFileSync(join(root, 'emphasis.md'), emphasis(20_000));
    writeFileSync(join(root, 'list.md'), nestedList(1024 * 1024 - 100));
    const r = await updateIndex({ root, indexDir: join(dir, '.opsctl'), embedder: { kind: 'lsa' }, vectors: hnswFactory, lock: { pid: 1, isAlive: () => false }, now: () => new Date() });
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'setext.md': 'too complex to parse: 10,000 setext headings > 1,000',
      'emphasis.md': 'too complex to parse: 80,000 emphasis delimiters (* and _) in one paragraph > 4,000',
      'list.md': expect.stringMatching(/^too complex to parse: nested lists too deep and long \(work [\d,]+ > 10,000\)$/),
    });
    expect(r.files).toBe(readdirSync(MINI_RUNBOOKS).length);
  });

  it('readRunbook says why', async () => {
    const dir = await tmp.make();
    writeFileSync(join(dir, 'a.md'), setext(MAX_SETEXT + 1));
    expect(readRunbook(dir, 'a.md')).toEqual({ error: `too complex to parse: 1,001 setext headings > 1,000` });
  });

  it('no real runbook comes near a limit (bundled runbooks and test fixtures)', () => {
    const files = [BUNDLED_RUNBOOKS, MINI_RUNBOOKS].flatMap((d) => readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => join(d, f)));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(tooComplex(readFileSync(f, 'utf8')), f).toBeUndefined();
  });

  it('code fences are not Markdown: a SQL dump full of * and ---- under a line is fine', () => {
    const code = `\`\`\`\n${'SELECT * FROM t; -- *_*_\nrow\n----\n'.repeat(3_000)}\`\`\`\n`;
    expect(tooComplex(code)).toBeUndefined();
  });
});

// Building blocks of Markdown, hostile ones included; each generated document stays small (bounded work per case).
const block = fc.oneof(
  fc.constantFrom('# Title', '## Section', 'Some text with `code` and a [link](http://x).', '', '---', '===', '> quote', '    indented code', '```', '~~~', '- item', '  - nested', '    - deeper', '1. step', '*_*_x_*_*', '**bold** _em_', '<div>', '| a | b |', '\t- tab item'),
  fc.string({ maxLength: 30 }),
  fc.tuple(fc.constantFrom('*', '_', '-', '=', '>', ' ', '[', ']', '`', '#'), fc.integer({ min: 1, max: 60 })).map(([c, n]) => c.repeat(n)),
);

describe('property: any Markdown is either skipped as too complex or chunked into exact, ordered line ranges', () => {
  it('300 random documents', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 200 }), (blocks) => {
        const text = blocks.join('\n');
        if (tooComplex(text)) return;
        const doc = chunkMarkdown('x.md', text);
        const lines = text.split('\n');
        let last = 0;
        for (const c of doc.chunks) {
          expect(c.startLine).toBeGreaterThanOrEqual(1);
          expect(c.endLine).toBeGreaterThanOrEqual(c.startLine);
          expect(c.startLine).toBeGreaterThan(last);
          last = c.endLine;
          expect(c.text.trim()).not.toBe('');
          // Line numbers count from the start of the file (front matter included), the text is those lines.
          expect(lines.slice(c.startLine - 1, c.endLine).join('\n').includes(c.text.split('\n')[0])).toBe(true);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('the counts behind each limit are exact: one past the limit is skipped, at the limit it is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 5 }), fc.constantFrom('setext', 'emphasis', 'list'), (delta, kind) => {
        let text: string;
        let over: boolean;
        if (kind === 'setext') {
          text = setext(MAX_SETEXT + delta);
          over = delta > 0;
        } else if (kind === 'emphasis') {
          text = `${'*'.repeat(MAX_DELIMITERS + delta)}\n`;
          over = delta > 0;
        } else {
          // One top-level item, then items one level down: each nested item is one unit of work.
          text = `- top\n${'  - sub\n'.repeat(MAX_NESTED_LIST_WORK + delta)}`;
          over = delta > 0;
        }
        expect(tooComplex(text) !== undefined).toBe(over);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
