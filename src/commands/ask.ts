import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode, plainColor } from '../cli/mode.js';
import type { Config } from '../config/schema.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { safeJson, sanitizeForTerminal } from '../core/safety/sanitize.js';
import { askRunbooks, type AskLlmOptions, type AskOptions } from '../core/runbooks/ask.js';
import type { AlarmInfo } from '../core/ports.js';
import { askJson } from '../output/ask-json.js';
import { consumeAsk, type AskOutcome } from '../output/ask-stream.js';
import { displayRoot } from '../output/sections.js';
import { indexDeps, retrievalConfig, type RetrievalFlags } from './runbook-index.js';

interface AskFlags extends RetrievalFlags {
  alarm?: string;
  perFile?: string;
  json?: boolean;
  verbose?: boolean;
}

/** The LLM part of an ask, or undefined for `llm: none` (deps.llm masks secrets for a backend off this machine). */
async function llmOptions(ctx: CommandContext, config: Config, root: string): Promise<AskLlmOptions | undefined> {
  if (config.llm === 'none') return undefined;
  return { llm: await ctx.deps.llm(config), displayRoot: root };
}

/**
 * 13 when the answer (whole or cut off) holds an instruction its citations do not back; 3 when nothing (or, says
 * the model, no runbook) covers it; 7 when the LLM asked for was not there.
 */
export function exitCode(o: Pick<AskOutcome, 'result' | 'done'>): number {
  if (o.done?.grounding?.verdict === 'ungrounded') return EXIT.UNGROUNDED;
  if (o.result.noMatch || o.done?.grounding?.notCovered) return EXIT.NO_MATCH;
  if (o.done?.fallbackReason) return EXIT.ANSWERED_WITHOUT_LLM;
  return EXIT.OK;
}

export function registerAsk(program: Command, ctx: CommandContext): void {
  program
    .command('ask')
    .description('answer from the runbooks: the sections that match, or a grounded LLM answer citing them (no question on a terminal: interactive session)')
    .argument('[question...]', 'what is happening, in your words')
    .option('--alarm <name>', 'build the question from this CloudWatch alarm (DescribeAlarms)')
    .option('--json', 'print JSON (schema opsctl.ask/v1)')
    .option('--per-file <n>', 'sections shown per runbook before the next one, the rest collapsed (default 2; 0: no limit)')
    .option('-k, --top <n>', 'number of sections (default 5)')
    .option('--min-score <x>', 'relevance floor in [0,1] below which nothing is answered (default 0.25)')
    .option('--runbooks <dir>', 'runbooks directory (default: the one the index was built from, else ./runbooks)')
    .option('--index-dir <dir>', 'index directory (default ./.opsctl if present or beside ./runbooks, else ~/.local/state/opsctl/index)')
    .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
    .option('--llm <backend>', 'none (default) | ollama | bedrock: write a cited answer from the sections (OPSCTL_LLM)')
    .option('--model <name>', 'LLM model (default llama3.1 on Ollama, amazon.nova-lite-v1:0 on Bedrock)')
    .option('--region <region>', 'AWS region for Bedrock')
    .option('--verbose', 'show on stderr the retrieved context, the exact prompt and what was masked')
    .action(async (words: string[], flags: AskFlags) => {
      const question = words.join(' ').trim();
      const mode = outputMode(ctx.io, flags);
      const session = !question && !flags.alarm && mode === 'interactive';
      if (!question && !flags.alarm && !session) throw new OpsctlError('usage', 'ask needs a question or --alarm NAME', 'example: opsctl ask "ALB 502s since the deploy" (with no question on a terminal, ask starts an interactive session)');
      const config = retrievalConfig(ctx, flags);
      const maxPerFile = flags.perFile === undefined ? undefined : Number(flags.perFile);
      if (maxPerFile !== undefined && !(Number.isInteger(maxPerFile) && maxPerFile >= 0)) throw new OpsctlError('usage', `--per-file must be a whole number ≥ 0 (got ${flags.perFile})`, 'example: --per-file 3, or --per-file 0 for no limit');
      let alarm: AlarmInfo | undefined;
      if (flags.alarm) alarm = await (await ctx.deps.alarms(config)).describeAlarm(flags.alarm);
      const root = displayRoot(config.runbooksDir, ctx.io.cwd);
      // Provider modules load lazily; load them side by side (time to the first LLM request matters).
      const [answer, vectors, index] = await Promise.all([llmOptions(ctx, config, root), ctx.deps.vectors(), indexDeps(ctx, config)]);
      const base: Omit<AskOptions, 'question'> = { alarm, root: config.runbooksDir, rootGiven: config.runbooksGiven, indexDir: config.indexDir, vectors, topK: config.topK, minScore: config.minScore, maxPerFile, signal: ctx.io.signal, answer, ...index };
      const view = { root, minScore: config.minScore, llmId: answer?.llm.id, verbose: flags.verbose, color: plainColor(ctx.io) };
      if (session) {
        const { runAskSession } = await import('../ui/components/AskSession.js');
        await runAskSession(ctx.io, {
          ...view,
          ask: (q, history, signal) => askRunbooks({ ...base, question: q, history, signal: AbortSignal.any([signal, ctx.io.signal]) }),
        });
        return;
      }
      const events = askRunbooks({ ...base, question });
      let outcome: Pick<AskOutcome, 'result' | 'done'>;
      if (mode === 'interactive' && answer) {
        const { renderAskStream } = await import('../ui/render-ask.js');
        const v = await renderAskStream(events, view, ctx.io);
        if (!v.result) throw new OpsctlError('index', 'retrieval produced no result');
        outcome = { result: v.result, done: v.done };
      } else {
        const o = await consumeAsk(events, ctx.io, { ...view, indexDir: config.indexDir, write: mode === 'plain' ? 'all' : mode === 'json' ? 'none' : 'progress' });
        if (mode === 'json') ctx.io.stdout.write(`${safeJson(askJson(o.result, root, config.minScore, o.index, answer ? { done: o.done!, prompt: o.prompt } : undefined))}\n`);
        else if (mode === 'interactive') {
          const { renderAskResult } = await import('../ui/render-ask.js');
          await renderAskResult(o.result, root, config.minScore, ctx.io);
        }
        outcome = o;
      }
      if (outcome.done?.fallbackReason && mode !== 'plain') ctx.io.stderr.write(sanitizeForTerminal(`opsctl: answered without the LLM: ${outcome.done.fallbackReason}\n`));
      if (outcome.done?.grounding?.verdict === 'ungrounded' && mode !== 'json') ctx.io.stderr.write('opsctl: the answer holds instructions its cited runbook sections do not contain (exit 13); check them before acting\n');
      ctx.state.exitCode = exitCode(outcome);
    });
}
