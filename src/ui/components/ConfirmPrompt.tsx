import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
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
  // The typed text lives in a ref too: one input chunk can hold several keys ("y\r" from a paste or tmux).
  const typed = useRef('');
  const done = useRef(false);

  const finish = (yes: boolean) => {
    if (done.current) return;
    done.current = true;
    setAnswer(yes);
    onAnswer(yes);
  };
  const type = (t: string) => {
    typed.current = t.slice(0, 16);
    setText(typed.current);
  };

  useInput(
    (input, key) => {
      if (key.return) return finish(isYes(typed.current));
      if (key.escape || (key.ctrl && input === 'c')) return finish(false);
      if (key.backspace || key.delete) return type(typed.current.slice(0, -1));
      if (key.ctrl || key.meta) return;
      for (const ch of input) {
        if (done.current) return;
        if (ch === '\r' || ch === '\n') finish(isYes(typed.current));
        else if (ch === '\u0003' || ch === '\u001b') finish(false);
        else if (ch === '\u007f' || ch === '\b') type(typed.current.slice(0, -1));
        else if (ch >= ' ') type(typed.current + ch);
      }
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
