import { describe, expect, it } from 'vitest';
import { extractMarkdown, hasOpenFence } from '../../../src/core/authoring/extract.js';
import { diffLines, diffStats, foldDiff } from '../../../src/core/authoring/diff.js';

const BODY = '# T\n\n## Detection\n\n```bash\ndf -h\n```';

describe('extractMarkdown', () => {
  it.each([
    ['plain Markdown', BODY, BODY],
    ['wrapped in ```markdown', '```markdown\n' + BODY + '\n```', BODY],
    ['wrapped in a bare fence', '```\n' + BODY + '\n```\n', BODY],
    ['wrapped in a longer fence', '````md\n' + BODY + '\n````', BODY],
    ['chatter before a wrapping fence', 'Here is your runbook:\n\n```markdown\n' + BODY + '\n```\nHope it helps!', BODY],
    ['chatter before the title', 'Sure! Here it is.\n\n' + BODY, BODY],
    ['front matter invented by the model is dropped', '---\ntitle: x\n---\n' + BODY, BODY],
    ['CRLF line endings', BODY.replace(/\n/g, '\r\n'), BODY],
  ])('%s', (_n, answer, body) => {
    expect(extractMarkdown(answer, 'm')).toBe(body);
  });

  it.each([
    ['empty', '   \n', 'm returned an empty answer'],
    ['only front matter', '---\ntitle: x\n---\n', 'm returned no runbook text'],
    ['truncated inside a code block', '# T\n\n```bash\nkubectl get', "m's answer looks truncated: a code block is never closed"],
    ['wrapping fence never closed', '```markdown\n# T\n\nsome text', "m's answer looks truncated"],
  ])('error: %s', (_n, answer, message) => {
    expect(() => extractMarkdown(answer, 'm')).toThrow(message);
  });

  it.each([
    ['```bash\nls\n```', false],
    ['```bash\nls\n', true],
    ['~~~\n```\n~~~', false],
    ['````\n```\n```', true],
  ])('hasOpenFence(%j) = %s', (text, open) => {
    expect(hasOpenFence(text)).toBe(open);
  });
});

describe('diff', () => {
  it('finds added and removed lines around common ones', () => {
    const d = diffLines('a\nb\nc', 'a\nB\nc\nd');
    expect(d).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'add', text: 'B' },
      { kind: 'same', text: 'c' },
      { kind: 'add', text: 'd' },
    ]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });

  it('folds unchanged runs beyond the context into gaps', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    const folded = foldDiff(diffLines(before, after), 1);
    expect(folded[0]).toEqual({ kind: 'gap', count: 9 });
    expect(folded.filter((l) => l.kind !== 'gap').map((l) => ('text' in l ? l.text : ''))).toEqual(['l9', 'l10', 'L10', 'l11']);
    expect(folded[folded.length - 1]).toEqual({ kind: 'gap', count: 8 });
  });

  it('identical texts have no changes', () => {
    expect(diffStats(diffLines(BODY, BODY))).toEqual({ added: 0, removed: 0 });
  });
});
