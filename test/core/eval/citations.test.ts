import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCitation, fileLineReader } from '../../../src/core/eval/citations.js';
import { judgeWithLlm } from '../../../src/core/eval/llm-judge.js';
import { extractiveAnswer } from '../../../src/core/eval/extractive-answer.js';
import { buildGroundedPrompt, NOT_COVERED } from '../../../src/core/answer/prompt.js';
import type { Hit } from '../../../src/core/runbooks/search.js';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { EXIT, OpsctlError } from '../../../src/core/errors.js';

const root = mkdtempSync(join(tmpdir(), 'opsctl-eval-cite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'sub'));
const FILE = ['# Disk full', '', '## Investigation', '', 'Run `df -h` on the host and find', 'the largest directory.', '', '## Remediation', '', 'Rotate the logs with logrotate.'];
writeFileSync(join(root, 'sub/disk.md'), `${FILE.join('\n')}\n`);
const read = fileLineReader(root);

describe('checkCitation', () => {
  it.each([
    { name: 'exact range', c: { file: 'sub/disk.md', startLine: 3, endLine: 6, text: '## Investigation\n\nRun `df -h` on the host and find\nthe largest directory.' }, valid: true },
    { name: 're-wrapped text inside a wider range', c: { file: 'sub/disk.md', startLine: 1, endLine: 10, text: 'find the largest   directory.' }, valid: true },
    { name: 'missing file', c: { file: 'sub/nope.md', startLine: 1, endLine: 1, text: 'x' }, valid: false, reason: 'file does not exist' },
    { name: 'range past the end', c: { file: 'sub/disk.md', startLine: 8, endLine: 40, text: 'Rotate' }, valid: false, reason: 'line range outside the file (11 lines)' },
    { name: 'reversed range', c: { file: 'sub/disk.md', startLine: 5, endLine: 4, text: 'Run' }, valid: false, reason: 'line range outside the file (11 lines)' },
    { name: 'text not in those lines', c: { file: 'sub/disk.md', startLine: 3, endLine: 6, text: 'Rotate the logs with logrotate.' }, valid: false, reason: 'the lines do not contain the cited text' },
    { name: 'path escaping the root', c: { file: '../etc/passwd', startLine: 1, endLine: 1, text: 'root' }, valid: false, reason: 'file does not exist' },
  ])('$name', ({ c, valid, reason }) => {
    const r = checkCitation(c, read);
    expect(r.valid).toBe(valid);
    expect(r.reason).toBe(reason);
    expect(r.citation).toBe(`${c.file}:${c.startLine}-${c.endLine}`);
  });
});

function hit(startLine: number, endLine: number, headingPath: string[]): Hit {
  const text = FILE.slice(startLine - 1, endLine).join('\n');
  return {
    section: { label: startLine, hash: '', title: 'Disk full', headingPath, text, sources: [{ file: 'sub/disk.md', startLine, endLine, headingPath }], meta: '' },
    score: 1,
    files: [{ file: 'sub/disk.md', score: 1 }],
    relevance: 1,
    lexical: 1,
    dense: 1,
    matched: [],
  };
}
const hits = [hit(3, 6, ['Investigation']), hit(8, 10, ['Remediation'])];

describe('judgeWithLlm', () => {
  it('scores a grounded answer: all supported, citations valid, terms found', async () => {
    const llm = new FakeLlm('Run `df -h` on the host to find the largest directory [1]. Rotate the logs with logrotate [2].');
    const j = await judgeWithLlm({ llm, question: 'disk full', hits, noMatch: false, requiredTerms: ['df -h', 'logrotate', 'ncdu'], read });
    expect(j).toMatchObject({ refused: false, faithfulness: 1 });
    expect(j.citations).toEqual([
      { citation: '[1] sub/disk.md:3-6', valid: true },
      { citation: '[2] sub/disk.md:8-10', valid: true },
    ]);
    expect(j.terms).toEqual({ found: ['df -h', 'logrotate'], missing: ['ncdu'], share: 2 / 3 });
    // The model saw the grounded prompt for exactly these sections.
    expect(llm.requests[0].messages[1].content).toContain('<section n="2" source="sub/disk.md:8-10 › Remediation">');
  });

  it('counts unsupported sentences and citations of sections it was not given', async () => {
    // Sentence 1 is supported by [1]; sentence 2 cites [2] but is about something else; [5] does not exist.
    const llm = new FakeLlm('Run `df -h` on the host to find the largest directory [1]. Failover the primary database cluster immediately [2][5].');
    const j = await judgeWithLlm({ llm, question: 'disk full', hits, noMatch: false, requiredTerms: [], read });
    expect(j.faithfulness).toBe(0.5);
    expect(j.citations.map((c) => [c.citation, c.valid])).toEqual([
      ['[1] sub/disk.md:3-6', true],
      ['[2] sub/disk.md:8-10', true],
      ['[5]', false],
    ]);
  });

  it('treats the refusal sentence as a refusal with no faithfulness score', async () => {
    const j = await judgeWithLlm({ llm: new FakeLlm(NOT_COVERED), question: 'payroll', hits, noMatch: false, requiredTerms: ['x'], read });
    expect(j).toMatchObject({ refused: true, faithfulness: null, citations: [] });
  });

  it('does not call the LLM when retrieval refused, like ask', async () => {
    const llm = new FakeLlm([]);
    const j = await judgeWithLlm({ llm, question: 'payroll', hits, noMatch: true, requiredTerms: [], read });
    expect(j).toMatchObject({ answer: NOT_COVERED, refused: true });
    expect(llm.requests).toHaveLength(0);
  });
});

describe('judgeWithLlm failures', () => {
  it('stops the eval with an LLM error (exit 6) instead of judging a missing answer', async () => {
    const llm = new FakeLlm([new OpsctlError('llm', 'Ollama is not running at http://127.0.0.1:11434')]);
    const err = await judgeWithLlm({ llm, question: 'disk full', hits, noMatch: false, requiredTerms: [], read }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsctlError);
    expect((err as OpsctlError).exitCode).toBe(EXIT.LLM);
    expect((err as OpsctlError).message).toBe('the LLM failed during eval: Ollama is not running at http://127.0.0.1:11434');
  });
});

describe('extractiveAnswer (the --llm fake)', () => {
  it('cites the first prose sentence of the first two sections', () => {
    const messages = buildGroundedPrompt('disk full', [
      { n: 1, citation: 'a', text: hits[0].section.text },
      { n: 2, citation: 'b', text: hits[1].section.text },
    ]);
    expect(extractiveAnswer({ messages })).toBe('Run `df -h` on the host and find [1]. Rotate the logs with logrotate [2].');
  });

  it('refuses when the prompt has no sections', () => {
    expect(extractiveAnswer({ messages: buildGroundedPrompt('q', []) })).toBe(NOT_COVERED);
  });
});
