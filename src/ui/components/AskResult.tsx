import { Box, Text } from 'ink';
import type { SearchResult } from '../../core/runbooks/search.js';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';
import { actionableFirst, citation, moreInFile, why } from '../../output/sections.js';

/** The no-LLM answer on a terminal: citations in colour, the actionable part of each section first. */
export function AskResult({ result, root, minScore }: { result: SearchResult; root: string; minScore: number }) {
  if (result.noMatch) {
    return (
      <Box flexDirection="column">
        <Text color="yellow">No runbook covers this (best relevance {result.best.toFixed(2)} is below {minScore.toFixed(2)}).</Text>
        <Text dimColor>Try other words (the alarm name, the metric, the error text), or write one: opsctl runbook generate --failure-mode "&lt;what broke&gt;"</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {result.hits.map((h, i) => {
        const [first, ...rest] = h.section.sources;
        const { actions, context } = actionableFirst(h.section.text);
        // Runbook text is untrusted on its way to the terminal.
        const body = clean([...actions, ...context].join('\n\n')).split('\n');
        const shown = i === 0 ? body : body.slice(0, 8);
        const more = moreInFile(result, i);
        return (
          <Box key={h.section.label} flexDirection="column" marginBottom={1}>
            <Text>
              <Text bold color="cyan">[{i + 1}] </Text>
              <Text bold>{clean(citation(first, root))}</Text>
            </Text>
            {rest.map((s) => (
              <Text key={citation(s, root)} dimColor>    also: {clean(citation(s, root))}</Text>
            ))}
            <Text dimColor>    why: {clean(why(h))}</Text>
            <Box paddingLeft={3} flexDirection="column">
              <Text>{shown.join('\n')}</Text>
              {shown.length < body.length ? <Text dimColor>… {body.length - shown.length} more lines</Text> : null}
              {more ? <Text dimColor>{clean(more)}</Text> : null}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
