import { Box, Text } from 'ink';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';
import { destructiveFlags, groundingFlags, injectionFlags, listedSources, verbosePrompt } from '../../output/ask-answer-text.js';
import { useSpinner } from '../hooks/use-spinner.js';
import type { AskView } from '../hooks/use-ask-events.js';
import { AskResult } from './AskResult.js';

export interface AnswerStreamProps {
  view: AskView;
  /** Runbooks dir as the user sees it (citations). */
  root: string;
  minScore: number;
  /** The LLM asked for, e.g. "ollama:llama3.1"; undefined when answering without one. */
  llmId?: string;
  /** Show the retrieved context and the exact prompt. */
  verbose?: boolean;
}

/** A Sources list: what the answer cites, or everything it was given when it cites nothing. */
function SourceList({ view }: { view: AskView }) {
  if (view.done) {
    const { cited, sources } = listedSources(view.done);
    if (!sources.length) return null;
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{cited ? 'Sources' : 'Sources (retrieved; the answer cites none)'}</Text>
        {sources.map((s) => (
          <Text key={s.n}>
            <Text color="cyan">  [{s.n}] </Text>
            {clean(s.citation)}
          </Text>
        ))}
      </Box>
    );
  }
  if (!view.citations.length) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text dimColor>cited so far</Text>
      {view.citations.map((s) => (
        <Text key={s.n} dimColor>  [{s.n}] {clean(s.citation)}</Text>
      ))}
    </Box>
  );
}

/**
 * One question's answer on a terminal: a spinner while retrieving and waiting for the first token, the
 * answer as it streams, the citations as a list, and the ⚠ flags of the grounding check. When the LLM
 * failed or was not asked, the offline answer (the runbook sections) is shown instead.
 */
export function AnswerStream({ view, root, minScore, llmId, verbose }: AnswerStreamProps) {
  const waiting = view.phase === 'retrieving' || (view.phase === 'answering' && view.text === '');
  const spin = useSpinner(waiting);
  const done = view.done;
  const offline = view.result && done && !done.usedLlm;
  // Everything below that came from the model, the runbooks or a backend passes the terminal sanitiser.
  const g = done?.grounding;
  const flags = g ? [...groundingFlags(g), ...injectionFlags(g)].map(clean) : [];
  const destructive = g ? destructiveFlags(g).map(clean) : [];
  return (
    <Box flexDirection="column">
      {view.indexed ? <Text dimColor>index updated: {view.indexed.files} files, {view.indexed.sections} sections</Text> : null}
      {verbose && view.prompt && llmId ? <Text dimColor>{clean(verbosePrompt(view.prompt, llmId))}</Text> : null}
      {verbose && done?.skipped ? <Text dimColor>LLM not called: no runbook section is relevant enough.</Text> : null}
      {waiting ? (
        <Text color="yellow">
          {spin} {view.phase === 'retrieving' ? 'searching the runbooks…' : `asking ${llmId ?? 'the LLM'} (${view.prompt?.sources.length ?? 0} sections)…`}
        </Text>
      ) : null}
      {view.text && !(offline && !done?.partial) ? <Text>{clean(view.text)}</Text> : null}
      {done?.fallbackReason ? (
        <Box flexDirection="column" marginY={1}>
          <Text color="yellow">⚠ {llmId ?? 'the LLM'} unavailable: {clean(done.fallbackReason)}</Text>
          <Text dimColor>{done.partial ? 'the answer above is incomplete; ' : ''}here are the runbook sections instead:</Text>
        </Box>
      ) : null}
      {offline && view.result ? <AskResult result={view.result} root={root} minScore={minScore} /> : null}
      {destructive.length ? (
        <Box flexDirection="column" marginTop={1}>
          {destructive.map((d, i) => (
            <Text key={i} color="red" bold>{d}</Text>
          ))}
        </Box>
      ) : null}
      {flags.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow" bold>⚠ unsupported (check these against the runbook before acting):</Text>
          {flags.map((f, i) => (
            <Text key={i} color="yellow">  - {f}</Text>
          ))}
        </Box>
      ) : null}
      {done?.usedLlm || !done ? <SourceList view={view} /> : null}
      {view.error ? (
        <Text color="red">
          error: {clean(view.error.message)}
          {view.error.hint ? clean(` (hint: ${view.error.hint})`) : ''}
        </Text>
      ) : null}
    </Box>
  );
}
