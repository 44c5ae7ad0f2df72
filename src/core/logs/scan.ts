import { DensityModel, WINDOW } from './density.js';
import { IdSpool } from './ids.js';
import { LineScanner } from './line-scan.js';
import { NumericModel, scanNumbers, SLOTS } from './numbers.js';
import { lineText, readLineBatches, regularFileSize } from './reader.js';
import { SessionTracker, type SessionVerdict } from './sessions.js';
import { TemplateMiner } from './templates.js';
import type { LogInput } from './types.js';

/** What pass 1 learns about one source. Size is bounded by the miner's caps, not by the log. */
export interface SourceStats {
  input: LogInput;
  /** Bytes read (a regular file: its size when pass 1 began); later passes stop here so a growing file reads the same lines. */
  bytes: number;
  lines: number;
  /** Sum of estimateTokens over lines, plus one per newline. */
  tokens: number;
  truncatedLines: number;
  miner: TemplateMiner;
  density: DensityModel;
  /** Template id of every line, in order; dispose() when done. */
  ids: IdSpool;
  /** Unusual sessions (lines sharing an identifier) by their representative line number. */
  sessions: Map<number, SessionVerdict>;
  /** Usual range of each template's numbers (numeric outliers). */
  numbers: NumericModel;
  /** With a baseline: 1 for each template the passing run also shows (background), 0 for new ones. */
  known?: Uint8Array;
}

/** Pass 1: mines templates, counts tokens, samples window vectors and groups lines into sessions. */
export async function scanSource(input: LogInput, signal?: AbortSignal): Promise<SourceStats> {
  const miner = new TemplateMiner();
  const density = new DensityModel();
  const win = new Int32Array(WINDOW);
  let fill = 0;
  let lines = 0;
  let tokens = 0;
  let truncatedLines = 0;
  const ids = new IdSpool();
  const tracker = new SessionTracker();
  const keys: string[] = [];
  const scanner = new LineScanner();
  const numbers = new NumericModel();
  const vals = new Float64Array(SLOTS);
  const limit = await regularFileSize(input.path);
  const bytes = await readLineBatches(input.path, { name: input.name, signal, ...(limit !== undefined ? { limit } : {}) }, (b) => {
    for (let i = 0; i < b.count; i++) {
      lines++;
      // ASCII lines are scanned as bytes; others are decoded first so characters, not bytes, are counted.
      if (!scanner.scan(b.buf, b.start[i], b.end[i], true, keys)) scanner.scanText(lineText(b, i), keys);
      tokens += scanner.tokens + 1;
      if (b.dropped[i] > 0) truncatedLines++;
      const id = miner.addUnits(scanner.key, scanner.keyLen, lines);
      ids.push(id);
      if (numbers.learning(id)) {
        const nv = scanNumbers(b.buf, b.start[i], b.end[i], vals);
        if (nv > 0) numbers.observe(id, vals, nv);
      }
      // Sessions compare exact keys, not templates: steps like "from NEW to ASSIGNED" and "from ASSIGNED to
      // RUNNING" share a template, and their order is the signal. 15 bits keep the tracker's tables small.
      if (keys.length > 0) tracker.observe(lines, miner.lastHash & 0x7fff, keys);
      win[fill++] = id;
      if (fill === WINDOW) {
        density.observe(win, fill);
        fill = 0;
      }
    }
  }).catch((e: unknown) => {
    ids.dispose();
    throw e;
  });
  ids.flush();
  const sessions = new Map<number, SessionVerdict>();
  for (const v of tracker.finish()) if (!sessions.has(v.line)) sessions.set(v.line, v); // best first
  return { input, bytes, lines, tokens, truncatedLines, miner, density, ids, sessions, numbers };
}
