import { describe, expect, it } from 'vitest';
import type { Hit, SearchResult } from '../../src/core/runbooks/search.js';
import { askText } from '../../src/output/ask-text.js';
import { actionableFirst, citation, displayRoot } from '../../src/output/sections.js';

function hit(text: string, file = 'disk.md', lines: [number, number] = [10, 20]): Hit {
  const src = { file, startLine: lines[0], endLine: lines[1], headingPath: ['Remediation', 'Clean up'] };
  return {
    section: { label: 0, hash: 'h', title: 'Disk full', headingPath: src.headingPath, text, sources: [src], meta: '' },
    score: 0.9, files: [{ file, score: 0.9 }], relevance: 0.8, lexical: 1, dense: 0.5, matched: ['disk'],
  };
}

describe('ask presenters', () => {
  it('cites paths relative to where the user stands, bare names inside the runbooks dir, absolute outside', () => {
    expect(displayRoot('/repo/runbooks', '/repo')).toBe('runbooks');
    expect(displayRoot('/repo/runbooks', '/repo/runbooks')).toBe('');
    expect(displayRoot('/repo/runbooks', '/elsewhere')).toBe('/repo/runbooks');
    const src = { file: 'disk.md', startLine: 3, endLine: 9, headingPath: ['Fix'] };
    expect(citation(src, '')).toBe('disk.md:3-9 › Fix');
    expect(citation(src, 'runbooks')).toBe('runbooks/disk.md:3-9 › Fix');
  });

  it('puts numbered steps and code blocks before the explanation, and drops the heading line', () => {
    const { actions, context } = actionableFirst('## Clean up\n\nWhy: logs fill the disk.\n\n1. Find them:\n2. Delete them.\n\n```bash\ndu -sh /var/log/*\n\n# keep this blank line inside the fence\n```');
    expect(actions).toEqual(['1. Find them:\n2. Delete them.', '```bash\ndu -sh /var/log/*\n\n# keep this blank line inside the fence\n```']);
    expect(context).toEqual(['Why: logs fill the disk.']);
  });

  it('drops a setext heading line too', () => {
    expect(actionableFirst('Clean up\n--------\n\nWhy: logs.').context).toEqual(['Why: logs.']);
  });

  it('shows the first hit in full and previews the others with a pointer to the rest', () => {
    const long = `## Clean up\n\n${Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')}`;
    const result: SearchResult = { query: 'disk full', hits: [hit(long), hit(long, 'other.md', [30, 52])], noMatch: false, best: 0.8 };
    const out = askText(result, 'runbooks', 0.3);
    expect(out).toMatch(/^2 runbook sections for: disk full\n\n\[1\] runbooks\/disk\.md:10-20 › Remediation › Clean up\n {4}why: words "disk"; meaning 0\.50; relevance 0\.80\n/);
    const [first, second] = out.split('[2] ');
    expect(first).toContain('line 19');
    expect(second).toContain('line 7');
    expect(second).not.toContain('line 8');
    expect(second).toContain('… 12 more lines in runbooks/other.md:30-52');
  });
});
