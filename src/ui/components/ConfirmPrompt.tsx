import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { isYes } from '../../core/rollback/gate.js';

export interface ConfirmPromptProps {
  /** e.g. "Roll back web-api to web-api:41?" */
  question: string;
  /** Called once: true only for y / yes followed by Enter. */
  onAnswer: (yes: boolean) => void;
}

/**
 * A y/N prompt whose default is No. The answer is typed then confirmed with Enter, so a stray key cannot
 * approve; Enter alone, Esc and Ctrl-C (which arrives as input in raw mode) all answer no.
 */
export function ConfirmPrompt({ question, onAnswer }: ConfirmPromptProps) {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<boolean | undefined>(undefined);

  const finish = (yes: boolean) => {
    setAnswer(yes);
    onAnswer(yes);
  };

  useInput(
    (input, key) => {
      if (key.return) finish(isYes(text));
      else if (key.escape || (key.ctrl && input === 'c')) finish(false);
      else if (key.backspace || key.delete) setText((t) => t.slice(0, -1));
      else if (!key.ctrl && !key.meta && input) setText((t) => (t + input).slice(0, 16));
    },
    { isActive: answer === undefined },
  );

  return (
    <Box>
      <Text bold>{question} </Text>
      <Text dimColor>[y/N] </Text>
      {answer === undefined ? <Text>{text}<Text inverse> </Text></Text> : <Text color={answer ? 'green' : 'yellow'}>{answer ? 'yes' : 'no'}</Text>}
    </Box>
  );
}
