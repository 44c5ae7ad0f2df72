import { createReadStream } from 'node:fs';
import { OpsctlError } from '../errors.js';

/** Longest line kept, in bytes; the rest of a longer line is dropped and the line marked truncated. */
export const MAX_LINE_BYTES = 4096;

export interface LineChunk {
  /** Lines decoded as UTF-8 (invalid bytes become U+FFFD), without the newline. */
  lines: string[];
  /** Bytes dropped from each line beyond MAX_LINE_BYTES (0 for most); same length as lines. */
  dropped: number[];
}

export interface ReadOptions {
  /** Read only the first `limit` bytes (a file that grows while read is pinned to its pass-1 size). */
  limit?: number;
  signal?: AbortSignal;
  /** Name for error messages. */
  name: string;
}

/**
 * Streams a file as batches of lines in bounded memory. Binary input (a NUL byte, or gzip magic) is
 * refused with OpsctlError('input'); CRLF endings are stripped; a last line without a newline counts.
 * Resolves to the number of bytes consumed, so later passes can stop at the same place.
 */
export async function readLines(path: string, opts: ReadOptions, onChunk: (c: LineChunk) => void): Promise<number> {
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    ...(opts.limit !== undefined ? { end: Math.max(0, opts.limit - 1) } : {}),
  });
  if (opts.limit === 0) {
    stream.destroy();
    return 0;
  }
  let carry: Buffer[] = [];
  let carryLen = 0;
  let droppedNow = 0;
  let total = 0;
  const flushLine = (buf: Buffer, start: number, end: number, out: LineChunk) => {
    let bytes: Buffer;
    if (carryLen > 0) {
      const room = MAX_LINE_BYTES - carryLen;
      const take = Math.max(0, Math.min(room, end - start));
      droppedNow += end - start - take;
      bytes = Buffer.concat([...carry, buf.subarray(start, start + take)]);
      carry = [];
      carryLen = 0;
    } else {
      const take = Math.min(MAX_LINE_BYTES, end - start);
      droppedNow += end - start - take;
      bytes = buf.subarray(start, start + take);
    }
    let len = bytes.length;
    if (len > 0 && bytes[len - 1] === 13) len--;
    out.lines.push(bytes.toString('utf8', 0, len));
    out.dropped.push(droppedNow);
    droppedNow = 0;
  };
  try {
    for await (const raw of stream) {
      if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'interrupted');
      const buf = raw as Buffer;
      if (total === 0 && buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
        throw new OpsctlError('input', `${opts.name}: looks like gzip data, not a text log`, `decompress it first: gunzip -c ${opts.name} | opsctl logs reduce -`);
      }
      const nul = buf.indexOf(0);
      if (nul >= 0) {
        throw new OpsctlError('input', `${opts.name}: binary data (NUL byte at offset ${total + nul}), not a text log`, 'pass a text log file; decode or decompress binary formats first');
      }
      total += buf.length;
      const out: LineChunk = { lines: [], dropped: [] };
      let pos = 0;
      for (let nl = buf.indexOf(10, pos); nl >= 0; nl = buf.indexOf(10, pos)) {
        flushLine(buf, pos, nl, out);
        pos = nl + 1;
      }
      if (pos < buf.length) {
        const take = Math.max(0, Math.min(MAX_LINE_BYTES - carryLen, buf.length - pos));
        if (take > 0) carry.push(Buffer.from(buf.subarray(pos, pos + take)));
        carryLen += take;
        droppedNow += buf.length - pos - take;
      }
      if (out.lines.length) onChunk(out);
    }
    if (carryLen > 0 || droppedNow > 0) {
      const out: LineChunk = { lines: [], dropped: [] };
      flushLine(Buffer.alloc(0), 0, 0, out);
      onChunk(out);
    }
  } catch (e) {
    if (e instanceof OpsctlError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new OpsctlError('input', `${opts.name}: no such file`, 'check the path, or use - to read stdin', { cause: e });
    if (err.code === 'EISDIR') throw new OpsctlError('input', `${opts.name}: is a directory, not a log file`, 'pass log files, e.g. dir/*.log', { cause: e });
    if (err.code === 'EACCES') throw new OpsctlError('input', `${opts.name}: permission denied`, 'check the file permissions', { cause: e });
    throw new OpsctlError('input', `${opts.name}: cannot read (${err.message})`, undefined, { cause: e });
  } finally {
    stream.destroy();
  }
  return total;
}
