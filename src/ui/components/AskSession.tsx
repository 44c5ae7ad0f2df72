import { useRef, useState } from 'react';
import { Box, Static, Text, render, useApp, useInput } from 'ink';
import type { InStream, OutStream } from '../../cli/io.js';
import { answerSources, type AnswerSource } from '../../core/answer/answer.js';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';
import { Conversation, type ConversationTurn } from '../../core/answer/session.js';
import type { AskEvent } from '../../core/runbooks/ask.js';
import { useAskEvents, type AskView } from '../hooks/use-ask-events.js';
import { AnswerStream } from './AnswerStream.js';

export interface AskSessionProps {
  /** Runs one question with the earlier turns as context; aborting `signal` cancels it. */
  ask: (question: string, history: ConversationTurn[], signal: AbortSignal) => AsyncIterable<AskEvent>;
  root: string;
  minScore: number;
  llmId?: string;
  verbose?: boolean;
  /** Called once when the person leaves, with the number of questions answered. */
  onExit: (turns: number) => void;
}

type Item = { id: number; kind: 'turn'; question: string; view: AskView } | { id: number; kind: 'note'; lines: string[] };

interface Live {
  id: number;
  question: string;
  events: AsyncIterable<AskEvent>;
  controller: AbortController;
}

const HELP = ['Ask a question; follow-ups keep the context of earlier ones (↑/↓ recall earlier lines).', '/sources  the sources of the last answer', '/quit     leave (also Ctrl-D; Ctrl-C cancels an answer, or leaves when idle)'];

function Question({ text }: { text: string }) {
  return (
    <Text>
      <Text color="cyan" bold>? </Text>
      <Text bold>{clean(text)}</Text>
    </Text>
  );
}

function LiveTurn({ live, onFinish, ...rest }: { live: Live; onFinish: (v: AskView) => void; root: string; minScore: number; llmId?: string; verbose?: boolean }) {
  const view = useAskEvents(live.events, onFinish);
  return (
    <Box flexDirection="column">
      <Question text={live.question} />
      <AnswerStream view={view} {...rest} />
    </Box>
  );
}

function sourcesNote(sources: AnswerSource[]): string[] {
  return sources.length ? ['Sources of the last answer:', ...sources.map((s) => `  [${s.n}] ${s.citation}`)] : ['No sources yet: ask a question first.'];
}

/** The interactive `opsctl ask` session: a prompt, the history of answers, follow-ups, /sources and /quit. */
export function AskSession(props: AskSessionProps) {
  const { exit } = useApp();
  const conversation = useRef(new Conversation());
  const nextId = useRef(1);
  const [items, setItems] = useState<Item[]>([]);
  const [live, setLiveState] = useState<Live | undefined>();
  const [input, setInputState] = useState('');
  // Keystrokes can arrive faster than renders (a paste): the handler reads refs, not stale state.
  const liveRef = useRef<Live | undefined>(undefined);
  const inputRef = useRef('');
  const setLive = (l: Live | undefined) => ((liveRef.current = l), setLiveState(l));
  const setInput = (s: string) => ((inputRef.current = s), setInputState(s));
  const note = (lines: string[]) => setItems((xs) => [...xs, { id: nextId.current++, kind: 'note', lines }]);

  const leave = () => {
    liveRef.current?.controller.abort(new Error('interrupted'));
    props.onExit(conversation.current.turns.length);
    exit();
  };

  const start = (question: string) => {
    const controller = new AbortController();
    const history = [...conversation.current.turns];
    setLive({ id: nextId.current++, question, controller, events: props.ask(question, history, controller.signal) });
  };

  const finish = (l: Live) => (view: AskView) => {
    const d = view.done;
    const sources = d?.sources.length ? d.sources : view.result ? answerSources(view.result.hits, props.root) : [];
    if (view.phase === 'done') conversation.current.add({ question: l.question, answer: d?.usedLlm ? d.answer : undefined, sources });
    setItems((xs) => [...xs, { id: l.id, kind: 'turn', question: l.question, view }]);
    setLive(undefined);
  };

  const submit = (line: string) => {
    const cmd = line.toLowerCase();
    if (cmd === '/quit' || cmd === '/exit' || cmd === '/q') return leave();
    if (cmd === '/sources') return note(sourcesNote(conversation.current.lastSources()));
    if (cmd === '/help' || cmd === '?') return note(HELP);
    if (cmd.startsWith('/')) return note([`unknown command ${line}; try /sources, /quit or /help`]);
    start(line);
  };

  // ↑/↓ recall earlier lines, as in a shell.
  const recall = useRef({ lines: [] as string[], pos: 0 });
  const enter = () => {
    const text = inputRef.current.trim();
    setInput('');
    if (!text) return;
    recall.current.lines.push(text);
    recall.current.pos = recall.current.lines.length;
    submit(text);
  };
  const browse = (step: number) => {
    const r = recall.current;
    r.pos = Math.max(0, Math.min(r.lines.length, r.pos + step));
    setInput(r.lines[r.pos] ?? '');
  };

  useInput((ch, key) => {
    const busy = liveRef.current;
    if (key.ctrl && ch === 'c') return busy ? busy.controller.abort(new Error('cancelled')) : leave();
    if (key.ctrl && ch === 'd' && !busy && inputRef.current === '') return leave();
    if (busy) return;
    if (key.return) return enter();
    if (key.upArrow || key.downArrow) return browse(key.upArrow ? -1 : 1);
    if (key.backspace || key.delete) return setInput(inputRef.current.slice(0, -1));
    if (key.ctrl || key.meta || !ch) return;
    // A paste, or keys typed while the terminal was busy, arrive as one chunk, Enter included.
    for (const c of ch) {
      if (c === '\r' || c === '\n') {
        enter();
        if (liveRef.current) break;
      } else if (c === '\x7f' || c === '\b') setInput(inputRef.current.slice(0, -1));
      else if (c >= ' ') setInput(inputRef.current + c);
    }
  });

  const streamProps = { root: props.root, minScore: props.minScore, llmId: props.llmId, verbose: props.verbose };
  return (
    <Box flexDirection="column">
      <Static items={items}>
        {(item) =>
          item.kind === 'note' ? (
            <Box key={item.id} flexDirection="column" marginBottom={1}>
              {item.lines.map((l, i) => (
                <Text key={i} dimColor={i > 0}>{clean(l)}</Text>
              ))}
            </Box>
          ) : (
            <Box key={item.id} flexDirection="column" marginBottom={1}>
              <Question text={item.question} />
              <AnswerStream view={item.view} {...streamProps} />
            </Box>
          )
        }
      </Static>
      {live ? <LiveTurn key={live.id} live={live} onFinish={finish(live)} {...streamProps} /> : null}
      {!live ? (
        <Box flexDirection="column">
          {items.length === 0 ? <Text dimColor>opsctl ask{props.llmId ? ` with ${props.llmId}` : ''}: type a question; /sources, /quit</Text> : null}
          <Text color="cyan">&gt; {clean(input)}█</Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** Runs the session on the terminal streams; resolves with the number of answered questions when the person leaves. */
export async function runAskSession(streams: { stdin: InStream; stdout: OutStream; stderr: OutStream }, props: Omit<AskSessionProps, 'onExit'>): Promise<number> {
  let turns = 0;
  const app = render(<AskSession {...props} onExit={(n) => (turns = n)} />, {
    stdin: streams.stdin as NodeJS.ReadStream,
    stdout: streams.stdout as NodeJS.WriteStream,
    stderr: streams.stderr as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await app.waitUntilExit();
  return turns;
}
