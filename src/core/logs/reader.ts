import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { OpsctlError } from '../errors.js';

/**
 * Longest line kept, in bytes; the rest of a longer line is dropped and the line marked truncated. What is kept is
 * the line's head, unless a failure word (see LATE_SIGNAL) stands only further on: then the window around the last
 * one, so a `Killed` at the end of a 5 KB progress-bar line is still evidence.
 */
export const MAX_LINE_BYTES = 4096;
/** Words that make the tail of an over-long line worth more than its head (matched on the whole line). */
const LATE_SIGNAL = /killed|sigkill|sigsegv|segmentation fault|core dumped|out of memory|oom|panic|fatal|exception|error|fail|denied|timed out|exit (?:code|status) [1-9]/gi;
/** Bytes of context kept after the failure word when the window is taken from a line's tail. */
const AFTER_SIGNAL = 512;

/**
 * Start of the MAX_LINE_BYTES window to keep of buf[start, end), a line piece that begins `before` bytes into its
 * line: -1 when the head is to be kept (no failure word past it), else the window's start in buf.
 */
function lateWindow(buf: Buffer, start: number, end: number, before: number): number {
  // latin1 keeps one char per byte, so match positions are byte offsets; only over-long lines get here.
  const last = lastFailureWord(buf.toString('latin1', start, end));
  if (!last || before + last.end <= MAX_LINE_BYTES) return -1;
  const from = Math.max(0, Math.min(last.index - (MAX_LINE_BYTES - AFTER_SIGNAL), end - start - MAX_LINE_BYTES));
  return start + from;
}

/** Where the last failure word of a text stands (see LATE_SIGNAL), to cut a long line around it. */
export function lastFailureWord(text: string): { index: number; end: number } | undefined {
  let last: { index: number; end: number } | undefined;
  LATE_SIGNAL.lastIndex = 0;
  for (let m = LATE_SIGNAL.exec(text); m; m = LATE_SIGNAL.exec(text)) last = { index: m.index, end: m.index + m[0].length };
  return last;
}

/**
 * A batch of lines as byte ranges of one buffer, so a pass decodes only the lines it needs: line i is
 * buf[start[i], end[i]) (newline, CR and bytes beyond MAX_LINE_BYTES excluded). The arrays are reused by
 * the next batch; `buf` is not (holding on to it keeps the bytes valid).
 */
export interface LineBatch {
  buf: Buffer;
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** Bytes dropped from each line beyond MAX_LINE_BYTES (0 for most). */
  dropped: Int32Array;
}

export interface ReadOptions {
  /** Read only the first `limit` bytes (a file that grows while read is pinned to its size when reading began). */
  limit?: number;
  signal?: AbortSignal;
  /** Name for error messages. */
  name: string;
}

async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    // A missing or unreadable file: the read itself reports it.
    return undefined;
  }
}

/**
 * The size of a regular file when reading starts, so a log that keeps being written to (a live service log) is
 * read up to there instead of for as long as it grows. Undefined for pipes and devices, which have no size.
 */
export async function regularFileSize(path: string): Promise<number | undefined> {
  const s = await statOf(path);
  return s?.isFile() ? s.size : undefined;
}

/** A pipe or device (process substitution, a FIFO, /dev/stdin): it can be read only once. */
export async function isPipe(path: string): Promise<boolean> {
  const s = await statOf(path);
  return Boolean(s && (s.isFIFO() || s.isCharacterDevice() || s.isSocket()));
}

/** Control bytes other than tab, newline, CR, VT and FF: shown with a marker, counted towards "binary". */
// eslint-disable-next-line no-control-regex -- matching control bytes is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
/** A chunk whose share of control bytes is above this is binary (a NUL here and there is a damaged text log). */
export const BINARY_SHARE = 0.1;

/**
 * UTF-8 text of buf[start, end) (invalid bytes become U+FFFD), with each control byte replaced by its
 * visible Control Pictures marker (NUL → ␀, ESC → ␛), so a NUL left by an unclean shutdown is shown, not
 * written raw to a terminal or a prompt.
 */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROL, (c) => String.fromCharCode(c === '\x7f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

/** Line i of a batch as a string (see decodeLine). */
export function lineText(b: LineBatch, i: number): string {
  return decodeLine(b.buf, b.start[i], b.end[i]);
}

/** Share of control bytes (see CONTROL) in buf: binary data is mostly such bytes, a text log almost none. */
export function controlShare(buf: Buffer): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) || c === 127) n++;
  }
  return buf.length === 0 ? 0 : n / buf.length;
}

/**
 * Streams a file as batches of lines in bounded memory. Binary input (gzip magic, or a first chunk that is
 * more than BINARY_SHARE control bytes) is refused with OpsctlError('input'); stray NULs are text (decodeLine
 * marks them); CRLF endings are stripped; a last line without a newline counts.
 * Resolves to the number of bytes consumed, so later passes can stop at the same place.
 */
export async function readLineBatches(path: string, opts: ReadOptions, onBatch: (b: LineBatch) => void): Promise<number> {
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    ...(opts.limit !== undefined ? { end: Math.max(0, opts.limit - 1) } : {}),
  });
  if (opts.limit === 0) {
    stream.destroy();
    return 0;
  }
  // A line split across reads is carried (its first MAX_LINE_BYTES at most) and sent as a batch of its own.
  let carry: Buffer[] = [];
  let carryLen = 0;
  let droppedNow = 0;
  let total = 0;
  let batch: LineBatch = { buf: Buffer.alloc(0), count: 0, start: new Int32Array(1 << 14), end: new Int32Array(1 << 14), dropped: new Int32Array(1 << 14) };
  // The window taken from the tail of a line that spans reads (see lateWindow), replacing its carried head.
  let late: Buffer | undefined;
  const add = (buf: Buffer, start: number, end: number) => {
    const take = Math.min(MAX_LINE_BYTES, end - start);
    droppedNow += end - start - take;
    if (take < end - start) {
      const w = lateWindow(buf, start, end, 0);
      if (w >= 0) start = w;
    }
    let stop = start + take;
    if (stop > start && buf[stop - 1] === 13) stop--;
    if (batch.count === batch.start.length) batch = grow(batch);
    const k = batch.count++;
    batch.start[k] = start;
    batch.end[k] = stop;
    batch.dropped[k] = droppedNow;
    droppedNow = 0;
  };
  // A piece of a line that spans reads: past the head, a failure word makes its window the part kept.
  const noteLate = (buf: Buffer, start: number, end: number) => {
    const before = carryLen + droppedNow;
    if (end <= start || before + end - start <= MAX_LINE_BYTES) return;
    const w = lateWindow(buf, start, end, before);
    if (w >= 0) late = Buffer.from(buf.subarray(w, Math.min(end, w + MAX_LINE_BYTES)));
  };
  const flushCarry = (buf: Buffer, end: number) => {
    noteLate(buf, 0, end);
    const room = MAX_LINE_BYTES - carryLen;
    const take = Math.max(0, Math.min(room, end));
    droppedNow += end - take;
    let line: Buffer = Buffer.concat([...carry, buf.subarray(0, take)]);
    if (late) {
      droppedNow += line.length - late.length;
      line = late;
      late = undefined;
    }
    carry = [];
    carryLen = 0;
    batch.buf = line;
    batch.count = 0;
    add(line, 0, line.length);
    onBatch(batch);
  };
  try {
    for await (const raw of stream) {
      if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'interrupted');
      const buf = raw as Buffer;
      if (total === 0 && buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
        throw new OpsctlError('input', `${opts.name}: looks like gzip data, not a text log`, `decompress it first: gunzip -c ${opts.name} | opsctl logs reduce -`);
      }
      if (total === 0 && controlShare(buf) > BINARY_SHARE) {
        throw new OpsctlError('input', `${opts.name}: binary data (${Math.round(controlShare(buf) * 100)}% control bytes), not a text log`, 'pass a text log file; decode or decompress binary formats first');
      }
      total += buf.length;
      let pos = 0;
      let nl = buf.indexOf(10);
      if (nl >= 0 && (carryLen > 0 || droppedNow > 0)) {
        flushCarry(buf, nl);
        pos = nl + 1;
        nl = buf.indexOf(10, pos);
      }
      batch.buf = buf;
      batch.count = 0;
      for (; nl >= 0; nl = buf.indexOf(10, pos)) {
        add(buf, pos, nl);
        pos = nl + 1;
      }
      if (batch.count > 0) onBatch(batch);
      if (pos < buf.length) {
        noteLate(buf, pos, buf.length);
        const take = Math.max(0, Math.min(MAX_LINE_BYTES - carryLen, buf.length - pos));
        if (take > 0) carry.push(Buffer.from(buf.subarray(pos, pos + take)));
        carryLen += take;
        droppedNow += buf.length - pos - take;
      }
    }
    if (carryLen > 0 || droppedNow > 0) flushCarry(Buffer.alloc(0), 0);
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

function grow(b: LineBatch): LineBatch {
  const n = b.start.length * 2;
  const copy = (a: Int32Array) => {
    const x = new Int32Array(n);
    x.set(a);
    return x;
  };
  return { buf: b.buf, count: b.count, start: copy(b.start), end: copy(b.end), dropped: copy(b.dropped) };
}
