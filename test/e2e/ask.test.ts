import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskJsonV1 } from '../../src/output/ask-json.js';
import { DEFAULTS } from '../../src/config/schema.js';
import { MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-ask-');
afterAll(() => tmp.cleanup());

let cwd = '';
let firstRun: { code: number; json: AskJsonV1; stderr: string };

beforeAll(async () => {
  cwd = await tmp.withCopy(MINI_RUNBOOKS);
  const r = await runOpsctl(['ask', 'Redis is evicting keys, memory almost full', '--json'], { cwd });
  firstRun = { code: r.code, json: JSON.parse(r.stdout) as AskJsonV1, stderr: r.stderr };
});

const linesOf = (file: string, start: number, end: number) => readFileSync(join(cwd, file), 'utf8').split('\n').slice(start - 1, end).join('\n').trimEnd();

describe('ask', () => {
  it('builds the index itself on the first run', () => {
    expect(firstRun.code).toBe(0);
    expect(firstRun.json.index).toMatchObject({ files: 6, updated: true, embedder: expect.stringMatching(/^lsa-/) });
    expect(firstRun.json.index.sections).toBeGreaterThan(6);
    expect(existsSync(join(cwd, '.opsctl', 'CURRENT'))).toBe(true);
    // --json keeps stderr quiet: nothing but data on stdout, nothing on stderr.
    expect(firstRun.stderr).toBe('');
  });

  it('prints the documented opsctl.ask/v1 shape', () => {
    const j = firstRun.json;
    expect(j).toMatchObject({ schema: 'opsctl.ask/v1', query: 'Redis is evicting keys, memory almost full', answered: true, minScore: DEFAULTS.minScore });
    expect(j.bestRelevance).toBeGreaterThanOrEqual(j.minScore);
    // --json keeps every hit ranked above the last shown one; the ones past their file's limit say `collapsed`.
    const shown = j.hits.filter((h) => !h.collapsed);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(5);
    expect(j.hits.at(-1)!.collapsed).toBe(false);
    j.hits.forEach((h, i) => {
      expect(h).toEqual({
        rank: i + 1,
        file: expect.stringMatching(/^runbooks\/[\w/-]+\.md$/),
        startLine: expect.any(Number),
        endLine: expect.any(Number),
        headingPath: expect.any(Array),
        title: expect.any(String),
        citation: `${h.file}:${h.startLine}-${h.endLine}${h.headingPath.map((p) => ` › ${p}`).join('')}`,
        score: expect.any(Number),
        relevance: expect.any(Number),
        why: { matchedTerms: expect.any(Array), lexical: expect.any(Number), dense: expect.any(Number) },
        text: expect.any(String),
        alsoIn: [],
        collapsed: expect.any(Boolean),
      });
      expect(h.endLine).toBeGreaterThanOrEqual(h.startLine);
    });
    const scores = j.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(j.hits[0].file).toBe('runbooks/redis-memory-eviction.md');
    expect(j.hits[0].why.matchedTerms.length).toBeGreaterThan(0);
    // The Redis runbook's five sections all rank first: two are shown, the other three collapsed, and the rest of the
    // first screen goes to other runbooks.
    const perFile = new Map<string, number>();
    for (const h of shown) perFile.set(h.file, (perFile.get(h.file) ?? 0) + 1);
    expect(Math.max(...perFile.values())).toBeLessThanOrEqual(2);
    expect(perFile.size).toBeGreaterThan(1);
    const collapsed = j.hits.filter((h) => h.collapsed);
    expect(collapsed.filter((h) => h.file === 'runbooks/redis-memory-eviction.md')).toHaveLength(3);
    for (const h of collapsed) expect(shown.filter((s) => s.file === h.file)).toHaveLength(2);
  });

  it('cites line ranges that really contain the section text', () => {
    for (const h of firstRun.json.hits) expect(linesOf(h.file, h.startLine, h.endLine)).toBe(h.text);
  });

  it('answers in plain text off a TTY: citation, why, actionable part, no escape codes', async () => {
    const r = await runOpsctl(['ask', 'kafka consumer lag keeps growing', '--top', '2'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toMatch(/^2 runbook sections for: kafka consumer lag keeps growing\n/);
    expect(r.stdout).toMatch(/\[1\] runbooks\/kafka-consumer-lag\.md:\d+-\d+( › .+)?\n {4}why: words "kafka"/);
    expect(r.stdout).not.toMatch(/\[3\]/);
    expect(r.stderr).toBe(''); // the index was already up to date
  });

  it('shows at most 2 sections per runbook, the rest as "more in this file"; --per-file 0 shows them all', async () => {
    const q = 'Redis is evicting keys, memory almost full';
    const r = await runOpsctl(['ask', q], { cwd });
    expect(r.code).toBe(0);
    const cites = [...r.stdout.matchAll(/^\[\d\] runbooks\/([\w-]+)\.md/gm)].map((m) => m[1]);
    expect(cites.slice(0, 2)).toEqual(['redis-memory-eviction', 'redis-memory-eviction']);
    expect(cites.filter((c) => c === 'redis-memory-eviction')).toHaveLength(2);
    expect(r.stdout).toMatch(/\n {3}\+ 3 more in this file: [^\n]*\(\d+-\d+\)[^\n]*\n\n\[3\] runbooks\/(?!redis)/);
    // "why" names the words as the question wrote them, not their stems ("evict").
    expect(r.stdout).toMatch(/why: words "Redis", "evicting", "keys", "memory"/);
    const all = await runOpsctl(['ask', q, '--per-file', '0'], { cwd });
    expect([...all.stdout.matchAll(/^\[\d\] runbooks\/([\w-]+)\.md/gm)].map((m) => m[1])).toEqual(Array(5).fill('redis-memory-eviction'));
    expect(all.stdout).not.toContain('more in this file');
  });

  it('refuses a --per-file that is not a whole number, exit 2', async () => {
    const r = await runOpsctl(['ask', 'redis evictions', '--per-file', '-1'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--per-file must be a whole number ≥ 0 (got -1)');
  });

  it('says plainly that no runbook covers an off-topic question, exit 3', async () => {
    const json = await runOpsctl(['ask', 'how do I bake sourdough bread', '--json'], { cwd });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ answered: false, hits: [] });
    const text = await runOpsctl(['ask', 'how do I bake sourdough bread'], { cwd });
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(new RegExp(`^No runbook covers this \\(best relevance \\d\\.\\d\\d is below ${DEFAULTS.minScore.toFixed(2).replace('.', '\\.')}\\)\\.`));
    expect(text.stdout).not.toContain('\x1b');
  });

  it('finds a newly added runbook on the next ask, without an explicit index', async () => {
    writeFileSync(
      join(cwd, 'runbooks', 'sqs-dlq.md'),
      '# SQS dead-letter queue filling up\n\n## Remediation\n\n1. Inspect a message: `aws sqs receive-message --queue-url "$DLQ_URL"`.\n2. Redrive after the fix: `aws sqs start-message-move-task --source-arn "$DLQ_ARN"`.\n',
    );
    const r = await runOpsctl(['ask', 'SQS dead-letter queue redrive', '--json'], { cwd });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as AskJsonV1;
    expect(j.index.updated).toBe(true);
    expect(j.hits[0]).toMatchObject({ file: 'runbooks/sqs-dlq.md', headingPath: ['Remediation'], startLine: 3, endLine: 6 });
  });

  it('cites runbooks outside the working directory by absolute path', async () => {
    const elsewhere = await tmp.make();
    const r = await runOpsctl(['ask', 'certificate expiry', '--runbooks', join(cwd, 'runbooks'), '--index-dir', join(elsewhere, 'ix'), '--json'], { cwd: elsewhere });
    expect(r.code).toBe(0);
    const hit = (JSON.parse(r.stdout) as AskJsonV1).hits[0];
    expect(hit.file).toBe(join(cwd, 'runbooks', 'tls-certificate-expiry.md'));
    expect(readFileSync(hit.file, 'utf8').split('\n').slice(hit.startLine - 1, hit.endLine).join('\n').trimEnd()).toBe(hit.text);
  });
});
