import { existsSync, mkdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/schema.js';
import { hitAt, reciprocalRank } from '../../src/core/eval/metrics.js';
import type { EvalJsonV1 } from '../../src/output/eval-json.js';
import { runOpsctl, tempDirs } from '../helpers/cli.js';
import { OllamaTestServer } from '../helpers/ollama-server.js';
import { extractiveAnswer } from '../../src/core/eval/extractive-answer.js';
import type { ChatMessage } from '../../src/core/ports.js';

const FIXTURE = resolve('test/fixtures/eval-corpus');
const tmp = tempDirs('opsctl-eval-');
afterAll(() => tmp.cleanup());

let cwd = '';
let report: EvalJsonV1;
let jsonRun: { code: number; stderr: string };

const evalJson = async (args: string[]) => {
  const r = await runOpsctl(['eval', ...args, '--json'], { cwd });
  return { ...r, json: r.code === 0 || r.code === 12 ? (JSON.parse(r.stdout) as EvalJsonV1) : undefined };
};
const byId = (j: EvalJsonV1, id: string) => j.cases.find((c) => c.id === id)!;

beforeAll(async () => {
  cwd = join(await tmp.withCopy(FIXTURE, 'project'), 'project');
  const r = await evalJson(['cases.yaml']);
  jsonRun = r;
  report = r.json!;
});

describe('opsctl eval --json', () => {
  it('prints the opsctl.eval/v1 report and nothing on stderr', () => {
    expect(jsonRun.code).toBe(0);
    expect(jsonRun.stderr).toBe('');
    expect(report).toMatchObject({ schema: 'opsctl.eval/v1', runbooks: 'runbooks', caseFiles: ['cases.yaml'], settings: { topK: DEFAULTS.topK, minScore: DEFAULTS.minScore, rankDepth: 50, llm: null } });
    expect(report.index.files).toBe(3);
    expect(report.cases.map((c) => c.id)).toEqual(['redis-oom', 'cert-expired', 'kafka-lag', 'refuse-lunch', 'redis-alarm']);
  });

  it('uses a temporary index and leaves nothing in the project', () => {
    expect(existsSync(join(cwd, '.opsctl'))).toBe(false);
  });

  it('finds the runbook each easy question names, and refuses the lunch question', () => {
    for (const id of ['redis-oom', 'cert-expired', 'kafka-lag', 'redis-alarm']) expect(byId(report, id).fileRank, id).toBe(1);
    expect(byId(report, 'refuse-lunch')).toMatchObject({ mustRefuse: true, refused: true, fileRank: null, citations: { total: 0 } });
    // The alarm case is searched with the words ask --alarm would use.
    expect(byId(report, 'redis-alarm').query).toContain('DatabaseMemoryUsagePercentage');
  });

  it('reports required terms found and missing in the retrieved sections', () => {
    expect(byId(report, 'kafka-lag').requiredTerms).toEqual({ found: ['kafka-consumer-groups'], missing: ['a term that is nowhere'] });
    expect(report.summary.requiredTermCoverage).toBeLessThan(1);
    expect(report.summary.requiredTermMisses).toBeGreaterThanOrEqual(1);
  });

  it('checks every shown citation against the files', () => {
    const shown = report.cases.filter((c) => !c.refused);
    expect(shown.every((c) => c.citations.total > 0)).toBe(true);
    expect(report.summary.citations).toEqual({ total: shown.reduce((n, c) => n + c.citations.total, 0), valid: shown.reduce((n, c) => n + c.citations.total, 0), validity: 1 });
  });

  it('has a summary consistent with its own per-case ranks', () => {
    const answerable = report.cases.filter((c) => !c.mustRefuse);
    const avg = (f: (r: number) => number, key: 'fileRank' | 'sectionRank') => answerable.reduce((s, c) => s + f(c[key] ?? 0), 0) / answerable.length;
    expect(report.summary.files.recallAt5).toBeCloseTo(avg((r) => hitAt(r, 5), 'fileRank'), 12);
    expect(report.summary.files.mrrAt10).toBeCloseTo(avg((r) => reciprocalRank(r, 10), 'fileRank'), 12);
    expect(report.summary.sections.recallAt1).toBeCloseTo(avg((r) => hitAt(r, 1), 'sectionRank'), 12);
    expect(report.summary.refusal).toMatchObject({ mustRefuse: 1, correct: 1, recall: 1 });
    expect(report.summary.latencyMs.p95).toBeGreaterThanOrEqual(report.summary.latencyMs.p50!);
  });
});

describe('opsctl eval (text)', () => {
  it('lists cases with problems and the summary; eval/*.yaml is the default', async () => {
    mkdirSync(join(cwd, 'eval'), { recursive: true });
    copyFileSync(join(cwd, 'cases.yaml'), join(cwd, 'eval', 'fixture.yaml'));
    const r = await runOpsctl(['eval'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('opsctl eval: 5 cases (4 answerable, 1 must refuse) against runbooks (3 files');
    expect(r.stdout).toMatch(/✗ kafka-lag[^\n]*\n\s+missing terms: a term that is nowhere/);
    expect(r.stdout).toMatch(/Summary\n[^\n]*R@1[^\n]*\n\s+files\s+1\.000\s+1\.000\s+1\.000/);
    expect(r.stdout).toContain('refusals             precision 1.000, recall 1.000');
    expect(r.stderr).toContain('opsctl eval: indexing runbooks and running 5 cases');
  });

  it('lists every case with --verbose', async () => {
    const r = await runOpsctl(['eval', 'cases.yaml', '--verbose'], { cwd });
    expect(r.stdout).toMatch(/✓ refuse-lunch\s+refused/);
    expect(r.stdout).not.toContain('passed every check');
  });
});

describe('gates', () => {
  it('exits 0 when every threshold is met, at the measured values themselves', async () => {
    const s = report.summary;
    const r = await runOpsctl(['eval', 'cases.yaml', '--min-recall-at-1', String(s.files.recallAt1), '--min-recall-at-5', String(s.files.recallAt5), '--min-mrr', String(s.files.mrrAt10), '--min-refusal-recall', '1', '--max-p95-ms', '60000'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Gates\n\s+✓ --min-recall-at-1 1: 1\.000\n/);
    expect(r.stderr).not.toContain('gate failed');
  });

  it('exits 12 and names each failed gate when retrieval misses', async () => {
    writeFileSync(join(cwd, 'miss.yaml'), 'cases:\n  - id: wrong-runbook\n    question: redis is out of memory and evicting keys\n    expect:\n      files: [kafka-consumer-lag.md]\n');
    const r = await evalJson(['miss.yaml', '--min-recall-at-1', '1', '--min-faithfulness', '0.5', '--max-p95-ms', '60000']);
    expect(r.code).toBe(12);
    expect(r.json!.gates.map((g) => [g.gate, g.pass])).toEqual([['--min-recall-at-1', false], ['--min-faithfulness', false], ['--max-p95-ms', true]]);
    expect(r.stderr).toContain('opsctl eval: gate failed: files.recallAt1 = 0, --min-recall-at-1 1');
    expect(r.stderr).toContain('opsctl eval: gate failed: llm.faithfulness was not measured, --min-faithfulness 0.5');
  });

  it('rejects a threshold outside [0, 1] as a usage error', async () => {
    const r = await runOpsctl(['eval', 'cases.yaml', '--min-recall-at-5', '90'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--min-recall-at-5 must be a number between 0 and 1 (got "90")');
  });
});

describe('--save and --compare', () => {
  it('saves a report and prints deltas against it', async () => {
    const saved = await runOpsctl(['eval', 'cases.yaml', '--save', 'base.json'], { cwd });
    expect(saved.code).toBe(0);
    const base = JSON.parse(readFileSync(join(cwd, 'base.json'), 'utf8')) as EvalJsonV1;
    expect(base.schema).toBe('opsctl.eval/v1');
    // Same cases plus one that misses: recall@1 drops from the saved value.
    writeFileSync(join(cwd, 'more.yaml'), 'cases:\n  - id: wrong-runbook\n    question: redis is out of memory and evicting keys\n    expect:\n      files: [kafka-consumer-lag.md]\n');
    const text = await runOpsctl(['eval', 'cases.yaml', 'more.yaml', '--compare', 'base.json'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Compared with base.json');
    expect(text.stdout).toMatch(/files\.recallAt1\s+1\.000 →\s+0\.800\s+-0\.200\s+worse/);
    const j = await evalJson(['cases.yaml', 'more.yaml', '--compare', 'base.json']);
    const d = j.json!.comparison!.deltas.find((x) => x.metric === 'files.recallAt1')!;
    expect(d).toMatchObject({ previous: base.summary.files.recallAt1, change: 'worse' });
    expect(d.delta).toBeCloseTo(0.8 - base.summary.files.recallAt1!, 12);
  });

  it('refuses a --compare file that is not a report', async () => {
    const r = await runOpsctl(['eval', 'cases.yaml', '--compare', 'cases.yaml'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('cannot read the previous report cases.yaml');
  });
});

describe('--llm fake', () => {
  it('judges generated answers: faithful, cited, and no LLM call for refused questions', async () => {
    const r = await evalJson(['cases.yaml', '--llm', 'fake']);
    expect(r.code).toBe(0);
    const j = r.json!;
    expect(j.settings.llm).toBe('fake:extractive');
    // The extractive fake copies sentences from the sections it cites, so every claim is supported.
    expect(j.summary.llm).toMatchObject({ faithfulness: 1, citations: { validity: 1 }, refusal: { recall: 1 } });
    expect(byId(j, 'refuse-lunch').llm).toMatchObject({ refused: true, faithfulness: null });
    expect(byId(j, 'redis-oom').llm!.answer).toMatch(/\[1\]/);
  });
});

describe('--dataset', () => {
  it('runs the dev-set protocol on a JSON Lines query file', async () => {
    const r = await evalJson(['--dataset', 'runbooks', '--queries', 'queries.jsonl']);
    expect(r.code).toBe(0);
    const j = r.json!;
    expect(j.cases.map((c) => c.id)).toEqual(['queries.jsonl:1', 'queries.jsonl:2', 'queries.jsonl:3']);
    expect(j.summary.files.n).toBe(3);
    expect(j.summary.refusal.mustRefuse).toBe(0);
  });

  it('keeps the index in --index-dir when given', async () => {
    const r = await evalJson(['--dataset', 'runbooks', '--queries', 'queries.jsonl', '--index-dir', 'idx']);
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'idx', 'CURRENT'))).toBe(true);
  });

  it('scores sections by expected_heading (inline Markdown ignored, stacked headings by also_relevant_headings), per source, without the root README; unused keys: one warning', async () => {
    const sections = resolve('test/fixtures/eval-sections');
    const r = await runOpsctl(['eval', '--dataset', sections, '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('opsctl eval: ignoring keys eval does not use: anchor, note\n');
    const j = JSON.parse(r.stdout) as EvalJsonV1;
    expect(j.index.files).toBe(2); // the two playbooks; the dataset's README is not part of the corpus
    expect(j.cases.map((c) => [c.group, c.fileRank, c.sectionRank === 1])).toEqual([
      ['storage', 1, true],
      ['storage', 1, true], // expects `DiskReadLatencyHigh`, written in backticks
      ['storage', 1, true],
      ['messaging', 1, true], // QueueBacklogGrowing is stacked on QueueConsumersMissing
      ['messaging', 1, false], // the right file, the wrong section (on purpose, see the fixture's README)
    ]);
    expect(j.summary.files).toMatchObject({ n: 5, recallAt1: 1 });
    expect(j.summary.sections).toMatchObject({ n: 5, recallAt1: 0.8 });
    expect(j.summary.bySource).toEqual({
      messaging: { files: expect.objectContaining({ n: 2, recallAt1: 1 }), sections: expect.objectContaining({ n: 2, recallAt1: 0.5 }) },
      storage: { files: expect.objectContaining({ n: 3, recallAt1: 1 }), sections: expect.objectContaining({ n: 3, recallAt1: 1 }) },
    });
    const text = await runOpsctl(['eval', '--dataset', sections], { cwd });
    expect(text.stdout).toMatch(/\n {2}messaging sections +0\.500 +0\.500 +0\.500 +\(2\)\n/);
  });

  it('does not take both --dataset and --runbooks', async () => {
    const r = await runOpsctl(['eval', '--dataset', 'runbooks', '--runbooks', 'runbooks'], { cwd });
    expect(r.code).toBe(2);
  });
});

describe('invalid cases exit 4 naming the file and case', () => {
  it.each([
    { file: 'bad/typo-key.yaml', msg: 'bad/typo-key.yaml: case "typo-one": unknown key "expect.file"' },
    { file: 'bad/missing-file.yaml', msg: 'bad/missing-file.yaml: case "wrong-path" expects kafka-lag.md, which is not indexed from' },
    { file: 'bad/missing-heading.yaml', msg: 'bad/missing-heading.yaml: case "wrong-heading" expects heading "Rollback", which no section of kafka-consumer-lag.md has' },
    { file: 'nope.yaml', msg: 'cannot read nope.yaml: no such file' },
  ])('$file', async ({ file, msg }) => {
    const r = await runOpsctl(['eval', file], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(msg);
    expect(r.stdout).toBe('');
  });
});

describe('--llm ollama (loopback server speaking the Ollama wire format)', () => {
  const ollama = new OllamaTestServer({ reply: (body) => extractiveAnswer({ messages: body.messages as ChatMessage[] }) });
  let host = '';
  beforeAll(async () => {
    host = await ollama.start();
  });
  afterAll(() => ollama.stop());

  it('asks the model once per answered case and judges its answers', async () => {
    const r = await runOpsctl(['eval', 'cases.yaml', '--llm', 'ollama', '--json'], { cwd, env: { OLLAMA_HOST: host } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as EvalJsonV1;
    expect(j.settings.llm).toBe('ollama:llama3.1');
    const answered = j.cases.filter((c) => !c.refused).length;
    expect(ollama.requests.filter((q) => q.path === '/api/chat')).toHaveLength(answered);
    expect(j.summary.llm).toMatchObject({ faithfulness: 1, citations: { validity: 1 } });
  });

  it('exits 6 when the backend is down', async () => {
    const down = new OllamaTestServer();
    const url = await down.start();
    await down.stop();
    const r = await runOpsctl(['eval', 'cases.yaml', '--llm', 'ollama'], { cwd, env: { OLLAMA_HOST: url } });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('the LLM failed during eval');
  });
});
