import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ConfirmPrompt } from '../../src/ui/components/ConfirmPrompt.js';

const tick = () => new Promise((r) => setTimeout(r, 20));

async function answer(keys: string[]): Promise<boolean[]> {
  const answers: boolean[] = [];
  const app = render(<ConfirmPrompt question="Roll back web-api to web-api:41?" onAnswer={(yes) => answers.push(yes)} />);
  await tick();
  for (const k of keys) {
    app.stdin.write(k);
    await tick();
  }
  app.unmount();
  return answers;
}

describe('ConfirmPrompt', () => {
  it('asks with a default of No', async () => {
    const app = render(<ConfirmPrompt question="Roll back web-api to web-api:41?" onAnswer={() => {}} />);
    expect(app.lastFrame()).toContain('Roll back web-api to web-api:41? [y/N]');
    app.unmount();
  });

  it.each([
    { name: 'y Enter', keys: ['y', '\r'], want: [true] },
    { name: 'yes Enter', keys: ['y', 'e', 's', '\r'], want: [true] },
    { name: 'Y Enter', keys: ['Y', '\r'], want: [true] },
    { name: 'Enter', keys: ['\r'], want: [false] },
    { name: 'n Enter', keys: ['n', '\r'], want: [false] },
    { name: 'Esc', keys: ['\u001b'], want: [false] },
    { name: 'Ctrl-C', keys: ['\u0003'], want: [false] },
    { name: 'yy Enter', keys: ['y', 'y', '\r'], want: [false] },
    { name: 'y Backspace Enter', keys: ['y', '\u007f', '\r'], want: [false] },
    { name: 'n Backspace y Enter', keys: ['n', '\u007f', 'y', '\r'], want: [true] },
  ])('$name → $want', async ({ keys, want }) => {
    expect(await answer(keys)).toEqual(want);
  });

  it('y alone does not answer; only Enter does, and only once', async () => {
    expect(await answer(['y'])).toEqual([]);
    expect(await answer(['\r', 'y', '\r'])).toEqual([false]);
  });

  it('shows the answer after it is given', async () => {
    const app = render(<ConfirmPrompt question="Q?" onAnswer={() => {}} />);
    await tick();
    app.stdin.write('\r');
    await tick();
    expect(app.lastFrame()).toMatch(/Q\? \[y\/N\] no/);
    app.unmount();
  });
});

describe('ConfirmPrompt with several keys in one chunk (paste, tmux send-keys)', () => {
  it.each([
    { chunk: 'y\r', want: [true] },
    { chunk: 'yes\r', want: [true] },
    { chunk: 'n\r', want: [false] },
    { chunk: 'yn\r', want: [false] },
    { chunk: 'x\u007fy\r', want: [true] },
    { chunk: '\ry\r', want: [false] },
  ])('$chunk → $want', async ({ chunk, want }) => {
    expect(await answer([chunk])).toEqual(want);
  });
});
