import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { loadConfig } from '../config/load.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { askRunbooks } from '../core/runbooks/ask.js';
import type { SearchResult } from '../core/runbooks/search.js';
import type { AlarmInfo } from '../core/ports.js';
import { askJson } from '../output/ask-json.js';
import { askText } from '../output/ask-text.js';
import { displayRoot } from '../output/sections.js';
import { indexSummary } from '../output/index-text.js';
import { indexDeps } from './runbook-index.js';

interface AskFlags {
  alarm?: string;
  json?: boolean;
  top?: string;
  minScore?: string;
  runbooks?: string;
  indexDir?: string;
  embedder?: string;
}

export function registerAsk(program: Command, ctx: CommandContext): void {
  program
    .command('ask')
    .description('find the runbook sections that answer a question or a CloudWatch alarm')
    .argument('[question...]', 'what is happening, in your words')
    .option('--alarm <name>', 'build the question from this CloudWatch alarm (DescribeAlarms)')
    .option('--json', 'print JSON (schema opsctl.ask/v1)')
    .option('-k, --top <n>', 'number of sections (default 5)')
    .option('--min-score <x>', 'relevance floor in [0,1] below which nothing is answered (default 0.3)')
    .option('--runbooks <dir>', 'runbooks directory (default ./runbooks)')
    .option('--index-dir <dir>', 'index directory (default ./.opsctl)')
    .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
    .action(async (words: string[], flags: AskFlags) => {
      const question = words.join(' ').trim();
      if (!question && !flags.alarm) throw new OpsctlError('usage', 'ask needs a question or --alarm NAME', 'example: opsctl ask "ALB 502s since the deploy"');
      const config = loadConfig({
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        flags: { runbooksDir: flags.runbooks, indexDir: flags.indexDir, embedder: flags.embedder as never, topK: flags.top as never, minScore: flags.minScore as never },
      });
      if (!Number.isInteger(config.topK) || config.topK < 1) throw new OpsctlError('usage', `--top must be a whole number ≥ 1 (got ${config.topK})`);
      if (config.minScore < 0 || config.minScore > 1) throw new OpsctlError('usage', `--min-score must be between 0 and 1 (got ${config.minScore})`);
      let alarm: AlarmInfo | undefined;
      if (flags.alarm) alarm = await (await ctx.deps.alarms(config)).describeAlarm(flags.alarm);
      const mode = outputMode(ctx.io, flags);
      const root = displayRoot(config.runbooksDir, ctx.io.cwd);
      let result: SearchResult | undefined;
      let index = { files: 0, sections: 0, embedder: '', updated: false };
      for await (const ev of askRunbooks({
        question,
        alarm,
        root: config.runbooksDir,
        indexDir: config.indexDir,
        vectors: await ctx.deps.vectors(),
        topK: config.topK,
        minScore: config.minScore,
        signal: ctx.io.signal,
        ...(await indexDeps(ctx, config)),
      })) {
        if (ev.type === 'indexed') {
          index.updated = true;
          if (mode !== 'json') ctx.io.stderr.write(indexSummary(ev.result, config.indexDir, 0).replace(/, 0 ms/, ''));
        } else {
          result = ev.result;
          index = { ...ev.index, updated: index.updated };
        }
      }
      if (!result) throw new OpsctlError('index', 'retrieval produced no result');
      if (mode === 'json') ctx.io.stdout.write(`${JSON.stringify(askJson(result, root, config.minScore, index), null, 2)}\n`);
      else if (mode === 'interactive') {
        const { renderAskResult } = await import('../ui/render-ask.js');
        await renderAskResult(result, root, config.minScore, ctx.io);
      } else ctx.io.stdout.write(askText(result, root, config.minScore));
      if (result.noMatch) ctx.state.exitCode = EXIT.NO_MATCH;
    });
}
