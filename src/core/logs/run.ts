import { createReadStream } from 'node:fs';
import { OpsctlError } from '../errors.js';
import type { LogSource } from '../ports.js';
import { reduceLogs, type ReduceOptions, type ReduceOutput } from './reduce.js';
import { isPipe } from './reader.js';
import { openSpool, spoolLogGroup, spoolStream } from './spool.js';
import type { LogInput } from './types.js';

export interface ReduceSources {
  /** File paths; "-" means stdin (at most once). */
  files: string[];
  stdin?: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
  /** CloudWatch Logs groups, read through `logSource`. */
  groups?: string[];
  logSource?: () => Promise<LogSource>;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  /** Resolves relative file paths. */
  cwd: string;
  /** A passing run's log (`--baseline`): templates it also shows are background. */
  baseline?: string;
}

/**
 * The `logs reduce` use case: spools stdin and log groups to temporary files (so every input can be read
 * twice in bounded memory), reduces them together, and always removes the spool.
 */
export async function reduceSources(src: ReduceSources, opts: ReduceOptions): Promise<ReduceOutput> {
  const groups = src.groups ?? [];
  if (src.files.length === 0 && groups.length === 0) throw new OpsctlError('usage', 'no input: pass log files, - for stdin, or --log-group NAME', 'example: opsctl logs reduce app.log --budget 8000');
  if (src.files.filter((f) => f === '-').length > 1) throw new OpsctlError('usage', 'stdin (-) can be given only once');
  const spool = await openSpool();
  try {
    const inputs: LogInput[] = [];
    for (const f of src.files) {
      if (f === '-') {
        if (!src.stdin) throw new OpsctlError('usage', 'no stdin available');
        inputs.push(await spoolStream(spool, 'stdin', src.stdin, opts.signal));
      } else {
        const path = resolvePath(src.cwd, f);
        // A pipe (process substitution, a FIFO) can be read only once: spool it like stdin so both passes see it.
        if (await isPipe(path)) inputs.push(await spoolStream(spool, f, createReadStream(path), opts.signal));
        else inputs.push({ name: f, path });
      }
    }
    if (groups.length > 0) {
      if (!src.logSource) throw new OpsctlError('usage', 'CloudWatch Logs is not available here');
      const source = await src.logSource();
      for (const group of groups) {
        inputs.push(await spoolLogGroup(spool, source, { group, startTime: src.startTime, endTime: src.endTime, filterPattern: src.filterPattern, signal: opts.signal }));
      }
    }
    let baseline: LogInput | undefined;
    if (src.baseline !== undefined) {
      const path = resolvePath(src.cwd, src.baseline);
      baseline = (await isPipe(path)) ? await spoolStream(spool, src.baseline, createReadStream(path), opts.signal) : { name: src.baseline, path };
    }
    return await reduceLogs(inputs, baseline ? { ...opts, baseline } : opts);
  } finally {
    await spool.dispose();
  }
}

function resolvePath(cwd: string, p: string): string {
  return p.startsWith('/') ? p : `${cwd.replace(/\/$/, '')}/${p}`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses `--since` / `--until`: a duration back from now ("30m", "2h", "1d", "90s", "1w") or an ISO 8601
 * date/time. Returns ms since the epoch.
 */
export function parseTime(value: string, now: Date, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  if (m) return now.getTime() - Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  throw new OpsctlError('usage', `${flag} ${JSON.stringify(value)} is not a duration or a date`, `use e.g. ${flag} 30m, 2h, 1d, or an ISO time like 2024-05-01T10:00:00Z`);
}
