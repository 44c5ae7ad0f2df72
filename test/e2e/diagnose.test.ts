import { cp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/errors.js';
import type { DiagnoseJsonV1 } from '../../src/output/diagnose-json.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const FX = resolve('test/fixtures/logs/diagnose');
const dirs = tempDirs('opsctl-diagnose-');
let cwd = '';

beforeAll(async () => {
  // The bundled runbooks (they cover OOM kills, timeouts...) and the fixtures, in a scratch dir.
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
  await cp(FX, join(cwd, 'logs'), { recursive: true });
}, 60_000);
afterAll(() => dirs.cleanup());

const diag = (args: string[]) => runOpsctl(['diagnose', ...args], { cwd });
const json = async (args: string[]) => {
  const r = await diag([...args, '--json']);
  return { ...r, doc: JSON.parse(r.stdout) as DiagnoseJsonV1 };
};

describe('diagnose on small failure logs', () => {
  const table: Array<{ file: string; category: string; quote: RegExp; line: number }> = [
    { file: 'npm-missing-module.log', category: 'dependency', quote: /Cannot find package 'esbuild-plugin-copy'/, line: 13 },
    { file: 'java-oom.log', category: 'oom', quote: /java\.lang\.OutOfMemoryError: Java heap space/, line: 7 },
    { file: 'permission-denied.log', category: 'permission', quote: /Permission denied/, line: 4 },
    { file: 'timeout.log', category: 'timeout', quote: /request timed out after 30000 ms/, line: 6 },
  ];
  it.each(table)('$file → $category, quoting line $line', async ({ file, category, quote, line }) => {
    const { code, doc, stderr } = await json([`logs/${file}`]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.OK);
    expect(doc.category).toBe(category);
    expect(doc.llm).toEqual({ used: false });
    const hit = doc.evidence.find((e) => quote.test(e.text));
    expect(hit?.source).toBe(`logs/${file}`);
    const [a, b] = hit!.lines.split('-').map(Number);
    expect(a).toBeLessThanOrEqual(line);
    expect(b).toBeGreaterThanOrEqual(line);
    expect(doc.root_cause.length).toBeGreaterThan(10);
    expect(doc.fix.length).toBeGreaterThan(10);
    expect(doc.next_steps.length).toBeGreaterThan(0);
  });

  it('--json has the documented shape, and evidence quotes the real lines of the file', async () => {
    const { doc } = await json(['logs/java-oom.log']);
    expect(Object.keys(doc).sort()).toEqual(['category', 'components', 'evidence', 'fix', 'llm', 'next_steps', 'reduced', 'root_cause', 'runbooks', 'schema', 'severity'].sort());
    expect(doc.schema).toBe('opsctl.diagnose/v1');
    expect(doc.severity).toBe('high');
    expect(doc.reduced).toMatchObject({ kept: 13, inputLines: 13, budget: 4000 });
    const { readFileSync } = await import('node:fs');
    const file = readFileSync(join(FX, 'java-oom.log'), 'utf8').split('\n');
    for (const e of doc.evidence) {
      const [a, b] = e.lines.split('-').map(Number);
      expect(e.text).toBe(file.slice(a - 1, b).join('\n'));
    }
  });

  it('matches the bundled OOM runbook for a Java OOM, with citations and relevance', async () => {
    const { doc } = await json(['logs/java-oom.log']);
    expect(doc.runbooks.length).toBeGreaterThan(0);
    expect(doc.runbooks[0].file).toMatch(/memory-oomkilled\.md$/);
    expect(doc.runbooks[0].citation).toMatch(/^runbooks\/.+\.md:\d+-\d+/);
    expect(doc.runbooks[0].relevance).toBeGreaterThanOrEqual(0.25);
    expect(doc.next_steps.at(-1)).toMatch(/Follow the runbook runbooks\//);
  });

  it('prints a plain-text summary off a TTY (no escape codes)', async () => {
    const r = await diag(['logs/timeout.log']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/^Category: timeout \(heuristic\) · severity high$/m);
    expect(r.stdout).toMatch(/^Root cause: An operation did not finish in time: .*request timed out after 30000 ms/m);
    expect(r.stdout).toMatch(/^Evidence:\n {2}logs\/timeout\.log:6-6\n {4}\[2024-05-02 11:21:37\] ERROR payments call failed/m);
    expect(r.stdout).toMatch(/^Reduced 8 lines to 8 /m);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 3 when the log shows no failure', async () => {
    const { code, doc } = await json(['logs/clean.log']);
    expect(code).toBe(EXIT.NO_MATCH);
    expect(doc.evidence).toEqual([]);
    expect(doc.runbooks).toEqual([]);
    const text = await diag(['logs/clean.log']);
    expect(text.code).toBe(EXIT.NO_MATCH);
    expect(text.stdout).toMatch(/^No evidence of a failure in 6 lines/);
  });

  it('still diagnoses without runbooks, saying why on stderr', async () => {
    const r = await diag(['logs/permission-denied.log', '--runbooks', 'no-such-dir', '--json']);
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(r.stdout).runbooks).toEqual([]);
    expect(r.stderr).toMatch(/^opsctl: runbooks skipped: /);
  });

  it('reads several files and stdin-less bad input the same way as logs reduce', async () => {
    const both = await json(['logs/timeout.log', 'logs/permission-denied.log']);
    expect(new Set(both.doc.evidence.map((e) => e.source))).toEqual(new Set(['logs/timeout.log', 'logs/permission-denied.log']));
    expect((await diag(['logs/missing.log'])).code).toBe(EXIT.INPUT);
    expect((await diag([])).code).toBe(EXIT.USAGE);
    expect((await diag(['logs/timeout.log', '--budget', 'lots'])).code).toBe(EXIT.USAGE);
  });

  it('--json prints its JSON also on exit 3: an empty log, and a log with no failure', async () => {
    await writeFile(join(cwd, 'logs/empty.log'), '');
    const empty = await json(['logs/empty.log']);
    expect(empty.code).toBe(EXIT.NO_MATCH);
    expect(empty.doc.evidence).toEqual([]);
    expect(empty.doc.root_cause).toMatch(/No failure found/);
  });

  it('a shell job-control kill is a failure (exit 0, oom), not "healthy" exit 3', async () => {
    await writeFile(join(cwd, 'logs/killed.log'), 'starting\nentrypoint.sh: line 12:  4242 Killed                  node server.js\n');
    const r = await json(['logs/killed.log']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.doc.category).toBe('oom');
  });
});
