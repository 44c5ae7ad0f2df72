import type { IncomingMessage, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, sleep } from './loopback-server.js';

export interface ConverseBody {
  messages: Array<{ role: string; content: Array<{ text?: string }> }>;
  system?: Array<{ text: string }>;
  inferenceConfig?: { temperature?: number; maxTokens?: number };
}

export interface RecordedBedrockRequest {
  operation: 'converse' | 'converse-stream';
  modelId: string;
  headers: IncomingHttpHeaders;
  body: ConverseBody;
}

export interface BedrockServerOptions {
  /** Known model ids; others get a ValidationException. Default amazon.nova-lite-v1:0. */
  models?: string[];
  /** Known models whose access is not granted: 403 AccessDeniedException. */
  denied?: string[];
  /** The answer; an array gives the exact contentBlockDelta texts. Default: echoes the last user text. */
  reply?: (body: ConverseBody, modelId: string) => string | string[];
}

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['ValidationException', 'The provided model identifier is invalid.'],
  403: ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
  429: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  500: ['InternalServerException', 'The server encountered an internal error.'],
  503: ['ServiceUnavailableException', 'The service is temporarily unavailable.'],
};

/**
 * A node:http server on 127.0.0.1 speaking Bedrock Runtime's Converse (restJson1) and ConverseStream
 * (application/vnd.amazon.eventstream) wire formats. The SDK must use `new NodeHttpHandler()` (HTTP/1.1).
 * Signatures are not checked; the Authorization header is recorded.
 */
export class BedrockTestServer extends LoopbackServer {
  readonly requests: RecordedBedrockRequest[] = [];

  constructor(private readonly opts: BedrockServerOptions = {}) {
    super();
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const m = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec((req.url ?? '').split('?')[0]);
    if (req.method !== 'POST' || !m) return awsError(res, 404, 'UnknownOperationException', 'Unknown operation');
    const modelId = decodeURIComponent(m[1]);
    const operation = m[2] as RecordedBedrockRequest['operation'];
    const body = JSON.parse(raw || '{}') as ConverseBody;
    this.requests.push({ operation, modelId, headers: req.headers, body });
    const fault = this.takeFault();
    if (fault?.kind === 'status') return awsError(res, fault.status, ...(ERROR_TYPES[fault.status] ?? ['UnknownError', 'simulated']));
    if (fault?.kind === 'slow') await sleep(fault.delayMs);
    if (!(this.opts.models ?? ['amazon.nova-lite-v1:0']).includes(modelId)) return awsError(res, 400, ...ERROR_TYPES[400]);
    if (this.opts.denied?.includes(modelId)) return awsError(res, 403, ...ERROR_TYPES[403]);
    const reply = (this.opts.reply ?? echo)(body, modelId);
    const chunks = Array.isArray(reply) ? reply : (reply.match(/\s*\S+\s*/g) ?? []);
    const usage = { inputTokens: 12, outputTokens: chunks.length, totalTokens: 12 + chunks.length };
    if (operation === 'converse') {
      if (fault?.kind === 'drop') return void res.socket?.destroy();
      if (fault?.kind === 'stall') return;
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
      return void res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: chunks.join('') }] } }, stopReason: 'end_turn', usage, metrics: { latencyMs: 42 } }));
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-1' });
    res.write(event('messageStart', { p: 'abcd', role: 'assistant' }));
    for (const [i, text] of chunks.entries()) {
      if ((fault?.kind === 'drop' || fault?.kind === 'stall') && i === fault.afterChunks) {
        if (fault.kind === 'drop') res.socket?.destroy();
        return;
      }
      res.write(event('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdefgh' }));
      await sleep(1);
    }
    res.write(event('contentBlockStop', { contentBlockIndex: 0, p: 'abc' }));
    res.write(event('messageStop', { p: 'ab', stopReason: 'end_turn' }));
    res.end(event('metadata', { metrics: { latencyMs: 42 }, p: 'a', usage }));
  }
}

function echo(body: ConverseBody): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  return `You asked: ${(last?.content ?? []).map((c) => c.text ?? '').join(' ')}`;
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'req-err' });
  res.end(JSON.stringify({ message }));
}

function event(type: string, payload: unknown): Buffer {
  return encodeEventStreamMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify(payload)));
}

/**
 * One AWS event-stream message: a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes),
 * the headers (name length u8, name, type 7 = string, value length u16, value), the payload, and a CRC32
 * of everything before it. All integers big-endian.
 */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBufs = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const b = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    b.writeUInt8(n.length, 0);
    n.copy(b, 1);
    b.writeUInt8(7, 1 + n.length);
    b.writeUInt16BE(v.length, 2 + n.length);
    v.copy(b, 4 + n.length);
    return b;
  });
  const hdrs = Buffer.concat(headerBufs);
  const total = 12 + hdrs.length + payload.length + 4;
  const msg = Buffer.alloc(total);
  msg.writeUInt32BE(total, 0);
  msg.writeUInt32BE(hdrs.length, 4);
  msg.writeUInt32BE(crc32(msg.subarray(0, 8)), 8);
  hdrs.copy(msg, 12);
  payload.copy(msg, 12 + hdrs.length);
  msg.writeUInt32BE(crc32(msg.subarray(0, total - 4)), total - 4);
  return msg;
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as event-stream uses. */
export function crc32(buf: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of buf) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
