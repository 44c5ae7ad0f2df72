import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { canDrawProgress, outputMode } from '../cli/mode.js';
import { loadConfig } from '../config/load.js';
import { locateIndex } from './index-location.js';
import type { Config } from '../config/schema.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { loadCases } from '../core/eval/cases.js';
import { datasetCorpus } from '../core/eval/dataset.js';
import { compareReports, evaluateGates, parseThresholds, readPreviousReport, type Thresholds } from '../core/eval/report.js';
import { RANK_DEPTH, runEval } from '../core/eval/run.js';
import type { LlmClient } from '../core/ports.js';
import { evalJson } from '../output/eval-json.js';
import { evalText, gateFailures } from '../output/eval-text.js';
import { displayRoot } from '../output/sections.js';
import { checkRetrieval, indexDeps } from './runbook-index.js';

type EvalFlags = Partial<Record<keyof Thresholds, string>> & {
  runbooks?: string;
  dataset?: string;
  queries?: string;
  indexDir?: string;
  embedder?: string;
  top?: string;
  minScore?: string;
  llm?: string;
  model?: string;
  json?: boolean;
  save?: string;
  compare?: string;
  verbose?: boolean;
};

/** `eval/*.yaml` under the working directory, sorted, so the default run is the bundled cases. */
function defaultCaseFiles(cwd: string): string[] {
  const dir = join(cwd, 'eval');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new OpsctlError('input', 'no case files given and no eval/ directory here', 'pass case files: opsctl eval cases.yaml (or run it where eval/*.yaml lives)');
  }
  return names.filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => join('eval', n));
}

/** The LLM to judge answers with (deps.llm masks secrets for a backend off this machine, as in ask). */
async function llmFor(ctx: CommandContext, name: string | undefined, config: Config): Promise<{ llm?: LlmClient }> {
  if (!name) return {};
  if (name === 'fake') {
    const [{ FakeLlm }, { extractiveAnswer }] = await Promise.all([import('../providers/llm/fake.js'), import('../core/eval/extractive-answer.js')]);
    return { llm: new FakeLlm(extractiveAnswer, { id: 'fake:extractive' }) };
  }
  return { llm: await ctx.deps.llm(config) };
}

function save(path: string, display: string, report: unknown): void {
  try {
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  } catch (e) {
    throw new OpsctlError('input', `cannot write ${display}: ${(e as Error).message}`, 'check that its directory exists and is writable');
  }
}

export function registerEval(program: Command, ctx: CommandContext): void {
  program
    .command('eval')
    .description('measure retrieval and answer quality on eval cases; CI gates via thresholds')
    .argument('[files...]', 'case files, YAML or JSON Lines (default eval/*.yaml)')
    .option('--runbooks <dir>', 'runbooks directory the cases refer to (default ./runbooks)')
    .option('--dataset <dir>', 'an external corpus to index and evaluate (cases: --queries, default DIR/queries.jsonl)')
    .option('--queries <file>', 'JSON Lines queries {query, expected, also_relevant}')
    .option('--index-dir <dir>', 'keep the index here (default: a temporary directory, removed afterwards)')
    .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
    .option('-k, --top <n>', 'sections ask shows (citations, terms and refusals are judged on these; default 5)')
    .option('--min-score <x>', 'ask relevance floor in [0,1] (default: the one ask uses)')
    .option('--llm <name>', 'also generate and judge answers: ollama | bedrock | fake')
    .option('--model <name>', 'LLM model name')
    .option('--json', 'print the report as JSON (schema opsctl.eval/v1)')
    .option('--save <file>', 'also write the JSON report to this file')
    .option('--compare <file>', 'print deltas against a previous JSON report')
    .option('--verbose', 'list every case, not only those with a problem')
    .option('--min-recall-at-1 <x>', 'gate: file Recall@1 at least x')
    .option('--min-recall-at-5 <x>', 'gate: file Recall@5 at least x')
    .option('--min-mrr <x>', 'gate: file MRR@10 at least x')
    .option('--min-section-recall-at-5 <x>', 'gate: section Recall@5 at least x')
    .option('--min-refusal-recall <x>', 'gate: share of must_refuse cases refused at least x')
    .option('--min-refusal-precision <x>', 'gate: share of refusals that were right at least x')
    .option('--min-citation-validity <x>', 'gate: share of valid citations at least x')
    .option('--min-required-terms <x>', "gate: mean share of each case's required terms found in the retrieved sections at least x")
    .option('--min-faithfulness <x>', 'gate (with --llm): mean share of supported answer sentences at least x')
    .option('--max-p95-ms <n>', 'gate: p95 retrieval latency at most n milliseconds')
    .action(async (files: string[], flags: EvalFlags) => {
      const thresholds = parseThresholds(flags);
      if (flags.dataset && flags.runbooks) throw new OpsctlError('usage', '--dataset and --runbooks both name the corpus; give one');
      if (flags.llm && !['ollama', 'bedrock', 'fake'].includes(flags.llm)) throw new OpsctlError('usage', `--llm must be ollama, bedrock or fake (got ${flags.llm})`);
      // With --index-dir, the index's own runbooks directory is the corpus unless one is named (eval builds a
      // throwaway index otherwise, from ./runbooks).
      const config = (flags.indexDir ? locateIndex : loadConfig)({
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        flags: {
          runbooksDir: flags.dataset ?? flags.runbooks,
          indexDir: flags.indexDir,
          embedder: flags.embedder as never,
          topK: flags.top as never,
          minScore: flags.minScore as never,
          llm: flags.llm && flags.llm !== 'fake' ? (flags.llm as never) : undefined,
          model: flags.model,
        },
      });
      checkRetrieval(config);
      const named = [...files, ...(flags.queries ? [flags.queries] : [])];
      const caseFiles = named.length ? named : flags.dataset ? [join(flags.dataset, 'queries.jsonl')] : defaultCaseFiles(ctx.io.cwd);
      const cases = loadCases(caseFiles.map((f) => ({ path: resolve(ctx.io.cwd, f), display: f })), (line) => ctx.io.stderr.write(`${line}\n`));
      const previous = flags.compare ? readPreviousReport(resolve(ctx.io.cwd, flags.compare), flags.compare) : undefined;
      const { llm } = await llmFor(ctx, flags.llm, config);
      const mode = outputMode(ctx.io, flags);
      const root = displayRoot(config.runbooksDir, ctx.io.cwd);
      const tempIndex = flags.indexDir ? undefined : mkdtempSync(join(tmpdir(), 'opsctl-eval-'));
      // Only on a terminal: a dataset or an LLM run takes long enough to wonder whether it is stuck.
      const progress = mode !== 'json' && canDrawProgress(ctx.io) ? (done: number, total: number) => ctx.io.stderr.write(done < total ? `\r  case ${done}/${total}` : '\r\x1b[K') : undefined;
      let run;
      const corpus = flags.dataset ? datasetCorpus(config.runbooksDir) : undefined;
      try {
        if (mode !== 'json') ctx.io.stderr.write(`opsctl eval: indexing ${root} and running ${cases.length} cases${llm ? ` with ${llm.id}` : ''}…\n`);
        run = await runEval({ cases, root: corpus?.root ?? config.runbooksDir, indexDir: tempIndex ?? config.indexDir, vectors: await ctx.deps.vectors(), topK: config.topK, minScore: config.minScore, llm, signal: ctx.io.signal, onProgress: progress, ...(await indexDeps(ctx, config)) });
      } finally {
        if (tempIndex) rmSync(tempIndex, { recursive: true, force: true });
        corpus?.dispose();
      }
      const gates = evaluateGates(run.summary, thresholds);
      const comparison = previous && flags.compare ? { against: flags.compare, ...compareReports(previous, run) } : undefined;
      const settings = { topK: config.topK, minScore: config.minScore, rankDepth: RANK_DEPTH, embedder: run.index.embedder, llm: run.llm ?? null };
      const report = evalJson({ run, runbooks: root, caseFiles, settings, gates, comparison, createdAt: ctx.deps.clock.now() });
      if (flags.save) save(resolve(ctx.io.cwd, flags.save), flags.save, report);
      if (mode === 'json') ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else ctx.io.stdout.write(evalText({ run, runbooks: root, gates, comparison, verbose: Boolean(flags.verbose) }));
      if (gates.some((g) => !g.pass)) {
        ctx.io.stderr.write(gateFailures(gates));
        ctx.state.exitCode = EXIT.GATE;
      }
    });
}
