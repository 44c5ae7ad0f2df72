import { execFileSync, spawnSync } from 'node:child_process';

/** Whether tmux is installed: tests that drive a real terminal skip, with a printed reason, without it. */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * A real terminal: a private tmux server (its own socket, so tests never touch the user's sessions) running a
 * command in a 120x40 pane, typed into and read back as a person would.
 */
export class Terminal {
  private session = '';
  private sessions = 0;

  constructor(private readonly socket: string) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Runs `cmd` in a new session: one per run, since killing the only session would stop the server. */
  start(cmd: string, opts: { cwd: string; env?: Record<string, string> }): void {
    this.session = `s${++this.sessions}`;
    const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('new-session', '-d', '-s', this.session, '-x', '120', '-y', '40', '-c', opts.cwd, ...env, cmd);
  }

  /** The pane's text, wrapped lines joined. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.session);
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Presses keys by tmux name: 'Enter', 'y', 'Escape'. */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Waits (up to 15 s) until the screen passes `check`; the error shows the screen. */
  async until(check: (screen: string) => boolean, what: string): Promise<void> {
    for (let i = 0; i < 300 && !check(this.screen()); i++) await new Promise((r) => setTimeout(r, 50));
    if (!check(this.screen())) throw new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
