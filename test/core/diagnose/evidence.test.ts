import { describe, expect, it } from 'vitest';
import { collectEvidence, parseLines, validateEvidence, type KeptRef } from '../../../src/core/diagnose/evidence.js';
import { extractJson, validateDiagnosis } from '../../../src/core/diagnose/llm.js';

const ref = (n: number, text: string, score = 0.2, reason = 'rare', source = 'build.log'): KeptRef => ({ source, n, text, score, reason });
const refs: KeptRef[] = [
  ref(10, 'npm run build'),
  ref(11, "Error: Cannot find module 'left-pad'", 0.8, 'error'),
  ref(12, '    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)', 0.7, 'stack'),
  ref(13, '    at require (node:internal/modules/helpers:177:18)', 0.7, 'stack'),
  ref(40, 'Process completed with exit code 1.'),
  ref(3, 'connection refused', 0.6, 'error', 'db.log'),
];

describe('collectEvidence', () => {
  it('quotes the matching line with the stack lines after it, as a line range', () => {
    const ev = collectEvidence(refs, 'dependency');
    expect(ev[0]).toEqual({ source: 'build.log', lines: '11-13', text: refs.slice(1, 4).map((r) => r.text).join('\n') });
    expect(ev.map((e) => `${e.source}:${e.lines}`)).toContain('db.log:3-3');
  });
  it('finds nothing in a clean log', () => {
    expect(collectEvidence([ref(1, 'INFO started', 0.1, 'first'), ref(2, 'INFO GET /healthz 200', 0.05, 'context')], 'unknown')).toEqual([]);
  });
  it('finds lines that state an error on their own when reduce scored nothing (the whole log fit: reason "all")', () => {
    const all = [
      ref(1, '#5 [internal] load metadata for docker.io/library/node:20-alpine', 0, 'all'),
      ref(2, '#5 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/": something odd', 0, 'all'),
      ref(3, 'step 4/9 done', 0, 'all'),
      ref(4, 'upload failed: connection lost', 0, 'all'),
      ref(5, '##[error]Process completed with exit code 1.', 0, 'all'),
    ];
    expect(collectEvidence(all, 'unknown').map((e) => e.lines).sort()).toEqual(['2-2', '4-4', '5-5']);
    expect(collectEvidence([ref(1, 'INFO started', 0, 'all'), ref(2, 'INFO GET /healthz 200 1ms', 0, 'all')], 'unknown')).toEqual([]);
  });
});

describe('parseLines', () => {
  it.each([
    ['12', [12, 12]],
    ['12-15', [12, 15]],
    ['L12-L15', [12, 15]],
    [' 7 – 9 ', [7, 9]],
    ['15-12', undefined],
    ['0', undefined],
    ['line twelve', undefined],
    [undefined, undefined],
  ])('%s', (input, want) => expect(parseLines(input)).toEqual(want));
});

describe('validateEvidence: every item must point at kept lines', () => {
  const table: Array<{ item: Record<string, unknown>; ok: boolean; reason?: RegExp }> = [
    { item: { source: 'build.log', lines: '11-12', text: "Cannot find module 'left-pad'" }, ok: true },
    { item: { source: 'build.log', lines: '11', text: '' }, ok: true },
    { item: { source: 'db.log', lines: '3-3', text: 'CONNECTION   refused' }, ok: true },
    { item: { source: 'other.log', lines: '11', text: 'x' }, ok: false, reason: /not one of the inputs/ },
    { item: { source: 'build.log', lines: '25', text: 'Segmentation fault' }, ok: false, reason: /line 25 was not among the kept lines/ },
    { item: { source: 'build.log', lines: '13-14', text: 'at require' }, ok: false, reason: /line 14/ },
    { item: { source: 'build.log', lines: '11', text: 'Error: Cannot find module express' }, ok: false, reason: /does not match/ },
    { item: { source: 'build.log', lines: 'eleven', text: '' }, ok: false, reason: /not a line range/ },
  ];
  it.each(table)('$item.source:$item.lines "$item.text" → ok $ok', ({ item, ok, reason }) => {
    const { valid, rejected } = validateEvidence([item], refs);
    expect(valid.length).toBe(ok ? 1 : 0);
    if (ok) expect(valid[0].text).toContain(refs.find((r) => r.source === item.source && `${r.n}` === String(item.lines).split('-')[0])!.text);
    else expect(rejected[0].reason).toMatch(reason!);
  });
  it('ignores a non-list', () => expect(validateEvidence('nope', refs)).toEqual({ valid: [], rejected: [] }));
});

describe('LLM replies', () => {
  it('extracts the JSON object from prose and fences, braces inside strings included', () => {
    expect(extractJson('Sure!\n```json\n{"a": "x } y", "b": {"c": 1}}\n```\nanything else?')).toEqual({ a: 'x } y', b: { c: 1 } });
    expect(extractJson('no json here')).toBeUndefined();
    expect(extractJson('{"a": 1,')).toBeUndefined();
  });
  it('accepts a diagnosis, defaulting a bad severity and dropping invented evidence', () => {
    const out = validateDiagnosis(
      { root_cause: 'left-pad is not installed', fix: 'npm i left-pad', severity: 'urgent', components: ['left-pad', 3], next_steps: ['rebuild'], evidence: [{ source: 'build.log', lines: '11', text: 'Cannot find module' }, { source: 'build.log', lines: '99', text: 'made up' }] },
      refs,
    );
    expect(out?.diagnosis.severity).toBe('medium');
    expect(out?.diagnosis.components).toEqual(['left-pad']);
    expect(out?.diagnosis.evidence).toEqual([{ source: 'build.log', lines: '11-11', text: refs[1].text }]);
    expect(out?.rejected.map((r) => r.lines)).toEqual(['99']);
  });
  it('refuses a reply without root_cause or fix', () => {
    expect(validateDiagnosis({ root_cause: 'x' }, refs)).toBeUndefined();
    expect(validateDiagnosis([], refs)).toBeUndefined();
  });
});
