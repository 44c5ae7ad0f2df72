import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/core/authoring/document.js';
import { GOOD_BODY } from '../core/authoring/fixtures.js';
import { tempDirs } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const built = existsSync(join(ROOT, 'dist/bundle/main.js'));
if (!hasTmux) console.warn('skipping the tmux refine test: tmux is not installed');
else if (!built) console.warn('skipping the tmux refine test: dist/ is not built (run `npm run build`)');

// A private tmux server (its own socket), so the test never touches the user's sessions.
const SOCKET = `opsctl-refine-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'refine');

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
}

/** The loopback Ollama server in its own process: each refinement names the on-call more precisely. */
const SERVER = `
import { OllamaTestServer } from ${JSON.stringify(join(ROOT, 'test/helpers/ollama-server.ts'))};
import { GOOD_BODY } from ${JSON.stringify(join(ROOT, 'test/core/authoring/fixtures.ts'))};
const server = new OllamaTestServer({ reply: (b) => {
  const feedback = b.messages.at(-1).content;
  console.log('chat ' + (feedback.includes('name the on-call') ? 'with feedback' : 'without feedback'));
  return GOOD_BODY.replace('Page the DBA on-call', 'Page the database on-call (PagerDuty: db-primary)');
} });
console.log('url ' + (await server.start()));
`;

describe.skipIf(!hasTmux || !built)('runbook refine --interactive in a real terminal (tmux) against a loopback Ollama', () => {
  const tmp = tempDirs('opsctl-tmux-refine-');
  let server: ChildProcess;
  const serverLines: string[] = [];
  let url = '';
  let cwd = '';

  beforeAll(async () => {
    cwd = await tmp.make();
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(join(cwd, 'runbooks/database-connection-leak.md'), `---\ntitle: PostgreSQL connection leak\ntags: [postgresql]\nversion: 1\n---\n${GOOD_BODY}`);
    const script = join(cwd, 'ollama-server.mts');
    writeFileSync(script, SERVER);
    server = spawn(join(ROOT, 'node_modules/.bin/tsx'), [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: server.stdout! }).on('line', (l) => serverLines.push(l));
    for (let i = 0; i < 200 && !url; i++) {
      url = serverLines.find((l) => l.startsWith('url '))?.slice(4) ?? '';
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!url) throw new Error('the loopback Ollama server did not start');
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
    server?.kill();
    await tmp.cleanup();
  });

  it('types feedback, sees the diff of version 2, presses a to accept; version 1 is kept', async () => {
    const cmd = `env -u CI node ${join(ROOT, 'bin/opsctl.js')} runbook refine --input-runbook runbooks/database-connection-leak.md --interactive; echo "[exit $?]"; sleep 120`;
    tmux('new-session', '-d', '-s', 'refine', '-x', '120', '-y', '40', '-c', cwd, '-e', `OLLAMA_HOST=${url}`, cmd);
    await until(() => screen().includes('What should change?'), 'the feedback prompt');
    tmux('send-keys', '-t', 'refine', '-l', 'name the on-call');
    tmux('send-keys', '-t', 'refine', 'Enter');
    await until(() => screen().includes('[a] accept'), 'the diff and the review choices');
    const s = screen();
    expect(s).toContain('- Page the DBA on-call');
    expect(s).toContain('+ Page the database on-call (PagerDuty: db-primary)');
    expect(serverLines.filter((l) => l.startsWith('chat '))).toEqual(['chat with feedback']);
    // Version 2 is on disk before the diff is shown: quitting now would lose nothing.
    expect(splitDocument(readFileSync(join(cwd, 'runbooks/database-connection-leak.md'), 'utf8')).frontMatter?.version).toBe(2);

    tmux('send-keys', '-t', 'refine', 'a');
    await until(() => screen().includes('[exit'), 'opsctl to exit');
    expect(screen()).toContain('[exit 0]');
    expect(screen()).toContain('accepted (last_reviewed set to today): runbooks/database-connection-leak.md at version 2');
    const fm = splitDocument(readFileSync(join(cwd, 'runbooks/database-connection-leak.md'), 'utf8')).frontMatter;
    expect(fm?.last_reviewed).toBe(new Date().toISOString().slice(0, 10));
    expect(readFileSync(join(cwd, 'runbooks/.versions/database-connection-leak.v1.md'), 'utf8')).toContain('Page the DBA on-call');
  });
});
