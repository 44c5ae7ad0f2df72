import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import type { Config } from '../config/schema.js';
import { citeSource } from '../core/answer/answer.js';
import { askRunbooks, type AskLlmOptions } from '../core/runbooks/ask.js';
import { OpsctlError } from '../core/errors.js';
import { DEFAULT_THRESHOLD } from '../core/incidents/decide.js';
import { recordIncident, type Advice } from '../core/incidents/record.js';
import { alarmReportText } from '../core/incidents/text.js';
import { reportJson } from '../output/incident-json.js';
import { reportText } from '../output/incident-text.js';
import { displayRoot } from '../output/sections.js';
import { whoAmI, withIncidents } from './incident-store.js';
import { indexDeps, retrievalConfig } from './runbook-index.js';

interface ReportFlags {
  service?: string;
  log?: string;
  logFile?: string;
  alarm?: string;
  threshold: string;
  region?: string;
  runbooks?: string;
  indexDir?: string;
  llm?: string;
  model?: string;
  json?: boolean;
}

/** Reads at most this much of a file or stdin: the fingerprint needs the first failure lines. */
const MAX_INPUT = 4 * 1024 * 1024;

/** `--threshold` in [0, 1]. */
export function parseThreshold(raw: string): number {
  const t = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(t) || t < 0 || t > 1) throw new OpsctlError('usage', `--threshold must be a number from 0 to 1 (got ${raw})`);
  return t;
}

/** UTF-8 text of a byte buffer; bytes that are not UTF-8 become U+FFFD, which checkReportText counts as binary. */
function decode(buf: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(0, MAX_INPUT));
}

async function readStdin(ctx: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.io.stdin) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
    chunks.push(b);
    size += b.length;
    if (size >= MAX_INPUT) break;
  }
  return decode(Buffer.concat(chunks));
}

/** The LLM part, as `ask` builds it (deps.llm masks secrets for a cloud backend or a non-loopback Ollama). */
async function llmOptions(ctx: CommandContext, config: Config, root: string): Promise<AskLlmOptions | undefined> {
  if (config.llm === 'none') return undefined;
  return { llm: await ctx.deps.llm(config), displayRoot: root };
}

/**
 * The advice for a new incident: the sections `ask` would cite and, with an LLM, its answer when the grounding
 * check passes (ask's rules: every instruction cited, every citation supporting its sentence); an ungrounded or
 * failed answer is dropped with a note. None when there are no runbooks here.
 */
export function adviser(ctx: CommandContext, config: Config): ((q: string) => Promise<Advice>) | undefined {
  if (!existsSync(config.runbooksDir)) return undefined;
  const root = displayRoot(config.runbooksDir, ctx.io.cwd);
  return async (query) => {
    const answer = await llmOptions(ctx, config, root);
    const advice: Advice = { runbooks: [] };
    const topK = Math.min(config.topK, 3);
    for await (const ev of askRunbooks({ root: config.runbooksDir, indexDir: config.indexDir, vectors: await ctx.deps.vectors(), topK, minScore: config.minScore, signal: ctx.io.signal, ...(await indexDeps(ctx, config)), question: query, answer })) {
      if (ev.type === 'retrieved' && !ev.result.noMatch) {
        advice.runbooks = ev.result.hits.filter((h) => h.relevance >= config.minScore).map((h) => ({ citation: citeSource(h.section.sources[0], root), relevance: Math.round(h.relevance * 100) / 100 }));
      }
      if (ev.type !== 'done' || !answer) continue;
      if (ev.usedLlm && ev.answer && ev.grounding?.ok && !ev.grounding.notCovered) advice.recommendation = ev.answer.trim();
      else if (ev.usedLlm) ctx.io.stderr.write('opsctl: LLM recommendation dropped: it is not grounded in the cited runbook sections\n');
      else if (ev.fallbackReason) ctx.io.stderr.write(`opsctl: no LLM recommendation: ${ev.fallbackReason}\n`);
    }
    return advice;
  };
}

export function registerIncidentReport(incident: Command, ctx: CommandContext): void {
  incident
    .command('report')
    .description('is this failure open already (existing), fixed before (regression) or new? records it either way')
    .argument('[input]', '- reads the failure text from stdin')
    .option('--service <name>', 'the service that failed (incidents are compared within one service)')
    .option('--log <text>', 'the failure text')
    .option('--log-file <file>', 'a file holding the failure text (the first 4 MiB)')
    .option('--alarm <name>', 'a CloudWatch alarm: its name, metric and description are the text')
    .option('--threshold <x>', 'similarity in [0,1] a report needs to match an incident', String(DEFAULT_THRESHOLD))
    .option('--region <region>', 'AWS region for --alarm')
    .option('--runbooks <dir>', 'runbooks directory for a new incident (default ./runbooks)')
    .option('--index-dir <dir>', 'index directory (default ./.opsctl)')
    .option('--llm <backend>', 'none (default) | ollama | bedrock: a new incident also gets a grounded recommendation')
    .option('--model <name>', 'LLM model')
    .option('--json', 'print JSON (schema opsctl.incident/v1)')
    .action(async (input: string | undefined, flags: ReportFlags) => {
      if (!flags.service) throw new OpsctlError('usage', 'incident report needs --service NAME', 'example: opsctl incident report --service web-api --log "Task timed out after 30s"');
      if (input !== undefined && input !== '-') throw new OpsctlError('usage', `unexpected argument "${input}"`, 'give the text with --log TEXT, --log-file FILE, - (stdin) or --alarm NAME');
      const given = [flags.log !== undefined, flags.logFile !== undefined, input === '-', flags.alarm !== undefined].filter(Boolean).length;
      if (given !== 1) throw new OpsctlError('usage', 'give exactly one of --log TEXT, --log-file FILE, - (stdin) or --alarm NAME');
      const threshold = parseThreshold(flags.threshold);
      const config = retrievalConfig(ctx, { runbooks: flags.runbooks, indexDir: flags.indexDir, region: flags.region, llm: flags.llm, model: flags.model });
      let text: string;
      let source: string;
      if (flags.log !== undefined) [text, source] = [flags.log, 'log'];
      else if (flags.logFile !== undefined) {
        const path = resolve(ctx.io.cwd, flags.logFile);
        try {
          text = decode(readFileSync(path));
        } catch (e) {
          throw new OpsctlError('input', `cannot read ${flags.logFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path');
        }
        source = 'log-file';
      } else if (input === '-') [text, source] = [await readStdin(ctx), 'stdin'];
      else [text, source] = [alarmReportText(await (await ctx.deps.alarms(config)).describeAlarm(flags.alarm!)), `alarm:${flags.alarm}`];
      const result = await withIncidents(ctx, config, (store) =>
        recordIncident(store, { service: flags.service!, text, source, who: whoAmI(ctx.io.env), at: ctx.deps.clock.now(), threshold }, { advise: adviser(ctx, config), onNote: (m) => ctx.io.stderr.write(`opsctl: ${m}\n`) }),
      );
      const mode = outputMode(ctx.io, flags);
      ctx.io.stdout.write(mode === 'json' ? `${JSON.stringify(reportJson(result), null, 2)}\n` : reportText(result));
    });
}
