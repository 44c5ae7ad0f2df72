import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { RefineSession, type RefineOutcome, type RefineRound } from '../../src/ui/components/RefineSession.js';

const tick = () => new Promise((r) => setTimeout(r, 20));
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

const V1 = '# Disk full\n\n## Detection\n\ndf -h shows 95%\n\n## Remediation\n\nrun logrotate';

/** A scripted refine: each round appends the feedback as a line; a feedback of "fail" rejects like a down LLM. */
function scripted() {
  let body = V1;
  let version = 1;
  const seen: string[] = [];
  const refine = async (feedback: string, onProgress: (n: number) => void): Promise<RefineRound> => {
    seen.push(feedback);
    onProgress(42);
    if (feedback === 'fail') throw Object.assign(new Error('ollama:llama3.1 failed: fetch failed'), { hint: 'is ollama serve running?' });
    const before = body;
    body = `${body}\n${feedback}`;
    version += 1;
    return { version, before, after: body, archived: `.versions/disk.v${version - 1}.md`, repaired: false };
  };
  return { refine, seen };
}

describe('RefineSession', () => {
  it('feedback → diff → more feedback → quit keeps every round', async () => {
    const s = scripted();
    let outcome: RefineOutcome | undefined;
    const ui = render(<RefineSession title="runbooks/disk.md" version={1} refine={s.refine} onExit={(o) => (outcome = o)} />);
    await until(() => ui.lastFrame()!.includes('What should change?'));
    ui.stdin.write('add df -i');
    await until(() => ui.lastFrame()!.includes('> add df -i'));
    ui.stdin.write('\r');
    await until(() => ui.lastFrame()!.includes('[a] accept'));
    const frame = ui.lastFrame()!;
    expect(frame).toContain('version 2: +1 -0 lines; version 1 kept as .versions/disk.v1.md');
    expect(frame).toContain('+ add df -i');
    expect(frame).toMatch(/⋯ \d+ unchanged lines/);
    expect(frame).toContain('(version 2)');

    ui.stdin.write('f');
    await until(() => ui.lastFrame()!.includes('What should change?'));
    ui.stdin.write('mention inodes');
    await until(() => ui.lastFrame()!.includes('> mention inodes'));
    ui.stdin.write('\r');
    await until(() => ui.lastFrame()!.includes('version 3: +1 -0 lines'));
    ui.stdin.write('q');
    await until(() => outcome !== undefined);
    expect(outcome).toEqual({ action: 'quit', rounds: 2, version: 3 });
    expect(s.seen).toEqual(['add df -i', 'mention inodes']);
    ui.unmount();
  });

  it('--feedback starts a round at once; a failed round shows the error and nothing is lost; accept', async () => {
    const s = scripted();
    let outcome: RefineOutcome | undefined;
    const ui = render(<RefineSession title="runbooks/disk.md" version={1} initialFeedback="fail" refine={s.refine} onExit={(o) => (outcome = o)} />);
    await until(() => ui.lastFrame()!.includes('error: ollama:llama3.1 failed: fetch failed (hint: is ollama serve running?); no version was lost'));
    expect(s.seen).toEqual(['fail']);
    ui.stdin.write('a');
    await until(() => outcome !== undefined);
    expect(outcome).toEqual({ action: 'accept', rounds: 0, version: 1 });
    ui.unmount();
  });

  it('editing: backspace removes a character, Esc goes back without sending, empty Enter sends nothing', async () => {
    const s = scripted();
    const ui = render(<RefineSession title="r.md" version={4} refine={s.refine} onExit={() => {}} />);
    await until(() => ui.lastFrame()!.includes('What should change?'));
    ui.stdin.write('\r');
    await tick();
    ui.stdin.write('abc');
    await until(() => ui.lastFrame()!.includes('> abc'));
    ui.stdin.write('\u007f');
    await until(() => ui.lastFrame()!.includes('> ab█'));
    ui.stdin.write('\u001b');
    await until(() => ui.lastFrame()!.includes('[f] more feedback'));
    expect(s.seen).toEqual([]);
    ui.unmount();
  });
});
