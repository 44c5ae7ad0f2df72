import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { locateIndex } from './index-location.js';
import { OpsctlError } from '../core/errors.js';
import { safeJson, sanitizeForTerminal } from '../core/safety/sanitize.js';
import { searchRunbooks } from '../core/triage/runbooks.js';
import { triageAlarm } from '../core/triage/triage.js';
import { indexSummary } from '../output/index-text.js';
import { displayRoot } from '../output/sections.js';
import { triageJson } from '../output/triage-json.js';
import { triageText } from '../output/triage-text.js';
import { indexDeps } from './runbook-index.js';
import { reportJson } from '../output/incident-json.js';
import { seenBeforeLine } from '../output/incident-text.js';
import { recordTriage, recording, withIncident } from './record-incident.js';

interface TriageFlags {
  alarm?: string;
  cluster?: string;
  service?: string;
  region?: string;
  top: string;
  runbooks?: string;
  indexDir?: string;
  embedder?: string;
  json?: boolean;
  record?: boolean;
}

export function registerTriage(program: Command, ctx: CommandContext): void {
  program
    .command('triage')
    .description('what is this CloudWatch alarm, what changed, what to do next (read-only: changes nothing in AWS)')
    .option('--alarm <name>', 'the CloudWatch alarm name (exact)')
    .option('--cluster <name>', 'ECS cluster of the service behind the alarm (when the alarm does not name it)')
    .option('--service <name>', 'ECS service behind the alarm (when the alarm does not name it)')
    .option('--region <region>', 'AWS region (default: AWS_REGION / profile)')
    .option('-k, --top <n>', 'runbook sections to show', '3')
    .option('--runbooks <dir>', 'runbooks directory (default: the one the index was built from, else ./runbooks)')
    .option('--index-dir <dir>', 'index directory (default ./.opsctl if present or beside ./runbooks, else ~/.local/state/opsctl/index)')
    .option('--embedder <name>', 'lsa (offline default) | transformers | ollama')
    .option('--json', 'print JSON (schema opsctl.triage/v1)')
    .option('--record', 'report into incident memory and say whether it was seen before (config: incidents.record)')
    .option('--no-record', 'do not, even when the config says so')
    .action(async (flags: TriageFlags) => {
      if (!flags.alarm) throw new OpsctlError('usage', 'triage needs --alarm NAME', 'example: opsctl triage --alarm ALB-5xx-High (list alarms: aws cloudwatch describe-alarms --state-value ALARM)');
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 1) throw new OpsctlError('usage', `--top must be a whole number ≥ 1 (got ${flags.top})`);
      const config = locateIndex({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { runbooksDir: flags.runbooks, indexDir: flags.indexDir, embedder: flags.embedder as never, region: flags.region } });
      // No --profile: the alarm source follows AWS_PROFILE only, and all three must read the same account.
      const aws = { region: config.region };
      const [alarms, metrics, ecs, vectors, index] = await Promise.all([ctx.deps.alarms(config), ctx.deps.metrics(aws), ctx.deps.ecs(aws), ctx.deps.vectors(), indexDeps(ctx, config)]);
      const search = { root: config.runbooksDir, indexDir: config.indexDir, vectors, topK: Math.max(top, config.topK), minScore: config.minScore, signal: ctx.io.signal, ...index };
      const report = await triageAlarm(
        {
          alarms, metrics, ecs, now: () => ctx.deps.clock.now(),
          runbooks: (query) => searchRunbooks(search, query, (r) => ctx.io.stderr.write(indexSummary(r, config.indexDir, 0).replace(/, 0 ms/, ''))),
        },
        { alarm: flags.alarm, cluster: flags.cluster, service: flags.service, region: flags.region },
      );
      const root = displayRoot(config.runbooksDir, ctx.io.cwd);
      const mode = outputMode(ctx.io, flags);
      const seen = recording(flags, config) ? await recordTriage(ctx, config, report) : undefined;
      if (seen) report.next = withIncident(report.next, seen);
      // AWS strings (alarm reasons, service events) and runbook text are untrusted on their way to a terminal.
      if (mode === 'json') ctx.io.stdout.write(`${safeJson({ ...triageJson(report, root, top), ...(seen && { incident: reportJson(seen) }) })}\n`);
      else ctx.io.stdout.write(sanitizeForTerminal((seen ? `${seenBeforeLine(seen)}\n\n` : '') + triageText(report, root, top)));
    });
}
