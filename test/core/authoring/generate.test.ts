import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeLlm } from '../../../src/providers/llm/fake.js';
import { generateRunbook, planGenerate, type GenerateInput } from '../../../src/core/authoring/generate.js';
import { splitDocument } from '../../../src/core/authoring/document.js';
import { lintRunbook } from '../../../src/core/authoring/lint.js';
import type { AuthoringEvent } from '../../../src/core/authoring/draft.js';
import type { Clock } from '../../../src/core/ports.js';
import { BROKEN_BODY, GOOD_BODY } from './fixtures.js';

const ROOT = join(import.meta.dirname, '../../..');
const dirs = { templatesDir: join(ROOT, 'prompt-templates'), environmentsDir: join(ROOT, 'environments') };
const clock: Clock = { now: () => new Date('2025-03-01T10:00:00Z'), sleep: async () => {} };

function input(over: Partial<GenerateInput> = {}): GenerateInput {
  const cwd = mkdtempSync(join(tmpdir(), 'opsctl-gen-'));
  return { failureMode: 'database connection leak', dirs, outputDir: join(cwd, 'runbooks'), force: false, cwd, clock, ...over };
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);

describe('generateRunbook', () => {
  it('writes a linted runbook with front matter and saves the exact prompt', async () => {
    const llm = new FakeLlm(['```markdown\n' + GOOD_BODY + '```\n'], { id: 'fake:gen' });
    const events: AuthoringEvent[] = [];
    const plan = planGenerate(input());
    const r = await generateRunbook(plan, { llm, onEvent: (e) => events.push(e) });
    expect(r).toMatchObject({ slug: 'database-connection-leak', version: 1, repaired: false, usedDefaultTemplate: false });
    const text = readFileSync(r.path, 'utf8');
    expect(lintRunbook(text)).toEqual([]);
    const fm = splitDocument(text).frontMatter!;
    expect(fm).toMatchObject({ title: 'PostgreSQL connection leak in orders-service', failure_mode: 'database connection leak', version: 1, generated_at: '2025-03-01T10:00:00.000Z', model: 'fake:gen', environment_file: join(ROOT, 'environments/environment_database_connection_leak.json'), last_reviewed: null });
    expect(fm.tags).toEqual(expect.arrayContaining(['database', 'connection', 'leak', 'hikaricp']));
    expect(text).not.toContain('```markdown');
    // The prompt on disk is byte for byte what the LLM was sent.
    expect(readFileSync(r.promptFile, 'utf8')).toBe(llm.requests[0].messages[0].content);
    expect(r.promptFile).toMatch(/\.prompts\/database-connection-leak\.v1\.prompt\.txt$/);
    expect(llm.requests[0].messages[0].content).toContain('HikariCP 5.1.0');
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(1);
    expect(files(plan.input.outputDir)).toEqual(['.prompts', '.prompts/database-connection-leak.v1.prompt.txt', 'database-connection-leak.md']);
  });

  it('repairs a draft that fails lint by sending the problems back once', async () => {
    const llm = new FakeLlm([BROKEN_BODY, GOOD_BODY]);
    const plan = planGenerate(input());
    const r = await generateRunbook(plan, { llm });
    expect(r.repaired).toBe(true);
    expect(llm.requests).toHaveLength(2);
    const repair = llm.requests[1].messages;
    expect(repair.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair[2].content).toContain('missing section: Verification');
    expect(repair[2].content).toContain('missing section: Escalation or Rollback');
    expect(lintRunbook(readFileSync(r.path, 'utf8'))).toEqual([]);
    expect(existsSync(join(plan.input.outputDir, '.prompts/database-connection-leak.v1.repair.prompt.txt'))).toBe(true);
  });

  it.each([
    ['still broken after the repair', [BROKEN_BODY, BROKEN_BODY], 'gate', /still fails lint after one repair \(missing section: Verification/],
    ['empty answer', ['  '], 'llm', /returned an empty answer/],
    ['truncated answer', ['# T\n\n## Detection\n\n```bash\nkubectl get po'], 'llm', /looks truncated/],
    ['LLM down', [new Error('connect ECONNREFUSED 127.0.0.1:11434')], 'llm', /fake failed: connect ECONNREFUSED/],
  ])('%s: error, nothing written', async (_n, script, code, message) => {
    const plan = planGenerate(input());
    const err = await generateRunbook(plan, { llm: new FakeLlm(script as Array<string | Error>) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(files(plan.input.outputDir)).toEqual([]);
  });

  it('refuses to overwrite without --force before spending LLM time', () => {
    const i = input();
    mkdirSync(i.outputDir, { recursive: true });
    writeFileSync(join(i.outputDir, 'database-connection-leak.md'), '# mine\n');
    expect(() => planGenerate(i)).toThrow(/runbooks\/database-connection-leak\.md already exists/);
  });

  it('--force keeps the replaced runbook in .versions and bumps the version', async () => {
    const i = input({ force: true });
    mkdirSync(i.outputDir, { recursive: true });
    const old = '---\ntitle: Old\nversion: 3\n---\n# Old\n';
    writeFileSync(join(i.outputDir, 'database-connection-leak.md'), old);
    const r = await generateRunbook(planGenerate(i), { llm: new FakeLlm([GOOD_BODY]) });
    expect(r.version).toBe(4);
    expect(readFileSync(r.archived!, 'utf8')).toBe(old);
    expect(r.archived).toMatch(/\.versions\/database-connection-leak\.v3\.md$/);
    expect(splitDocument(readFileSync(r.path, 'utf8')).frontMatter?.version).toBe(4);
  });

  it('an unknown mode uses the default templates and environment.json', () => {
    const plan = planGenerate(input({ failureMode: 'etcd split brain' }));
    expect(plan.template.isDefault).toBe(true);
    expect(plan.environment.path).toMatch(/environments\/environment\.json$/);
    expect(plan.target).toMatch(/etcd-split-brain\.md$/);
  });

  it('an output dir that cannot be created fails before the LLM is called', async () => {
    const i = input();
    // A regular file where a directory should be: fails even for root, unlike permission bits.
    writeFileSync(join(i.cwd, 'blocker'), '');
    const llm = new FakeLlm([GOOD_BODY]);
    const err = await generateRunbook(planGenerate({ ...i, outputDir: join(i.cwd, 'blocker', 'runbooks') }), { llm }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'input', message: expect.stringMatching(/cannot write to .*blocker\/runbooks \((ENOTDIR|EEXIST)\)/) });
    expect(llm.requests).toHaveLength(0);
  });
});
