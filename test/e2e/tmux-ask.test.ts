import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI_RUNBOOKS, tempDirs } from '../helpers/cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { hasTmux, Terminal } from '../helpers/terminal.js';

const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/ui/components/AskSession.js'));
if (!hasTmux) console.warn('skipping the tmux ask session test: tmux is not installed');
else if (!built) console.warn('skipping the tmux ask session test: dist/ is not built (run `npm run build`)');

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
  const term = new Terminal(`opsctl-ask-test-${process.pid}`);
  let server: ServerProcess;
  let cwd = '';

  beforeAll(async () => {
    cwd = await tmp.withCopy(MINI_RUNBOOKS);
    server = await startServerProcess(cwd, SERVER);
  });
  afterAll(async () => {
    term.close();
    server?.stop();
    await tmp.cleanup();
  });

  it('types a question, sees the streamed answer with [1] and its sources, /sources, then /quit', async () => {
    term.start(`env -u CI node ${join(ROOT, 'bin/opsctl.js')} ask --llm ollama; echo "[exit $?]"; sleep 120`, { cwd, env: { OLLAMA_HOST: server.url } });
    await term.until((screen) => screen.includes('type a question'), 'the session prompt');
    expect(term.screen()).toContain('opsctl ask with ollama:llama3.1');
    term.type('Redis is evicting keys, memory almost full');
    term.press('Enter');
    await term.until((screen) => /Sources\n\s+\[1\] runbooks\/redis-memory-eviction\.md:\d+-\d+/.test(screen), 'the answer and its sources');
    const s = term.screen();
    expect(s).toContain('? Redis is evicting keys, memory almost full');
    // The server's answer is a sentence of section [1] with its citation, and [1] is listed as the source.
    expect(s).toMatch(/\n\w[^\n]+ \[1\]\.\n\s*\nSources\n\s+\[1\] runbooks\/redis-memory-eviction\.md:\d+-\d+(?: › \w+)?\s/);
    expect(s).not.toContain('⚠ unsupported');
    expect(server.lines.filter((l) => l.startsWith('chat '))).toEqual(['chat 2']);

    term.type('/sources');
    term.press('Enter');
    await term.until((screen) => screen.includes('Sources of the last answer:'), '/sources');
    term.type('/quit');
    term.press('Enter');
    await term.until((screen) => screen.includes('[exit'), 'opsctl to exit');
    expect(term.screen()).toContain('[exit 0]');
  });
});
