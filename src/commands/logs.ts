import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { loadConfig } from '../config/load.js';
import { OpsctlError } from '../core/errors.js';
import { parseTime, reduceSources } from '../core/logs/run.js';
import { sanitizeForTerminal } from '../core/safety/sanitize.js';
import { TOKENIZERS } from '../core/logs/tokenizer.js';
import { logsJsonFormat } from '../output/logs-json.js';
import { logsTextFormat } from '../output/logs-text.js';

/** Budget when neither --budget nor --ratio is given. */
export const DEFAULT_BUDGET = 8000;

export interface LogsFlags {
  budget?: string;
  ratio?: string;
  context?: string;
  json?: boolean;
  logGroup?: string[];
  since?: string;
  until?: string;
  filterPattern?: string;
  region?: string;
  baseline?: string;
  tokenizer?: string;
}

/** Flags → reduce options and sources; shared with `diagnose`. */
export function reduceRequest(files: string[], flags: LogsFlags, ctx: CommandContext) {
  if (flags.budget !== undefined && flags.ratio !== undefined) throw new OpsctlError('usage', 'give either --budget or --ratio, not both');
  const num = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new OpsctlError('usage', `${flag} must be a number (got ${JSON.stringify(v)})`);
    return n;
  };
  const context = num(flags.context, '--context');
  if (context !== undefined && (!Number.isInteger(context) || context < 0 || context > 20)) throw new OpsctlError('usage', `--context must be a whole number from 0 to 20 (got ${context})`);
  const ratio = num(flags.ratio, '--ratio');
  const budget = ratio === undefined ? (num(flags.budget, '--budget') ?? DEFAULT_BUDGET) : undefined;
  const groups = flags.logGroup ?? [];
  if (groups.length === 0 && (flags.since || flags.until || flags.filterPattern)) throw new OpsctlError('usage', '--since, --until and --filter-pattern apply to --log-group only');
  const config = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { region: flags.region } });
  const now = ctx.deps.clock.now();
  if (flags.tokenizer !== undefined && !(TOKENIZERS as readonly string[]).includes(flags.tokenizer)) {
    throw new OpsctlError('usage', `--tokenizer must be one of ${TOKENIZERS.join(', ')} (got ${JSON.stringify(flags.tokenizer)})`, 'o200k: GPT-4o and later; cl100k: GPT-4/3.5; estimate: fast, conservative');
  }
  const sources = {
    files,
    stdin: ctx.io.stdin,
    groups,
    logSource: () => ctx.deps.logs({ region: config.region }),
    startTime: flags.since ? parseTime(flags.since, now, '--since') : groups.length ? now.getTime() - 3_600_000 : undefined,
    endTime: flags.until ? parseTime(flags.until, now, '--until') : undefined,
    filterPattern: flags.filterPattern,
    cwd: ctx.io.cwd,
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
  };
  return { sources, budget, ratio, context, config, tokenizer: flags.tokenizer };
}

/** Adds the input flags shared by `logs reduce` and `diagnose`. */
export function inputOptions(cmd: Command, defaultBudget = DEFAULT_BUDGET): Command {
  return cmd
    .option('--budget <tokens>', `output size in tokens, markup included (default ${defaultBudget})`)
    .option('--ratio <r>', 'output size as a share of the input tokens, e.g. 0.05')
    .option('--context <n>', 'lines of context around kept lines when the budget allows (default 2)')
    .option('--log-group <name...>', 'read CloudWatch Logs groups (FilterLogEvents)')
    .option('--since <time>', 'with --log-group: start, e.g. 30m, 2h, 1d or an ISO time (default 1h)')
    .option('--until <time>', 'with --log-group: end (default now)')
    .option('--filter-pattern <pattern>', 'with --log-group: CloudWatch Logs filter pattern')
    .option('--region <region>', 'AWS region for --log-group')
    .option('--baseline <file>', 'log of a passing run: lines whose templates it also shows are background, what is new is the signal')
    .option('--tokenizer <name>', 'count the budget with o200k, cl100k or estimate (default: estimate)')
    .option('--json', 'print JSON');
}

export function registerLogs(program: Command, ctx: CommandContext): void {
  const logs = program.command('logs').description('work with logs');
  inputOptions(
    logs
      .command('reduce')
      .description('keep the most anomalous parts of logs within a token budget (files, - for stdin, or --log-group)')
      .argument('[files...]', 'log files; - reads stdin'),
  ).action(async (files: string[], flags: LogsFlags) => {
    const req = reduceRequest(files, flags, ctx);
    const json = outputMode(ctx.io, flags) === 'json';
    const { text } = await reduceSources(req.sources, {
      budget: req.budget,
      ratio: req.ratio,
      context: req.context,
      tokenizer: req.tokenizer,
      format: json ? logsJsonFormat : logsTextFormat,
      signal: ctx.io.signal,
    });
    // Log lines on their way to a terminal pass the sanitiser; a pipe gets them verbatim (they are data there).
    ctx.io.stdout.write(!json && ctx.io.stdout.isTTY ? sanitizeForTerminal(text) : text);
  });
}
