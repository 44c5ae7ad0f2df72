import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import type { Io } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { EXIT } from '../../src/core/errors.js';
import { splitDocument } from '../../src/core/authoring/document.js';
import { OllamaTestServer, type OllamaChatBody } from '../helpers/ollama-server.js';
import { BROKEN_BODY, GOOD_BODY } from '../core/authoring/fixtures.js';

// eslint-disable-next-line no-control-regex -- stripping terminal escape codes is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** In-process terminal or pipe: output captured, stdin writable by the test. */
function makeIo(cwd: string, env: Record<string, string>, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => Object.assign(new Writable({ write(c, _e, cb) { into.push(String(c)); cb(); } }), { isTTY: tty, columns: 120 });
  const stdin = Object.assign(new PassThrough(), { isTTY: tty, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const io: Io = { stdout: sink(out), stderr: sink(err), stdin, env, cwd, signal: new AbortController().signal };
  return { io, stdin, stdout: () => out.join('').replace(ANSI, ''), stderr: () => err.join('').replace(ANSI, '') };
}

/** The real Ollama client (via defaultDeps) against a loopback server that answers from a script. */
describe('opsctl runbook against a loopback Ollama', () => {
  const server = new OllamaTestServer({ reply: (body) => reply(body) });
  let answers: string[] = [];
  let chats: OllamaChatBody[] = [];
  const reply = (body: OllamaChatBody) => {
    chats.push(body);
    return answers.shift() ?? '';
  };
  let url = '';
  let cwd = '';
  let env: Record<string, string> = {};
  const run = async (argv: string[], tty = false) => {
    const t = makeIo(cwd, env, tty);
    const code = await runCli(argv, defaultDeps(), t.io);
    return { code, out: t.stdout(), err: t.stderr() };
  };
  const runbook = () => join(cwd, 'runbooks/database-connection-leak.md');

  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'opsctl-e2e-runbook-'));
    env = { OLLAMA_HOST: url, HOME: cwd, XDG_CONFIG_HOME: join(cwd, '.config') };
    answers = [];
    chats = [];
    server.fault = undefined;
  });

  it('generate: streams from llama3.1 by default, writes a runbook that lint accepts, then refine makes v2', async () => {
    answers = ['```markdown\n' + GOOD_BODY + '```'];
    const g = await run(['runbook', 'generate', '--failure-mode', 'database connection leak']);
    expect(g.code).toBe(EXIT.OK);
    expect(g.out).toBe('wrote runbooks/database-connection-leak.md (version 1, ollama:llama3.1)\n');
    expect(g.err).toContain('drafting the runbook with ollama:llama3.1');
    expect(g.err).toContain('lint passed');
    expect(chats[0]).toMatchObject({ model: 'llama3.1', stream: true });
    expect(readFileSync(join(cwd, 'runbooks/.prompts/database-connection-leak.v1.prompt.txt'), 'utf8')).toBe(chats[0].messages[0].content);
    expect(splitDocument(readFileSync(runbook(), 'utf8')).frontMatter).toMatchObject({ version: 1, model: 'ollama:llama3.1', last_reviewed: null });

    expect((await run(['runbook', 'lint'])).code).toBe(EXIT.OK);

    answers = [GOOD_BODY.replace('## Verification', '## Verification\n\nWatch hikaricp_connections_pending.')];
    const r = await run(['runbook', 'refine', '--input-runbook', 'runbooks/database-connection-leak.md', '--feedback', 'say which metric to watch', '--json']);
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(r.out)).toMatchObject({ schema: 'opsctl.runbook.refine/v1', version: 2, linesAdded: 2, linesRemoved: 0, repaired: false });
    expect(chats[1].messages[0].content).toContain('say which metric to watch');
    expect(readdirSync(join(cwd, 'runbooks/.versions'))).toEqual(['database-connection-leak.v1.md']);
    expect(splitDocument(readFileSync(runbook(), 'utf8')).frontMatter?.version).toBe(2);
  });

  it('generate: a draft that fails lint is repaired in a second request', async () => {
    answers = [BROKEN_BODY, GOOD_BODY];
    const g = await run(['runbook', 'generate', '--failure-mode', 'database connection leak', '--json']);
    expect(g.code).toBe(EXIT.OK);
    expect(JSON.parse(g.out)).toMatchObject({ schema: 'opsctl.runbook.generate/v1', version: 1, repaired: true, model: 'ollama:llama3.1' });
    expect(chats).toHaveLength(2);
    expect(chats[1].messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(chats[1].messages[2].content).toContain('missing section: Verification');
    expect(g.err).toMatch(/lint found 2 problem\(s\)/);
  });

  it.each([
    ['still broken after repair', [BROKEN_BODY, BROKEN_BODY], undefined, EXIT.GATE, /still fails lint after one repair/],
    ['empty answer', [''], undefined, EXIT.LLM, /returned an empty answer/],
    ['truncated answer', ['# T\n\n## Detection\n\n```bash\nkubectl get'], undefined, EXIT.LLM, /looks truncated/],
    ['server error (after the retry)', [GOOD_BODY], { kind: 'status' as const, status: 500, times: 3 }, EXIT.LLM, /opsctl: .*500|simulated failure/],
  ])('generate error: %s → its exit code, nothing written', async (_n, script, fault, code, message) => {
    answers = [...script];
    server.fault = fault;
    const g = await run(['runbook', 'generate', '--failure-mode', 'database connection leak']);
    expect(g.code).toBe(code);
    expect(g.err).toMatch(message);
    expect(existsSync(runbook())).toBe(false);
  });

  it('generate: Ollama not running → LLM error with a hint', async () => {
    env.OLLAMA_HOST = 'http://127.0.0.1:9';
    const g = await run(['runbook', 'generate', '--failure-mode', 'disk space exhaustion']);
    expect(g.code).toBe(EXIT.LLM);
    expect(g.err).toContain('hint:');
    expect(existsSync(join(cwd, 'runbooks'))).toBe(true);
    expect(readdirSync(join(cwd, 'runbooks'))).toEqual([]);
  });

  it('generate: never overwrites without --force; --force keeps the old one', async () => {
    answers = [GOOD_BODY, GOOD_BODY];
    expect((await run(['runbook', 'generate', '--failure-mode', 'database connection leak'])).code).toBe(EXIT.OK);
    const again = await run(['runbook', 'generate', '--failure-mode', 'database connection leak']);
    expect(again.code).toBe(EXIT.INPUT);
    expect(again.err).toContain('already exists');
    expect(chats).toHaveLength(1);
    const forced = await run(['runbook', 'generate', '--failure-mode', 'database connection leak', '--force']);
    expect(forced.code).toBe(EXIT.OK);
    expect(forced.out).toContain('version 2');
    expect(existsSync(join(cwd, 'runbooks/.versions/database-connection-leak.v1.md'))).toBe(true);
  });

  it('generate: an unknown mode says which modes are known and uses the defaults; --dry-run calls nothing', async () => {
    const g = await run(['runbook', 'generate', '--failure-mode', 'etcd split brain', '--dry-run']);
    expect(g.code).toBe(EXIT.OK);
    expect(g.err).toMatch(/no templates for "etcd split brain"; using .*default_initial\.txt \(known modes: api gateway 5xx errors, database connection leak/);
    expect(g.out).toContain('"etcd split brain"');
    expect(chats).toHaveLength(0);
    expect(existsSync(join(cwd, 'runbooks/etcd-split-brain.md'))).toBe(false);
  });

  it('generate: invalid --environment-file JSON says file:line:column', async () => {
    writeFileSync(join(cwd, 'env.json'), '{\n  "db": "pg",\n}\n');
    const g = await run(['runbook', 'generate', '--failure-mode', 'database connection leak', '--environment-file', 'env.json']);
    expect(g.code).toBe(EXIT.INPUT);
    expect(g.err).toMatch(/env\.json:3:1: invalid JSON/);
  });

  it('refine: --interactive off a terminal is refused; input that is not Markdown is an input error', async () => {
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(runbook(), `---\ntitle: T\ntags: [a]\n---\n${GOOD_BODY}`);
    const i = await run(['runbook', 'refine', '--input-runbook', 'runbooks/database-connection-leak.md', '--interactive']);
    expect(i.code).toBe(EXIT.USAGE);
    expect(i.err).toContain('--interactive needs a terminal');
    writeFileSync(join(cwd, 'notes.txt'), 'hello');
    const n = await run(['runbook', 'refine', '--input-runbook', 'notes.txt', '--feedback', 'x']);
    expect(n.code).toBe(EXIT.INPUT);
    expect(n.err).toContain('is not a Markdown file');
    expect(chats).toHaveLength(0);
  });

  it('refine --interactive in a terminal: feedback, diff, accept marks it reviewed', async () => {
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(runbook(), `---\ntitle: T\ntags: [a]\nversion: 1\n---\n${GOOD_BODY}`);
    answers = [GOOD_BODY.replace('Page the DBA', 'Page the database on-call')];
    const t = makeIo(cwd, env, true);
    const done = runCli(['runbook', 'refine', '--input-runbook', 'runbooks/database-connection-leak.md', '--interactive'], defaultDeps(), t.io);
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(check()).toBe(true);
    };
    await until(() => t.stdout().includes('What should change?'));
    t.stdin.write('name the on-call');
    await until(() => t.stdout().includes('> name the on-call'));
    t.stdin.write('\r');
    await until(() => t.stdout().includes('[a] accept'));
    expect(t.stdout()).toContain('- Page the DBA on-call');
    expect(t.stdout()).toContain('+ Page the database on-call');
    t.stdin.write('a');
    expect(await done).toBe(EXIT.OK);
    expect(t.stdout()).toContain('accepted (last_reviewed set to today): runbooks/database-connection-leak.md at version 2 after 1 round(s)');
    const fm = splitDocument(readFileSync(runbook(), 'utf8')).frontMatter;
    expect(fm?.version).toBe(2);
    expect(fm?.last_reviewed).toBe(new Date().toISOString().slice(0, 10));
    expect(existsSync(join(cwd, 'runbooks/.versions/database-connection-leak.v1.md'))).toBe(true);
  });

  it('lint: file:line problems and exit 12, --json, exit 4 for a missing path', async () => {
    mkdirSync(join(cwd, 'runbooks/.versions'), { recursive: true });
    writeFileSync(join(cwd, 'runbooks/bad.md'), `---\ntitle: T\ntags: [a]\n---\n${BROKEN_BODY}`);
    writeFileSync(join(cwd, 'runbooks/.versions/ignored.md'), 'not linted');
    const t = await run(['runbook', 'lint', 'runbooks']);
    expect(t.code).toBe(EXIT.GATE);
    expect(t.out).toBe('runbooks/bad.md:5: missing section: Verification (a "## Verification" heading) (section-verification)\nrunbooks/bad.md:5: missing section: Escalation or Rollback (a "## Escalation" heading) (section-escalation)\n');
    expect(t.err).toContain('2 problem(s) in 1 of 1 runbook(s)');
    const j = await run(['runbook', 'lint', '--json', 'runbooks/bad.md']);
    expect(j.code).toBe(EXIT.GATE);
    expect(JSON.parse(j.out)).toMatchObject({ schema: 'opsctl.runbook.lint/v1', ok: false, fileCount: 1, problemCount: 2, files: [{ path: 'runbooks/bad.md', ok: false }] });
    const missing = await run(['runbook', 'lint', 'nope/']);
    expect(missing.code).toBe(EXIT.INPUT);
    expect(missing.err).toContain('path not found');
  });

  it('a generated runbook is found by the next ask (incremental re-index; .versions and .prompts are not indexed)', async () => {
    mkdirSync(join(cwd, 'runbooks'));
    for (const f of ['alb-5xx.md', 'rds-cpu-spike.md']) copyFileSync(join(import.meta.dirname, '../../runbooks', f), join(cwd, 'runbooks', f));
    expect((await run(['index'])).code).toBe(EXIT.OK);
    answers = [GOOD_BODY.replace('DatabaseConnections above 1200 on orders-prod.', 'etcd_server_has_leader is 0 on the zebra cluster.'), GOOD_BODY];
    expect((await run(['runbook', 'generate', '--failure-mode', 'etcd split brain'])).code).toBe(EXIT.OK);
    expect((await run(['runbook', 'refine', '--input-runbook', 'runbooks/etcd-split-brain.md', '--feedback', 'x'])).code).toBe(EXIT.OK);
    answers = [GOOD_BODY.replace('DatabaseConnections above 1200 on orders-prod.', 'etcd_server_has_leader is 0 on the zebra cluster.')];
    expect((await run(['runbook', 'refine', '--input-runbook', 'runbooks/etcd-split-brain.md', '--feedback', 'back'])).code).toBe(EXIT.OK);
    const a = await run(['ask', 'etcd leader zebra cluster', '--json']);
    expect(a.code).toBe(EXIT.OK);
    const json = JSON.parse(a.out) as { hits: Array<{ file: string; text: string }>; index: { files: number } };
    expect(json.hits[0].file).toMatch(/(^|\/)etcd-split-brain\.md$/);
    expect(json.hits[0].text).toContain('zebra cluster');
    expect(json.index.files).toBe(3);
  });

  it('list-modes: the six bundled modes', async () => {
    const l = await run(['runbook', 'list-modes', '--json']);
    expect(l.code).toBe(EXIT.OK);
    expect(JSON.parse(l.out).modes.map((m: { name: string }) => m.name)).toEqual(['api gateway 5xx errors', 'database connection leak', 'disk space exhaustion', 'high memory usage', 'load balancer health check failures', 'rabbitmq queue backlog']);
    expect((await run(['runbook', 'list-modes'])).out).toMatch(/^database connection leak\s+.*environment_database_connection_leak\.json$/m);
  });
});
