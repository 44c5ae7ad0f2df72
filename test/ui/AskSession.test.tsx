import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ConversationTurn } from '../../src/core/answer/session.js';
import type { AskEvent } from '../../src/core/runbooks/ask.js';
import { AskSession } from '../../src/ui/components/AskSession.js';
import { answerEvents, manualStream, until } from './ask-ui-fixtures.js';

interface Call {
  question: string;
  history: ConversationTurn[];
  signal: AbortSignal;
}

/** An `ask` that answers each question with a canned grounded answer, recording what it was given. */
function scriptedAsk(answers: string[]) {
  const calls: Call[] = [];
  const ask = (question: string, history: ConversationTurn[], signal: AbortSignal): AsyncIterable<AskEvent> => {
    calls.push({ question, history, signal });
    const evs = answerEvents(answers[calls.length - 1] ?? 'Add a TTL to keys written without one [1].');
    return (async function* () {
      for (const e of evs) yield e;
    })();
  };
  return { ask, calls };
}

const type = async (ui: ReturnType<typeof render>, text: string) => {
  ui.stdin.write(text);
  await until(() => ui.lastFrame()!.includes(`> ${text}`), `"${text}" echoed`);
  ui.stdin.write('\r');
};

describe('AskSession', () => {
  it('question → streamed answer; a follow-up carries the history; /sources; /quit', async () => {
    const s = scriptedAsk(['Add a TTL to keys written without one [1].', 'The evicted_keys counter stops growing and the hit rate recovers [2].']);
    let exited: number | undefined;
    const ui = render(<AskSession ask={s.ask} root="runbooks" minScore={0.3} llmId="ollama:llama3.1" onExit={(n) => (exited = n)} />);
    await until(() => ui.lastFrame()!.includes('type a question'));
    await type(ui, 'redis is evicting keys');
    await until(() => ui.lastFrame()!.includes('Add a TTL to keys written without one [1].'), 'the first answer');
    await until(() => ui.lastFrame()!.includes('> █'), 'the prompt back');
    expect(ui.lastFrame()).toMatch(/Sources\n\s+\[1\] runbooks\/redis\.md:10-15 › Redis › Remediation/);

    await type(ui, 'how do I know it worked?');
    await until(() => ui.lastFrame()!.includes('hit rate recovers [2].'), 'the follow-up answer');
    expect(s.calls.map((c) => c.question)).toEqual(['redis is evicting keys', 'how do I know it worked?']);
    expect(s.calls[0].history).toEqual([]);
    expect(s.calls[1].history).toHaveLength(1);
    expect(s.calls[1].history[0]).toMatchObject({ question: 'redis is evicting keys', answer: 'Add a TTL to keys written without one [1].' });

    await until(() => ui.lastFrame()!.includes('> █'));
    await type(ui, '/sources');
    await until(() => ui.lastFrame()!.includes('Sources of the last answer:'), '/sources');
    expect(ui.lastFrame()).toMatch(/Sources of the last answer:\n\s+\[1\] runbooks\/redis\.md:10-15 › Redis › Remediation\n\s+\[2\] runbooks\/redis\.md:20-25 › Redis › Verification/);
    expect(s.calls).toHaveLength(2); // a command is not a question

    await type(ui, '/quit');
    await until(() => exited !== undefined, 'exit');
    expect(exited).toBe(2);
    ui.unmount();
  });

  it('Ctrl-C cancels the answer in progress and the session goes on; Ctrl-C when idle leaves', async () => {
    const stream = manualStream();
    const calls: Call[] = [];
    let exited: number | undefined;
    const ask = (question: string, history: ConversationTurn[], signal: AbortSignal) => {
      calls.push({ question, history, signal });
      signal.addEventListener('abort', () => stream.fail(new Error('interrupted')));
      return stream.events;
    };
    const ui = render(<AskSession ask={ask} root="runbooks" minScore={0.3} llmId="ollama:llama3.1" onExit={(n) => (exited = n)} />);
    await until(() => ui.lastFrame()!.includes('type a question'));
    await type(ui, 'slow one');
    stream.push(...answerEvents('Add a TTL to keys written without one [1].').slice(0, 3));
    await until(() => ui.lastFrame()!.includes('Add'), 'first token');
    ui.stdin.write('\x03');
    await until(() => ui.lastFrame()!.includes('error: interrupted'), 'the cancelled turn');
    expect(calls[0].signal.aborted).toBe(true);
    expect(exited).toBeUndefined();
    await until(() => ui.lastFrame()!.includes('> █'), 'the prompt back');
    ui.stdin.write('\x03');
    await until(() => exited !== undefined, 'exit');
    expect(exited).toBe(0); // the cancelled turn is not counted
    ui.unmount();
  });

  it('unknown slash commands and /sources before any answer explain themselves', async () => {
    const s = scriptedAsk([]);
    const ui = render(<AskSession ask={s.ask} root="runbooks" minScore={0.3} onExit={() => {}} />);
    await until(() => ui.lastFrame()!.includes('type a question'));
    await type(ui, '/sources');
    await until(() => ui.lastFrame()!.includes('No sources yet: ask a question first.'));
    await type(ui, '/frobnicate');
    await until(() => ui.lastFrame()!.includes('unknown command /frobnicate; try /sources, /quit or /help'));
    expect(s.calls).toHaveLength(0);
    ui.unmount();
  });

  it('a question and its Enter arriving in one chunk (a paste, a busy terminal) is still sent; ↑/↓ recall it', async () => {
    const s = scriptedAsk(['Add a TTL to keys written without one [1].']);
    const ui = render(<AskSession ask={s.ask} root="runbooks" minScore={0.3} onExit={() => {}} />);
    await until(() => ui.lastFrame()!.includes('type a question'));
    ui.stdin.write('redis evicting\r');
    await until(() => ui.lastFrame()!.includes('Add a TTL to keys written without one [1].'), 'the answer');
    expect(s.calls.map((c) => c.question)).toEqual(['redis evicting']);
    await until(() => ui.lastFrame()!.includes('> █'));
    ui.stdin.write('\u001b[A'); // ↑ recalls the last line
    await until(() => ui.lastFrame()!.includes('> redis evicting█'), 'the recalled line');
    ui.stdin.write('\u001b[B');
    await until(() => ui.lastFrame()!.includes('> █'), 'back to an empty line');
    ui.unmount();
  });
});
