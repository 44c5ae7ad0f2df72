import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { markReviewed, readRunbook, refineRunbook, type RefineInput } from '../../../src/core/authoring/refine.js';
import { serializeDocument, splitDocument } from '../../../src/core/authoring/document.js';
import { lintRunbook } from '../../../src/core/authoring/lint.js';
import type { Clock } from '../../../src/core/ports.js';
import { BROKEN_BODY, GOOD_BODY } from './fixtures.js';

const ROOT = join(import.meta.dirname, '../../..');
const dirs = { templatesDir: join(ROOT, 'prompt-templates'), environmentsDir: join(ROOT, 'environments') };
const clock: Clock = { now: () => new Date('2025-03-02T09:30:00Z'), sleep: async () => {} };
const V1 = serializeDocument(
  { title: 'PostgreSQL connection leak', failure_mode: 'database connection leak', version: 1, generated_at: '2025-03-01T10:00:00.000Z', model: 'fake:gen', environment_file: 'environments/environment_database_connection_leak.json', tags: ['postgresql'], last_reviewed: '2025-03-01', service: 'orders' },
  GOOD_BODY,
);

function setup(content = V1, name = 'database-connection-leak.md'): RefineInput & { dir: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'opsctl-refine-'));
  const dir = join(cwd, 'runbooks');
  mkdirSync(dir);
  writeFileSync(join(dir, name), content);
  return { inputPath: join(dir, name), feedback: 'Add a step for idle in transaction sessions.', dirs, cwd, clock, dir };
}

const improved = GOOD_BODY.replace('## Remediation', '## Remediation\n\nTerminate idle-in-transaction sessions older than 10 minutes.');

describe('refineRunbook', () => {
  it('writes version 2 in place, keeps version 1 in .versions, keeps front matter', async () => {
    const s = setup();
    const llm = new FakeLlm([improved], { id: 'fake:ref' });
    const r = await refineRunbook(s, { llm });
    expect(r).toMatchObject({ path: s.inputPath, version: 2, repaired: false });
    expect(readFileSync(join(s.dir, '.versions/database-connection-leak.v1.md'), 'utf8')).toBe(V1);
    const now = readFileSync(s.inputPath, 'utf8');
    expect(lintRunbook(now)).toEqual([]);
    expect(now).toContain('Terminate idle-in-transaction sessions');
    expect(splitDocument(now).frontMatter).toMatchObject({ title: 'PostgreSQL connection leak', version: 2, service: 'orders', model: 'fake:ref', generated_at: '2025-03-01T10:00:00.000Z', refined_at: '2025-03-02T09:30:00.000Z', last_reviewed: null });
    const prompt = llm.requests[0].messages[0].content;
    expect(prompt).toContain('Add a step for idle in transaction sessions.');
    expect(prompt).toContain('## Escalation\n\nPage the DBA on-call');
    expect(prompt).not.toContain('generated_at');
    expect(readFileSync(r.promptFile, 'utf8')).toBe(prompt);
    expect(r.promptFile).toMatch(/\.prompts\/database-connection-leak\.v2\.prompt\.txt$/);
  });

  it('chains versions and never loses one, even when an archive name is taken by other content', async () => {
    const s = setup();
    mkdirSync(join(s.dir, '.versions'));
    writeFileSync(join(s.dir, '.versions/database-connection-leak.v1.md'), 'someone else\'s v1\n');
    const llm = new FakeLlm([improved, improved + '\nMore.\n']);
    await refineRunbook(s, { llm });
    const r2 = await refineRunbook({ ...s, feedback: 'more' }, { llm });
    expect(r2.version).toBe(3);
    expect(readdirSync(join(s.dir, '.versions')).sort()).toEqual(['database-connection-leak.v1-2.md', 'database-connection-leak.v1.md', 'database-connection-leak.v2.md']);
    expect(readFileSync(join(s.dir, '.versions/database-connection-leak.v1-2.md'), 'utf8')).toBe(V1);
    expect(readFileSync(join(s.dir, '.versions/database-connection-leak.v1.md'), 'utf8')).toBe('someone else\'s v1\n');
  });

  it('repairs once through lint, like generate', async () => {
    const s = setup();
    const r = await refineRunbook(s, { llm: new FakeLlm([BROKEN_BODY, improved]) });
    expect(r.repaired).toBe(true);
    expect(lintRunbook(readFileSync(s.inputPath, 'utf8'))).toEqual([]);
  });

  it('an LLM failure leaves the runbook and its history untouched', async () => {
    const s = setup();
    await expect(refineRunbook(s, { llm: new FakeLlm([new Error('boom')]) })).rejects.toMatchObject({ code: 'llm' });
    expect(readFileSync(s.inputPath, 'utf8')).toBe(V1);
    expect(existsSync(join(s.dir, '.versions'))).toBe(false);
  });

  it('--output-dir writes the new version elsewhere, keeping the input as it is', async () => {
    const s = setup();
    const out = join(s.cwd, 'reviewed');
    const r = await refineRunbook({ ...s, outputDir: out }, { llm: new FakeLlm([improved]) });
    expect(r.path).toBe(join(out, 'database-connection-leak.md'));
    expect(readFileSync(s.inputPath, 'utf8')).toBe(V1);
    expect(existsSync(join(out, '.versions/database-connection-leak.v1.md'))).toBe(true);
  });

  it('a hand-written runbook without front matter counts as version 1 and gets a failure mode from its name', async () => {
    const s = setup(GOOD_BODY, 'rabbitmq-queue-backlog.md');
    const llm = new FakeLlm([improved]);
    const r = await refineRunbook(s, { llm });
    expect(r.version).toBe(2);
    expect(splitDocument(readFileSync(r.path, 'utf8')).frontMatter).toMatchObject({ title: 'PostgreSQL connection leak in orders-service', failure_mode: 'rabbitmq queue backlog', tags: expect.arrayContaining(['rabbitmq', 'dlq']) });
    expect(llm.requests[0].messages[0].content).toContain('"rabbitmq queue backlog"');
    expect(llm.requests[0].messages[0].content).toContain('Amazon MQ for RabbitMQ 3.12.13');
  });

  it.each([
    ['not Markdown by extension', 'notes.txt', GOOD_BODY, /is not a Markdown file/],
    ['binary content', 'x.md', 'PK\u0003\u0004\u0000\u0000binary', /does not look like a Markdown runbook/],
    ['no headings', 'x.md', 'just a sentence\n', /does not look like a Markdown runbook/],
    ['broken front matter', 'x.md', '---\ntitle: [x\n---\n# T\n', /x\.md:\d+: front matter is invalid/],
  ])('input that is not a runbook: %s', (_n, name, content, message) => {
    const s = setup(content, name);
    expect(() => readRunbook(s.inputPath)).toThrow(message);
  });

  it('empty feedback is a usage error', async () => {
    await expect(refineRunbook({ ...setup(), feedback: '  ' }, { llm: new FakeLlm([]) })).rejects.toMatchObject({ code: 'usage' });
  });

  it('a known mode missing its refinement template is an error that names the file', async () => {
    const s = setup();
    const t = join(s.cwd, 't');
    mkdirSync(t);
    writeFileSync(join(t, 'database_connection_leak_initial.txt'), '{{failure_mode}} {{environment}}');
    await expect(refineRunbook({ ...s, dirs: { ...dirs, templatesDir: t } }, { llm: new FakeLlm([]) })).rejects.toThrow(/database_connection_leak_refinement\.txt is missing/);
  });

  it('accepting marks the runbook reviewed today without a new version', () => {
    const s = setup();
    markReviewed(s.inputPath, clock);
    const fm = splitDocument(readFileSync(s.inputPath, 'utf8')).frontMatter;
    expect(fm).toMatchObject({ last_reviewed: '2025-03-02', version: 1 });
  });
});
