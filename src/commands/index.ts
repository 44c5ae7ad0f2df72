import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { canDrawProgress } from '../cli/mode.js';
import { locateIndex } from './index-location.js';
import { updateIndex } from '../core/runbooks/indexer.js';
import { indexJson, indexSummary } from '../output/index-text.js';
import { indexDeps } from './runbook-index.js';

export function registerIndex(program: Command, ctx: CommandContext): void {
  program
    .command('index')
    .description('index Markdown runbooks (incremental: only changed files are re-read)')
    .argument('[dir]', 'runbooks directory (default: the one the index was built from, else ./runbooks or config runbooksDir)')
    .option('--index-dir <dir>', 'where the index is stored (default ./.opsctl if present or beside ./runbooks, else ~/.local/state/opsctl/index)')
    .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
    .option('--rebuild', 'ignore the existing index and build a new one (also to replace an index of another directory)')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string | undefined, opts: { indexDir?: string; embedder?: string; rebuild?: boolean; json?: boolean }) => {
      const config = locateIndex({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { runbooksDir: dir, indexDir: opts.indexDir, embedder: opts.embedder as never }, rebuild: opts.rebuild });
      const deps = await indexDeps(ctx, config);
      const started = Date.now();
      const progress = canDrawProgress(ctx.io) && !opts.json;
      let drawn = false;
      let result;
      try {
        result = await updateIndex({
          root: config.runbooksDir,
          rootGiven: config.runbooksGiven,
          indexDir: config.indexDir,
          vectors: await ctx.deps.vectors(),
          rebuild: opts.rebuild,
          signal: ctx.io.signal,
          ...deps,
          onProgress: progress ? (done, total) => ((drawn = true), drawBar(ctx, done, total)) : undefined,
        });
      } finally {
        // Also on failure (Ctrl-C, a damaged index): the error line must not be glued to the bar.
        if (drawn) ctx.io.stderr.write('\r\x1b[K');
      }
      const ms = Date.now() - started;
      if (opts.json) ctx.io.stdout.write(`${JSON.stringify(indexJson(result, config.indexDir, ms))}\n`);
      else ctx.io.stderr.write(indexSummary(result, config.indexDir, ms));
    });
}

function drawBar(ctx: CommandContext, done: number, total: number): void {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  ctx.io.stderr.write(`\rindexing [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files`);
}
