import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode, plainColor } from '../cli/mode.js';
import { diagnose } from '../core/diagnose/diagnose.js';
import { findRunbooks } from '../core/diagnose/runbooks.js';
import { EXIT } from '../core/errors.js';
import { safeJson, sanitizeForTerminal } from '../core/safety/sanitize.js';
import { reduceSources } from '../core/logs/run.js';
import type { LlmClient } from '../core/ports.js';
import { diagnoseJson } from '../output/diagnose-json.js';
import { diagnoseText } from '../output/diagnose-text.js';
import { logsTextFormat } from '../output/logs-text.js';
import { displayRoot } from '../output/sections.js';
import { inputOptions, reduceRequest, type LogsFlags } from './logs.js';
import { indexDeps, retrievalConfig, type RetrievalFlags } from './runbook-index.js';
import { OpsctlError } from '../core/errors.js';
import { reportJson } from '../output/incident-json.js';
import { seenBeforeLine } from '../output/incident-text.js';
import { recordDiagnosis, recording } from './record-incident.js';

/** Diagnose reads less than `logs reduce` by default: the kept lines go into a prompt. */
export const DIAGNOSE_BUDGET = 4000;

type DiagnoseFlags = LogsFlags & RetrievalFlags & { record?: boolean; service?: string };

export function registerDiagnose(program: Command, ctx: CommandContext): void {
  inputOptions(
    program
      .command('diagnose')
      .description('why did it fail? reduce the log, name the failure (category, evidence lines), match runbooks; with --llm a structured root cause')
      .argument('[files...]', 'log files; - reads stdin')
      .option('--runbooks <dir>', 'runbooks directory (default: the one the index was built from, else ./runbooks)')
      .option('--index-dir <dir>', 'index directory (default ./.opsctl if present or beside ./runbooks, else ~/.local/state/opsctl/index)')
      .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
      .option('-k, --top <n>', 'runbook sections to match (default 5)')
      .option('--min-score <x>', 'runbook relevance floor in [0,1] (default 0.25)')
      .option('--llm <backend>', 'none (default) | ollama | bedrock: structured root cause analysis (OPSCTL_LLM)')
      .option('--model <name>', 'LLM model')
      .option('--service <name>', 'the service that failed (for --record)')
      .option('--record', 'report the failure into incident memory and say whether it was seen before (needs --service)')
      .option('--no-record', 'do not, even when the config says so (incidents.record)'),
    DIAGNOSE_BUDGET,
  ).action(async (files: string[], flags: DiagnoseFlags) => {
    const req = reduceRequest(files, { ...flags, budget: flags.budget ?? (flags.ratio === undefined ? String(DIAGNOSE_BUDGET) : undefined) }, ctx);
    const config = retrievalConfig(ctx, flags);
    if (flags.record === true && !flags.service) throw new OpsctlError('usage', 'diagnose --record needs --service NAME', 'incidents are compared within one service, e.g. --service web-api');
    // incidents.record from the config records only when the service is named; it never makes --service required.
    const record = recording(flags, config) && flags.service !== undefined;
    const mode = outputMode(ctx.io, flags);
    let llm: LlmClient | undefined;
    if (config.llm !== 'none') {
      // deps.llm masks secrets before anything leaves this machine, as for ask.
      llm = await ctx.deps.llm(config);
    }
    const root = displayRoot(config.runbooksDir, ctx.io.cwd);
    const result = await diagnose({
      reduce: () => reduceSources(req.sources, { budget: req.budget, ratio: req.ratio, context: req.context, tokenizer: req.tokenizer, format: logsTextFormat, signal: ctx.io.signal }),
      runbooks: async (query) =>
        findRunbooks({ root: config.runbooksDir, indexDir: config.indexDir, vectors: await ctx.deps.vectors(), topK: config.topK, minScore: config.minScore, signal: ctx.io.signal, ...(await indexDeps(ctx, config)) }, query, root),
      llm,
      signal: ctx.io.signal,
      onNote: (m) => ctx.io.stderr.write(sanitizeForTerminal(`opsctl: ${m}\n`)),
    });
    const seen = record ? await recordDiagnosis(ctx, config, flags.service!, result.evidence) : undefined;
    const red = plainColor(ctx.io) ? (l: string) => (l.startsWith('✗ ') ? `\x1b[31m${l}\x1b[39m` : l) : (l: string) => l;
    if (mode === 'json') ctx.io.stdout.write(`${safeJson({ ...diagnoseJson(result), ...(seen && { incident: reportJson(seen) }) })}\n`);
    else ctx.io.stdout.write(sanitizeForTerminal((seen ? `${seenBeforeLine(seen)}\n\n` : '') + diagnoseText(result)).split('\n').map(red).join('\n'));
    const ungrounded = result.grounding?.verdict === 'ungrounded';
    ctx.state.exitCode = result.evidence.length === 0 ? EXIT.NO_MATCH : ungrounded ? EXIT.UNGROUNDED : llm && !result.llm.used ? EXIT.ANSWERED_WITHOUT_LLM : EXIT.OK;
  });
}
