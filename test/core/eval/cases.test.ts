import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCases, parseJsonlCases, parseYamlCases } from '../../../src/core/eval/cases.js';
import { EXIT, OpsctlError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'opsctl-eval-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inputError(fn: () => unknown): OpsctlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OpsctlError);
    expect((e as OpsctlError).exitCode).toBe(EXIT.INPUT);
    return e as OpsctlError;
  }
  throw new Error('expected an input error');
}

describe('parseYamlCases', () => {
  it('normalises questions, alarms, headings, numeric terms and refusals', () => {
    const cases = parseYamlCases(
      [
        'cases:',
        '  - id: a',
        '    question: "  alb 502s  "',
        '    expect: { files: [alb-5xx.md, ecs.md], headings: [Investigation] }',
        '    required_terms: [target group, 504]',
        '  - id: b',
        '    alarm: { name: RDS-CPU-High, metricName: CPUUtilization, namespace: AWS/RDS }',
        '    expect: { files: rds-cpu-spike.md }',
        '  - id: c',
        '    alarm: Plain-Alarm-Name',
        '    question: and it is slow',
        '    expect: { files: [x.md] }',
        '  - id: r',
        '    question: payroll?',
        '    must_refuse: true',
      ].join('\n'),
      'eval/x.yaml',
    );
    expect(cases).toEqual([
      { id: 'a', source: 'eval/x.yaml', question: 'alb 502s', alarm: undefined, files: ['alb-5xx.md', 'ecs.md'], headings: ['Investigation'], requiredTerms: ['target group', '504'], mustRefuse: false },
      {
        id: 'b',
        source: 'eval/x.yaml',
        question: '',
        alarm: { name: 'RDS-CPU-High', metricName: 'CPUUtilization', namespace: 'AWS/RDS', description: undefined, stateReason: undefined, dimensions: [] },
        files: ['rds-cpu-spike.md'],
        headings: [],
        requiredTerms: [],
        mustRefuse: false,
      },
      { id: 'c', source: 'eval/x.yaml', question: 'and it is slow', alarm: { name: 'Plain-Alarm-Name', dimensions: [] }, files: ['x.md'], headings: [], requiredTerms: [], mustRefuse: false },
      { id: 'r', source: 'eval/x.yaml', question: 'payroll?', alarm: undefined, files: [], headings: [], requiredTerms: [], mustRefuse: true },
    ]);
  });

  it('accepts a bare list of cases', () => {
    expect(parseYamlCases('- id: a\n  question: q\n  expect: {files: [a.md]}\n', 'f.yaml').map((c) => c.id)).toEqual(['a']);
  });

  it.each([
    { name: 'missing id', yaml: 'cases:\n  - question: q\n    expect: {files: [a.md]}\n', msg: 'f.yaml: case #1: missing "id"' },
    { name: 'no question or alarm', yaml: 'cases:\n  - id: a1\n    expect: {files: [a.md]}\n', msg: 'f.yaml: case "a1": needs a "question" or an "alarm"' },
    { name: 'no expected files', yaml: 'cases:\n  - id: a2\n    question: q\n', msg: 'f.yaml: case "a2": needs expect.files (or must_refuse: true)' },
    { name: 'unknown key (typo)', yaml: 'cases:\n  - id: a3\n    question: q\n    required_term: [x]\n    expect: {files: [a.md]}\n', msg: 'f.yaml: case "a3": unknown key "required_term"' },
    { name: 'unknown expect key', yaml: 'cases:\n  - id: a4\n    question: q\n    expect: {file: [a.md]}\n', msg: 'f.yaml: case "a4": unknown key "expect.file"' },
    { name: 'must_refuse with files', yaml: 'cases:\n  - id: a5\n    question: q\n    must_refuse: true\n    expect: {files: [a.md]}\n', msg: 'f.yaml: case "a5": a must_refuse case cannot expect files' },
    { name: 'must_refuse not boolean', yaml: 'cases:\n  - id: a6\n    question: q\n    must_refuse: "yes"\n', msg: 'f.yaml: case "a6": "must_refuse" must be true or false' },
    { name: 'terms not strings', yaml: 'cases:\n  - id: a7\n    question: q\n    expect: {files: [a.md]}\n    required_terms: [{x: 1}]\n', msg: 'f.yaml: case "a7": required_terms must be a list of non-empty strings' },
    { name: 'alarm without name', yaml: 'cases:\n  - id: a8\n    alarm: {metricName: CPU}\n    expect: {files: [a.md]}\n', msg: 'f.yaml: case "a8": alarm must be an alarm name or a mapping with a name' },
    { name: 'no cases list', yaml: 'tests: []\n', msg: 'f.yaml: expected a mapping with a "cases" list' },
  ])('rejects $name, naming the file and case', ({ yaml, msg }) => {
    expect(inputError(() => parseYamlCases(yaml, 'f.yaml')).message).toContain(msg);
  });

  it('reports YAML syntax errors with the line', () => {
    const e = inputError(() => parseYamlCases('cases:\n  - id: a\n    question: "unterminated\n', 'f.yaml'));
    expect(e.message).toMatch(/^f\.yaml:\d+: invalid YAML/);
  });
});

describe('parseJsonlCases', () => {
  it('reads case lines and dev-set protocol lines alike, skipping blank lines', () => {
    const cases = parseJsonlCases(
      [
        '{"id": "j1", "question": "disk full", "expect": {"files": ["disk.md"]}, "required_terms": ["df -h"]}',
        '',
        '{"query": "pods OOMKilled", "expected": "k8s/oom.md", "also_relevant": ["k8s/memory.md"], "query_summary": "x"}',
      ].join('\n'),
      'q.jsonl',
    );
    expect(cases.map((c) => [c.id, c.question, c.files, c.requiredTerms])).toEqual([
      ['j1', 'disk full', ['disk.md'], ['df -h']],
      ['q.jsonl:3', 'pods OOMKilled', ['k8s/oom.md', 'k8s/memory.md'], []],
    ]);
  });

  it.each([
    { text: '{"id": "x", "question": "q"', msg: 'q.jsonl:1: invalid JSON' },
    { text: '{"id": "ok", "question": "q", "expect": {"files": ["a.md"]}}\n{"id": "bad", "question": 3, "expect": {"files": ["a.md"]}}', msg: 'q.jsonl: case "bad": "question" must be non-empty text' },
    { text: '{"query": "q"}', msg: 'q.jsonl: line 1: a dataset line needs "expected"' },
    { text: '[1, 2]', msg: 'q.jsonl: line 1: a case must be a mapping' },
  ])('rejects $msg', ({ text, msg }) => {
    expect(inputError(() => parseJsonlCases(text, 'q.jsonl')).message).toContain(msg);
  });
});

describe('loadCases', () => {
  it('chooses the parser by extension and keeps file order', () => {
    writeFileSync(join(dir, 'a.yaml'), 'cases:\n  - id: y1\n    question: q\n    expect: {files: [a.md]}\n');
    writeFileSync(join(dir, 'b.jsonl'), '{"id": "j1", "question": "q", "expect": {"files": ["b.md"]}}\n');
    const cases = loadCases([{ path: join(dir, 'a.yaml'), display: 'a.yaml' }, { path: join(dir, 'b.jsonl'), display: 'b.jsonl' }]);
    expect(cases.map((c) => `${c.source}/${c.id}`)).toEqual(['a.yaml/y1', 'b.jsonl/j1']);
  });

  it('rejects an id used twice, naming both files', () => {
    writeFileSync(join(dir, 'c.yaml'), 'cases:\n  - id: y1\n    question: other\n    expect: {files: [c.md]}\n');
    const e = inputError(() => loadCases([{ path: join(dir, 'a.yaml'), display: 'a.yaml' }, { path: join(dir, 'c.yaml'), display: 'c.yaml' }]));
    expect(e.message).toBe('c.yaml: case "y1" is defined twice (also in a.yaml)');
  });

  it('names a missing file', () => {
    expect(inputError(() => loadCases([{ path: join(dir, 'nope.yaml'), display: 'nope.yaml' }])).message).toBe('cannot read nope.yaml: no such file');
  });

  it('refuses an empty set of cases', () => {
    writeFileSync(join(dir, 'empty.yaml'), 'cases: []\n');
    expect(inputError(() => loadCases([{ path: join(dir, 'empty.yaml'), display: 'empty.yaml' }])).message).toBe('no eval cases found');
  });
});
