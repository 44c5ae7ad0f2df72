import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** True when `python3 -m moto.server` can run here; tests that need AWS skip with a printed reason otherwise. */
export const hasMoto: boolean = (() => {
  const r = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
  const ok = r.status === 0;
  if (!ok) console.warn('skipping AWS tests: python3 -m moto.server is not available (pip install "moto[server]")');
  return ok;
})();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Moto {
  endpoint: string;
  /** Env for child processes / SDK clients pointing at this moto with dummy credentials. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts a fresh moto server on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const proc: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error(`moto did not start on ${endpoint}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return {
    endpoint,
    env,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Sets process.env for in-process SDK clients; returns a function that restores the previous values. */
export function useEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
