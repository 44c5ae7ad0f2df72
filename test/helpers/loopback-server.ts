import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Misbehaviour for the next requests; `times` counts down (default 1), then the server behaves again. */
export type ServerFault =
  /** Answers with this status; `plain` sends a text/plain body (as a proxy in front of Ollama would). */
  | { kind: 'status'; status: number; times?: number; plain?: string }
  /** Waits this long before sending anything. */
  | { kind: 'slow'; delayMs: number; times?: number }
  /** Sends this many stream chunks, then destroys the socket. */
  | { kind: 'drop'; afterChunks: number; times?: number }
  /** Sends this many stream chunks, then keeps the connection open and silent. */
  | { kind: 'stall'; afterChunks: number; times?: number };

/** A node:http server on 127.0.0.1 (free port) whose next requests can be made to misbehave. */
export abstract class LoopbackServer {
  abstract readonly requests: unknown[];
  fault: ServerFault | undefined;
  private server: Server | undefined;

  /** Listens on a free port; returns the base URL, e.g. http://127.0.0.1:40123. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Forgets recorded requests and any pending fault (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.fault = undefined;
  }

  /** The fault for this request, if any, counting it down. */
  protected takeFault(): ServerFault | undefined {
    const f = this.fault;
    if (!f) return undefined;
    const left = (f.times ?? 1) - 1;
    this.fault = left > 0 ? { ...f, times: left } : undefined;
    return f;
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
