import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_RUNBOOKS, tempDirs } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const built = existsSync(join(ROOT, 'dist/ui/components/AskSession.js'));
if (!hasTmux) console.warn('skipping the tmux ask session test: tmux is not installed');
else if (!built) console.warn('skipping the tmux ask session test: dist/ is not built (run `npm run build`)');

// A private tmux server (its own socket), so the test never touches the user's sessions.
const SOCKET = `opsctl-ask-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'ask');

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
}

/**
 * The loopback Ollama server in its own process (as a real one would be). It answers with the first sentence of
 * section [1], cited, streamed slowly enough to be seen streaming, and prints one line per chat request.
 */
const SERVER = `
import { OllamaTestServer } from ${JSON.stringify(join(ROOT, 'test/helpers/ollama-server.ts'))};
const reply = (body) => {
  const user = body.messages.filter((m) => m.role === 'user').at(-1).content;
  const text = /<section n="1" source="[^"]*">\\n([\\s\\S]*?)\\n<\\/section>/.exec(user)?.[1] ?? '';
  const line = text.split('\\n').find((l) => l.trim() && !l.startsWith('#') && !l.startsWith('\`')) ?? '';
  return \`\${line.split(/(?<=[.!?])\\s+/)[0].replace(/[.!?:]+$/, '')} [1].\`;
};
const server = new OllamaTestServer({ reply: (b) => { console.log('chat ' + b.messages.length); return reply(b); } });
console.log('url ' + (await server.start()));
`;

describe.skipIf(!hasTmux || !built)('ask session in a real terminal (tmux) against a loopback Ollama', () => {
  const tmp = tempDirs('opsctl-tmux-ask-');
  let server: ChildProcess;
  const serverLines: string[] = [];
  let url = '';
  let cwd = '';

  beforeAll(async () => {
    cwd = await tmp.withCopy(MINI_RUNBOOKS);
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

  it('types a question, sees the streamed answer with [1] and its sources, /sources, then /quit', async () => {
    const cmd = `env -u CI node ${join(ROOT, 'bin/opsctl.js')} ask --llm ollama; echo "[exit $?]"; sleep 120`;
    tmux('new-session', '-d', '-s', 'ask', '-x', '120', '-y', '40', '-c', cwd, '-e', `OLLAMA_HOST=${url}`, cmd);
    await until(() => screen().includes('type a question'), 'the session prompt');
    expect(screen()).toContain('opsctl ask with ollama:llama3.1');
    tmux('send-keys', '-t', 'ask', '-l', 'Redis is evicting keys, memory almost full');
    tmux('send-keys', '-t', 'ask', 'Enter');
    await until(() => /Sources\n\s+\[1\] runbooks\/redis-memory-eviction\.md:\d+-\d+/.test(screen()), 'the answer and its sources');
    const s = screen();
    expect(s).toContain('? Redis is evicting keys, memory almost full');
    // The server's answer is a sentence of section [1] with its citation, and [1] is listed as the source.
    expect(s).toMatch(/\n\w[^\n]+ \[1\]\.\n\s*\nSources\n\s+\[1\] runbooks\/redis-memory-eviction\.md:\d+-\d+ › \w+/);
    expect(s).not.toContain('⚠ unsupported');
    expect(serverLines.filter((l) => l.startsWith('chat '))).toEqual(['chat 2']);

    tmux('send-keys', '-t', 'ask', '-l', '/sources');
    tmux('send-keys', '-t', 'ask', 'Enter');
    await until(() => screen().includes('Sources of the last answer:'), '/sources');
    tmux('send-keys', '-t', 'ask', '-l', '/quit');
    tmux('send-keys', '-t', 'ask', 'Enter');
    await until(() => screen().includes('[exit'), 'opsctl to exit');
    expect(screen()).toContain('[exit 0]');
  });
});
