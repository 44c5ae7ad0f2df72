import { useEffect, useRef, useState } from 'react';
import { Box, Static, Text, render, useApp, useInput } from 'ink';
import type { InStream, OutStream } from '../../cli/io.js';
import { diffLines, diffStats, foldDiff } from '../../core/authoring/diff.js';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';

/** One finished refinement round, as the session shows it. */
export interface RefineRound {
  version: number;
  before: string;
  after: string;
  /** Where the previous version was kept (display form). */
  archived: string;
  repaired: boolean;
}

export interface RefineOutcome {
  action: 'accept' | 'quit';
  rounds: number;
  version: number;
}

export interface RefineSessionProps {
  /** Runbook path for the header. */
  title: string;
  version: number;
  /** When given (from --feedback), the first round starts at once. */
  initialFeedback?: string;
  /** Runs one round: writes version N+1 and returns the change; reports streamed characters. */
  refine: (feedback: string, onProgress: (chars: number) => void) => Promise<RefineRound>;
  onExit: (outcome: RefineOutcome) => void;
}

type Phase = 'feedback' | 'working' | 'review';

function RoundDiff({ round }: { round: RefineRound }) {
  const lines = diffLines(round.before, round.after);
  const { added, removed } = diffStats(lines);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>
        version {round.version}: +{added} -{removed} lines{round.repaired ? ' (repaired after lint)' : ''}; version {round.version - 1} kept as {round.archived}
      </Text>
      {foldDiff(lines).map((l, i) =>
        l.kind === 'gap' ? (
          <Text key={i} color="cyan">{`  ⋯ ${l.count} unchanged line${l.count === 1 ? '' : 's'}`}</Text>
        ) : l.kind === 'add' ? (
          <Text key={i} color="green">{clean(`+ ${l.text}`)}</Text>
        ) : l.kind === 'del' ? (
          <Text key={i} color="red">{clean(`- ${l.text}`)}</Text>
        ) : (
          <Text key={i} dimColor>{clean(`  ${l.text}`)}</Text>
        ),
      )}
    </Box>
  );
}

/**
 * Interactive refinement: feedback → new version on disk → coloured diff → more feedback, accept (a) or quit (q).
 * Every round is written before its diff is shown, so quitting at any point loses nothing.
 */
export function RefineSession(props: RefineSessionProps) {
  const { exit } = useApp();
  const [phase, setPhaseState] = useState<Phase>(props.initialFeedback ? 'working' : 'feedback');
  const [input, setInputState] = useState('');
  // Keys can arrive faster than React re-renders (a paste, a quick "f" then typing): the input handler reads
  // these refs, not the state captured by its last render, so no keystroke lands in a stale phase.
  const phaseRef = useRef(phase);
  const inputRef = useRef(input);
  const setPhase = (p: Phase) => {
    phaseRef.current = p;
    setPhaseState(p);
  };
  const setInput = (text: string) => {
    inputRef.current = text;
    setInputState(text);
  };
  const [rounds, setRounds] = useState<RefineRound[]>([]);
  const [version, setVersion] = useState(props.version);
  const [chars, setChars] = useState(0);
  const [error, setError] = useState<string | undefined>();

  const runRound = (feedback: string) => {
    setPhase('working');
    setError(undefined);
    setChars(0);
    props
      .refine(feedback, setChars)
      .then((round) => {
        setRounds((r) => [...r, round]);
        setVersion(round.version);
        setPhase('review');
      })
      .catch((e: unknown) => {
        const err = e as Error & { hint?: string };
        setError(`${err.message}${err.hint ? ` (hint: ${err.hint})` : ''}`);
        setPhase('review');
      });
  };
  useEffect(() => {
    if (props.initialFeedback) runRound(props.initialFeedback);
    // Only once, on mount: later rounds start from keystrokes.
  }, []);

  const finish = (action: RefineOutcome['action']) => {
    props.onExit({ action, rounds: rounds.length, version });
    exit();
  };

  useInput((ch, key) => {
    const phase = phaseRef.current;
    const input = inputRef.current;
    if (phase === 'review') {
      if (ch === 'a') finish('accept');
      else if (ch === 'q') finish('quit');
      else if (ch === 'f' || key.return) setPhase('feedback');
    } else if (phase === 'feedback') {
      if (key.return) {
        if (input.trim()) {
          runRound(input.trim());
          setInput('');
        }
      } else if (key.escape) setPhase('review');
      else if (key.backspace || key.delete) setInput(input.slice(0, -1));
      else if (ch && !key.ctrl && !key.meta) setInput(input + ch);
    }
  });

  return (
    <Box flexDirection="column">
      <Static items={rounds}>{(round) => <RoundDiff key={round.version} round={round} />}</Static>
      <Text>
        Refining <Text bold>{props.title}</Text> (version {version})
      </Text>
      {error ? <Text color="red">error: {clean(error)}; no version was lost</Text> : null}
      {phase === 'working' ? <Text color="yellow">refining… {chars} chars</Text> : null}
      {phase === 'feedback' ? (
        <Box flexDirection="column">
          <Text>What should change? (Enter sends, Esc goes back)</Text>
          <Text color="cyan">&gt; {clean(input)}█</Text>
        </Box>
      ) : null}
      {phase === 'review' ? <Text>[f] more feedback  [a] accept (marks it reviewed)  [q] quit (keeps all versions)</Text> : null}
    </Box>
  );
}

/** Renders the session on the given terminal streams; resolves with the outcome (Ctrl-C counts as quit). */
export async function runRefineSession(streams: { stdin: InStream; stdout: OutStream; stderr: OutStream }, props: Omit<RefineSessionProps, 'onExit'>): Promise<RefineOutcome> {
  let outcome: RefineOutcome | undefined;
  let done = { rounds: 0, version: props.version };
  const refine: RefineSessionProps['refine'] = async (feedback, onProgress) => {
    const round = await props.refine(feedback, onProgress);
    done = { rounds: done.rounds + 1, version: round.version };
    return round;
  };
  const app = render(<RefineSession {...props} refine={refine} onExit={(o) => (outcome = o)} />, {
    stdin: streams.stdin as NodeJS.ReadStream,
    stdout: streams.stdout as NodeJS.WriteStream,
    stderr: streams.stderr as NodeJS.WriteStream,
    patchConsole: false,
  });
  await app.waitUntilExit();
  return outcome ?? { action: 'quit', ...done };
}
