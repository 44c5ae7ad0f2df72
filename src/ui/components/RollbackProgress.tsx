import { Box, Text, render } from 'ink';
import type { RolloutEvent, RolloutStatus } from '../../core/rollback/rollout.js';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';

export interface RollbackProgressProps {
  service: string;
  target: string;
  status?: RolloutStatus;
  elapsedMs: number;
  /** Service events seen so far, oldest first; the last few are shown. */
  events: Array<{ at?: Date; message: string }>;
}

const COLORS = { completed: 'green', failed: 'red', 'in-progress': 'cyan' } as const;

/** Live view of a rollout while opsctl waits: state, task counts, and the newest service events. */
export function RollbackProgress({ service, target, status, elapsedMs, events }: RollbackProgressProps) {
  const state = status?.state ?? 'in-progress';
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={COLORS[state]}>{state === 'in-progress' ? '…' : state === 'completed' ? '✓' : '✗'} </Text>
        <Text bold>{service}</Text> → {target}: <Text color={COLORS[state]}>{state}</Text>
        <Text dimColor> {clean(status?.detail ?? 'waiting for ECS')} ({Math.round(elapsedMs / 1000)}s)</Text>
      </Text>
      {events.slice(-5).map((e, i) => (
        <Text key={i} dimColor>
          {'  '}{e.at ? e.at.toISOString().slice(11, 19) : '--:--:--'} {clean(e.message)}
        </Text>
      ))}
    </Box>
  );
}

/** Draws RollbackProgress on stderr (stdout keeps the data) and updates it per rollout event. */
export function renderRollbackProgress(stderr: NodeJS.WriteStream, stdin: NodeJS.ReadStream, service: string, target: string) {
  let props: RollbackProgressProps = { service, target, elapsedMs: 0, events: [] };
  const app = render(<RollbackProgress {...props} />, { stdout: stderr, stderr, stdin, exitOnCtrlC: false, patchConsole: false });
  return {
    update(e: RolloutEvent) {
      props = e.type === 'status'
        ? { ...props, status: e.status, elapsedMs: e.elapsedMs }
        : { ...props, events: [...props.events, { at: e.at, message: e.message }] };
      app.rerender(<RollbackProgress {...props} />);
    },
    async done() {
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
