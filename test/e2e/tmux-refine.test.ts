import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/core/authoring/document.js';
import { GOOD_BODY } from '../core/authoring/fixtures.js';
import { tempDirs } from '../helpers/cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { hasTmux, Terminal } from '../helpers/terminal.js';

const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/bundle/main.js'));
if (!hasTmux) console.warn('skipping the tmux refine test: tmux is not installed');
else if (!built) console.warn('skipping the tmux refine test: dist/ is not built (run `npm run build`)');

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
  const term = new Terminal(`opsctl-refine-test-${process.pid}`);
  let server: ServerProcess;
  let cwd = '';

  beforeAll(async () => {
    cwd = await tmp.make();
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(join(cwd, 'runbooks/database-connection-leak.md'), `---\ntitle: PostgreSQL connection leak\ntags: [postgresql]\nversion: 1\n---\n${GOOD_BODY}`);
    server = await startServerProcess(cwd, SERVER);
  });
  afterAll(async () => {
    term.close();
    server?.stop();
    await tmp.cleanup();
  });

  it('types feedback, sees the diff of version 2, presses a to accept; version 1 is kept', async () => {
    term.start(`env -u CI node ${join(ROOT, 'bin/opsctl.js')} runbook refine --input-runbook runbooks/database-connection-leak.md --interactive; echo "[exit $?]"; sleep 120`, { cwd, env: { OLLAMA_HOST: server.url } });
    await term.until((screen) => screen.includes('What should change?'), 'the feedback prompt');
    term.type('name the on-call');
    term.press('Enter');
    await term.until((screen) => screen.includes('[a] accept'), 'the diff and the review choices');
    const s = term.screen();
    expect(s).toContain('- Page the DBA on-call');
    expect(s).toContain('+ Page the database on-call (PagerDuty: db-primary)');
    expect(server.lines.filter((l) => l.startsWith('chat '))).toEqual(['chat with feedback']);
    // Version 2 is on disk before the diff is shown: quitting now would lose nothing.
    expect(splitDocument(readFileSync(join(cwd, 'runbooks/database-connection-leak.md'), 'utf8')).frontMatter?.version).toBe(2);

    term.press('a');
    await term.until((screen) => screen.includes('[exit'), 'opsctl to exit');
    expect(term.screen()).toContain('[exit 0]');
    expect(term.screen()).toContain('accepted (last_reviewed set to today): runbooks/database-connection-leak.md at version 2');
    const fm = splitDocument(readFileSync(join(cwd, 'runbooks/database-connection-leak.md'), 'utf8')).frontMatter;
    expect(fm?.last_reviewed).toBe(new Date().toISOString().slice(0, 10));
    expect(readFileSync(join(cwd, 'runbooks/.versions/database-connection-leak.v1.md'), 'utf8')).toContain('Page the DBA on-call');
  });
});
