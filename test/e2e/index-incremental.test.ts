import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkMarkdown } from '../../src/core/runbooks/chunk.js';
import { MINI_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-incr-');
afterAll(() => tmp.cleanup());

interface IndexJson {
  schema: string;
  files: number;
  sections: number;
  upToDate: boolean;
  added: string[];
  changed: string[];
  removed: string[];
  embedded: number;
  skipped: Array<{ path: string; reason: string }>;
  warnings: Array<{ file: string; message: string }>;
  embedder: string;
}

async function index(cwd: string, ...args: string[]): Promise<IndexJson> {
  const r = await runOpsctl(['index', 'runbooks', '--json', ...args], { cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as IndexJson;
}

async function ask(cwd: string, question: string) {
  const r = await runOpsctl(['ask', question, '--json'], { cwd });
  return { code: r.code, json: JSON.parse(r.stdout) as { answered: boolean; hits: Array<{ file: string; text: string; alsoIn: Array<{ file: string; startLine: number; endLine: number }> }> } };
}

const current = (cwd: string) => readFileSync(join(cwd, '.opsctl', 'CURRENT'), 'utf8');
const sectionsOf = (path: string) => new Set(chunkMarkdown('x.md', readFileSync(path, 'utf8')).chunks.map((c) => c.text)).size;

describe('incremental indexing', () => {
  it('indexes everything once, then does nothing when nothing changed', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const first = await index(cwd);
    expect(first.schema).toBe('opsctl.index/v1');
    expect(first.added).toHaveLength(6);
    expect(first.embedder).toMatch(/^lsa-\d+$/);
    expect(first.embedded).toBe(first.sections);
    const gen = current(cwd);

    const second = await index(cwd);
    expect(second).toMatchObject({ upToDate: true, added: [], changed: [], removed: [], embedded: 0, files: 6, sections: first.sections });
    expect(current(cwd)).toBe(gen);
  });

  it('does not re-embed a file that was only touched', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const first = await index(cwd);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(cwd, 'runbooks', 'kafka-consumer-lag.md'), later, later);
    const touched = await index(cwd);
    expect(touched).toMatchObject({ added: [], changed: [], removed: [], embedded: 0, sections: first.sections });
    // The new time is remembered: the next run is the cheap up-to-date check.
    expect((await index(cwd)).upToDate).toBe(true);
  });

  it('re-reads and re-embeds only the file that changed', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const first = await index(cwd);
    const file = join(cwd, 'runbooks', 'cron-job-missed.md');
    appendFileSync(file, '\n## Escalation\n\nPage the web platform team in #web-oncall.\n');
    const r = await index(cwd);
    expect(r.changed).toEqual(['cron-job-missed.md']);
    expect(r.added).toEqual([]);
    expect(r.embedded).toBe(sectionsOf(file));
    expect(r.embedded).toBeLessThan(r.sections);
    expect(r.sections).toBe(first.sections + 1);
    const { json } = await ask(cwd, 'page the web platform team on call escalation');
    expect(json.hits[0].text).toContain('#web-oncall');
  });

  it('removes a deleted file and its sections from the results', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const first = await index(cwd);
    const gone = join(cwd, 'runbooks', 'kafka-consumer-lag.md');
    const goneSections = sectionsOf(gone);
    expect((await ask(cwd, 'kafka consumer group lag')).json.hits[0].file).toBe('runbooks/kafka-consumer-lag.md');
    rmSync(gone);
    const r = await index(cwd);
    expect(r.removed).toEqual(['kafka-consumer-lag.md']);
    expect(r.sections).toBe(first.sections - goneSections);
    const after = await ask(cwd, 'kafka consumer group lag');
    expect(after.json.hits.map((h) => h.file)).not.toContain('runbooks/kafka-consumer-lag.md');
  });

  it('stores identical sections once and cites every source (alsoIn)', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const first = await index(cwd);
    mkdirSync(join(cwd, 'runbooks', 'team-b'));
    cpSync(join(cwd, 'runbooks', 'tls-certificate-expiry.md'), join(cwd, 'runbooks', 'team-b', 'cert-copy.md'));
    const r = await index(cwd);
    expect(r.added).toEqual(['team-b/cert-copy.md']);
    expect(r.embedded).toBe(0);
    expect(r.sections).toBe(first.sections);
    const { json } = await ask(cwd, 'ACM certificate renewal DNS validation CNAME');
    const top = json.hits[0];
    const files = [top.file, ...top.alsoIn.map((a) => a.file)].sort();
    expect(files).toEqual(['runbooks/team-b/cert-copy.md', 'runbooks/tls-certificate-expiry.md']);
    for (const a of top.alsoIn) {
      expect(readFileSync(join(cwd, a.file), 'utf8').split('\n').slice(a.startLine - 1, a.endLine).join('\n').trimEnd()).toBe(top.text);
    }
  });

  it('a section shared by two files is cited first from the file that fits the question', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const tls = readFileSync(join(cwd, 'runbooks', 'tls-certificate-expiry.md'), 'utf8');
    const remediation = tls.slice(tls.indexOf('## Remediation'), tls.indexOf('## Verification'));
    // "a-notes.md" sorts first, so its copy of the section is the section's first source on disk.
    writeFileSync(join(cwd, 'runbooks', 'a-notes.md'), [
      '# Kafka consumer notes', '', '## Lag', '', 'Consumer group lag grows when a partition leader moves; check the broker logs and rebalance.', '',
      '## Offsets', '', 'Reset offsets only with the owning team; a reset replays or skips messages.', '', remediation,
    ].join('\n'));
    await index(cwd);
    const { json } = await ask(cwd, 'ACM certificate renewal failed, re-create the DNS validation CNAME');
    const shared = json.hits.find((h) => h.alsoIn.length > 0);
    expect(shared?.text).toBe(remediation.trim());
    expect(shared?.file).toBe('runbooks/tls-certificate-expiry.md');
    expect(shared?.alsoIn.map((a) => a.file)).toEqual(['runbooks/a-notes.md']);
  });

  it('picks up a file that was skipped once it is fixed', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const bad = join(cwd, 'runbooks', 'latin1.md');
    writeFileSync(bad, Buffer.from('# Caf\xe9 runbook\n\nRestart the espresso queue worker.\n', 'latin1'));
    const first = await index(cwd);
    expect(first.skipped).toEqual([{ path: 'latin1.md', reason: expect.stringContaining('UTF-8') }]);
    writeFileSync(bad, '# Café runbook\n\nRestart the espresso queue worker.\n');
    const fixed = await index(cwd);
    expect(fixed.added).toEqual(['latin1.md']);
    expect(fixed.skipped).toEqual([]);
  });

  it('with --rebuild, forgets the sections of another runbooks directory indexed into the same index dir', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    await index(cwd);
    mkdirSync(join(cwd, 'other'));
    cpSync(join(MINI_RUNBOOKS, 'dns-resolution-failures.md'), join(cwd, 'other', 'dns.md'));
    // Without --rebuild an index of another directory is refused (issue 16: never replaced silently).
    expect((await runOpsctl(['index', 'other', '--json'], { cwd })).code).toBe(5);
    const r = await runOpsctl(['index', 'other', '--rebuild', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 1, sections: sectionsOf(join(cwd, 'other', 'dns.md')) });
    const a = await runOpsctl(['ask', 'kafka consumer group lag', '--runbooks', 'other', '--json'], { cwd });
    const files = (JSON.parse(a.stdout) as { hits: Array<{ file: string }> }).hits.map((h) => h.file);
    expect(files.every((f) => f.startsWith('other/'))).toBe(true);
  });
});
