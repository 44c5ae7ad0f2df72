import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { AnswerStream } from '../../src/ui/components/AnswerStream.js';
import { useAskEvents } from '../../src/ui/hooks/use-ask-events.js';
import type { AskEvent } from '../../src/core/runbooks/ask.js';
import { answerEvents, manualStream, RESULT, SOURCES, until } from './ask-ui-fixtures.js';

function Live({ events, verbose }: { events: AsyncIterable<AskEvent>; verbose?: boolean }) {
  const view = useAskEvents(events);
  return <AnswerStream view={view} root="runbooks" minScore={0.3} llmId="ollama:llama3.1" verbose={verbose} />;
}

describe('AnswerStream', () => {
  it('spinner while retrieving, then the answer as it streams, then citations as a list', async () => {
    const s = manualStream();
    const ui = render(<Live events={s.events} />);
    await until(() => ui.lastFrame()!.includes('searching the runbooks…'));
    const evs = answerEvents('Add a TTL to keys written without one [1]. Then scale the node type up one size [1].');
    s.push(evs[0], evs[1]);
    await until(() => ui.lastFrame()!.includes('asking ollama:llama3.1 (2 sections)…'), 'waiting for the first token');
    s.push(...evs.slice(2, 8));
    await until(() => ui.lastFrame()!.includes('Add a TTL to keys written'), 'first tokens');
    expect(ui.lastFrame()).not.toContain('Sources');
    expect(ui.lastFrame()).not.toContain('searching');
    s.push({ type: 'citation', source: { ...SOURCES[0], cited: true } });
    await until(() => ui.lastFrame()!.includes('cited so far'));
    expect(ui.lastFrame()).toContain('[1] runbooks/redis.md:10-15 › Redis › Remediation');
    s.push(...evs.slice(8));
    s.end();
    await until(() => ui.lastFrame()!.includes('Sources'), 'the source list');
    const frame = ui.lastFrame()!;
    expect(frame).toContain('Then scale the node type up one size [1].');
    expect(frame).toMatch(/Sources\n\s+\[1\] runbooks\/redis\.md:10-15 › Redis › Remediation/);
    expect(frame).not.toContain('[2] runbooks'); // not cited, not listed
    expect(frame).not.toContain('⚠');
    ui.unmount();
  });

  it('flags an invented citation and an uncited command', async () => {
    const s = manualStream();
    const ui = render(<Live events={s.events} />);
    s.push(...answerEvents('Add a TTL to keys written without one [1]. Restart the whole fleet [7].\nRun `redis-cli flushall` now.'));
    s.end();
    await until(() => ui.lastFrame()!.includes('⚠ unsupported'));
    const frame = ui.lastFrame()!;
    expect(frame).toContain('"Restart the whole fleet [7]." — cites [7], which is not a source');
    expect(frame).toContain('"Run `redis-cli flushall` now." — instruction without a citation');
    ui.unmount();
  });

  it('LLM down: a notice and the offline answer (the runbook sections)', async () => {
    const s = manualStream();
    const ui = render(<Live events={s.events} />);
    s.push({ type: 'retrieved', result: RESULT, index: { files: 1, sections: 2, embedder: 'lsa' } }, { type: 'done', sources: SOURCES, usedLlm: false, llm: 'ollama:llama3.1', fallbackReason: 'Ollama not running at http://127.0.0.1:11434' });
    s.end();
    await until(() => ui.lastFrame()!.includes('unavailable'));
    const frame = ui.lastFrame()!;
    expect(frame).toContain('⚠ ollama:llama3.1 unavailable: Ollama not running at http://127.0.0.1:11434');
    expect(frame).toContain('[1] runbooks/redis.md:10-15 › Redis › Remediation');
    expect(frame).toContain('Add a TTL to keys written without one.');
    ui.unmount();
  });

  it('--verbose shows the prompt in the view', async () => {
    const s = manualStream();
    const ui = render(<Live events={s.events} verbose />);
    s.push(...answerEvents('Add a TTL to keys written without one [1].'));
    s.end();
    await until(() => ui.lastFrame()!.includes('Sources'));
    expect(ui.lastFrame()).toContain('── prompt sent to ollama:llama3.1 (~42 tokens, temperature 0) ──');
    expect(ui.lastFrame()).toContain('sections and question');
    ui.unmount();
  });
});
