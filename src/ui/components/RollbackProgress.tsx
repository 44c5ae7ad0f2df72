import { Box, Text, render } from 'ink';
import { useEffect, useState } from 'react';
import type { RolloutEvent, RolloutStatus } from '../../core/rollback/rollout.js';
import { sanitizeForTerminal as clean } from '../../core/safety/sanitize.js';

export interface RollbackProgressProps {
  service: string;
  target: string;
  status?: RolloutStatus;
  elapsedMs: number;
  /** Date.now() when `elapsedMs` was measured: the shown time keeps counting from there between polls. */
  measuredAt?: number;
  /** Service events seen so far, oldest first; the last few are shown. */
  events: Array<{ at?: Date; message: string }>;
}

const COLORS = { completed: 'green', failed: 'red', 'in-progress': 'cyan' } as const;

/** Live view of a rollout while opsctl waits: state, task counts, and the newest service events. */
export function RollbackProgress({ service, target, status, elapsedMs, measuredAt, events }: RollbackProgressProps) {
  const state = status?.state ?? 'in-progress';
  // Polls are seconds apart: redraw every second so the elapsed time is live, not frozen at the last poll.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (state !== 'in-progress' || measuredAt === undefined) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [state, measuredAt]);
  const shown = elapsedMs + (state === 'in-progress' && measuredAt !== undefined ? Math.max(0, now - measuredAt) : 0);
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={COLORS[state]}>{state === 'in-progress' ? '…' : state === 'completed' ? '✓' : '✗'} </Text>
        <Text bold>{service}</Text> → {target}: <Text color={COLORS[state]}>{state}</Text>
        <Text dimColor> {clean(status?.detail ?? 'waiting for ECS')} ({Math.round(shown / 1000)}s)</Text>
      </Text>
      {events.slice(-5).map((e, i) => (
        <Text key={i} dimColor>
          {'  '}{e.at ? e.at.toISOString().slice(11, 19) : '--:--:--'} {clean(e.message)}
        </Text>
      ))}
    </Box>
  );
}

/** Folds one rollout event into the view's props; every poll (tick) moves the elapsed time on. */
export function applyRolloutEvent(props: RollbackProgressProps, e: RolloutEvent, now: number): RollbackProgressProps {
  if (e.type === 'status') return { ...props, status: e.status, elapsedMs: e.elapsedMs, measuredAt: now };
  if (e.type === 'tick') return { ...props, elapsedMs: e.elapsedMs, measuredAt: now };
  return { ...props, events: [...props.events, { at: e.at, message: e.message }] };
}

/** Draws RollbackProgress on stderr (stdout keeps the data) and updates it per rollout event. */
export function renderRollbackProgress(stderr: NodeJS.WriteStream, stdin: NodeJS.ReadStream, service: string, target: string) {
  let props: RollbackProgressProps = { service, target, elapsedMs: 0, events: [] };
  const app = render(<RollbackProgress {...props} />, { stdout: stderr, stderr, stdin, exitOnCtrlC: false, patchConsole: false });
  return {
    update(e: RolloutEvent) {
      props = applyRolloutEvent(props, e, Date.now());
      app.rerender(<RollbackProgress {...props} />);
    },
    async done() {
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
