import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../cli/program.js';
import { outputMode } from '../cli/mode.js';
import { loadConfig } from '../config/load.js';
import { AuditFile, auditFilePath } from '../core/audit/log.js';
import { parseDuration } from '../core/audit/query.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { safeJson, sanitizeForTerminal } from '../core/safety/sanitize.js';
import type { RolloutEvent } from '../core/rollback/rollout.js';
import { auditRefusedRun, runRollback } from '../core/rollback/run.js';
import { rollbackJson } from '../output/rollback-json.js';
import { rollbackOutcomeText, rollbackPlanText, rolloutEventLine } from '../output/rollback-text.js';
import { finishIncident, notRecovered, prepareIncident, type IncidentFlags } from './rollback-incident.js';

interface RollbackFlags extends IncidentFlags {
  cluster: string;
  service: string;
  to?: string;
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  wait?: boolean;
  timeout: string;
  poll: string;
  region?: string;
  profile?: string;
  json?: boolean;
}

function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** The audit file as configured (flags: --region only matters for the record). */
function auditSink(ctx: CommandContext, config: { auditFile?: string }): AuditFile {
  return new AuditFile(auditFilePath(ctx.io.env, ctx.io.env.HOME ?? userInfo().homedir, config.auditFile && resolve(ctx.io.cwd, config.auditFile)));
}

/** Every rollback attempt is audited, also one refused on its flags before anything was planned. */
function auditFlagRefusal(ctx: CommandContext, flags: Partial<RollbackFlags>, message: string): void {
  let config: { auditFile?: string; region?: string } = {};
  try {
    config = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { region: flags.region } });
  } catch {
    // A config that does not load still leaves the audit path from the environment or the default.
  }
  auditRefusedRun({ audit: auditSink(ctx, config), clock: ctx.deps.clock },
    { cluster: flags.cluster, service: flags.service, reason: flags.reason, user: osUser(ctx.io.env), region: config.region }, `refused on its flags: ${message}`);
}

export function registerRollback(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('rollback')
    .description('roll an ECS service back to an earlier task definition revision, after a human says yes')
    .requiredOption('--cluster <name>', 'ECS cluster')
    .requiredOption('--service <name>', 'ECS service')
    .option('--to <revision>', 'target: family:revision, a revision number or an ARN (default: latest earlier ACTIVE revision)')
    .option('--reason <text>', 'why, for the audit log')
    .option('--dry-run', 'print the plan and change nothing')
    .option('-y, --yes', 'approve without a prompt (needed without a terminal)')
    .option('--force', 'roll back even while a deployment is in progress')
    .option('--wait', 'wait for the deployment to finish (default)')
    .option('--no-wait', 'return once ECS accepted the update')
    .option('--timeout <duration>', 'how long to wait, e.g. 10m', '10m')
    .option('--poll <duration>', 'time between status checks', '5s')
    .option('--region <region>', 'AWS region (default: AWS_REGION / profile)')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE)')
    .option('--incident <id>', 'resolve this incident when the rollback completes and --verify-alarm is OK again')
    .option('--verify-alarm <name>', 'the alarm that must be OK (default: the alarm the incident came from)')
    .option('--verify-timeout <duration>', 'how long to wait for the alarm to be OK', '10m')
    .option('--json', 'print JSON (schema opsctl.rollback/v1); needs --yes or --dry-run')
    .action(async (flags: RollbackFlags) => {
      let config: ReturnType<typeof loadConfig>;
      let timeoutMs: number;
      let pollMs: number;
      try {
        config = loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { region: flags.region } });
        timeoutMs = parseDuration(flags.timeout, '--timeout');
        pollMs = Math.max(parseDuration(flags.poll, '--poll'), 100);
      } catch (e) {
        auditFlagRefusal(ctx, flags, (e as Error).message);
        throw e;
      }
      const mode = outputMode(ctx.io, flags);
      const link = await prepareIncident(ctx, config, flags);
      const aws = { region: config.region, profile: flags.profile };
      const ecs = await ctx.deps.ecs(aws);
      const identity = await ctx.deps.identity(aws);
      const confirm = mode === 'interactive' ? (await import('../ui/confirm.js')).createInkConfirm(ctx.io) : undefined;
      const ui = mode === 'interactive' ? await import('../ui/components/RollbackProgress.js') : undefined;
      let live: { update(e: RolloutEvent): void; done(): Promise<void> } | undefined;
      let target = '';
      const result = await runRollback(
        { ecs, clock: ctx.deps.clock, audit: auditSink(ctx, config), identity: () => identity.whoami(), confirm },
        {
          cluster: flags.cluster, service: flags.service, to: flags.to, force: flags.force, reason: flags.reason,
          dryRun: Boolean(flags.dryRun), yes: Boolean(flags.yes), canPrompt: mode === 'interactive', wait: flags.wait !== false,
          timeoutMs, pollMs, user: osUser(ctx.io.env), region: config.region, signal: ctx.io.signal,
        },
        {
          plan: (plan) => {
            target = plan.to;
            if (mode !== 'json') ctx.io.stdout.write(sanitizeForTerminal(rollbackPlanText(plan)));
          },
          progress: (e) => {
            if (!ui) return void ctx.io.stderr.write(sanitizeForTerminal(rolloutEventLine(e)));
            live ??= ui.renderRollbackProgress(ctx.io.stderr as NodeJS.WriteStream, ctx.io.stdin as NodeJS.ReadStream, flags.service, target);
            live.update(e);
          },
        },
      ).finally(() => live?.done());
      const incident = link && (await finishIncident(ctx, config, link, result));
      ctx.io.stdout.write(mode === 'json' ? `${safeJson({ ...rollbackJson(result), ...(incident && { incident: { id: `INC-${link.id}`, ...incident } }) })}\n` : sanitizeForTerminal(rollbackOutcomeText(result) + (incident ? `${incident.note}\n` : '')));
      const p = result.plan;
      if (link && incident && result.outcome === 'completed' && !incident.resolved) throw notRecovered(link, incident.note);
      if (result.outcome === 'declined') ctx.state.exitCode = EXIT.ABORTED;
      if (result.outcome === 'failed') {
        throw new OpsctlError('failed', `rollback of ${p.service} to ${p.to} failed: ${result.detail ?? ''}`, `see the service events: aws ecs describe-services --cluster ${p.cluster} --services ${p.service}`);
      }
      if (result.outcome === 'timeout') {
        throw new OpsctlError('timeout', `${p.service} did not finish rolling back to ${p.to} within ${flags.timeout}`, 'ECS keeps deploying; check again later, or wait longer with --timeout 20m');
      }
    });
  // Missing or unknown options fail in commander, before the action: audit those attempts too.
  // (program.args[0] is the subcommand commander dispatched to: only rollback's own parse errors are audited.)
  ctx.state.onParseError = (e) => {
    if (program.args[0] === 'rollback') auditFlagRefusal(ctx, cmd.opts<Partial<RollbackFlags>>(), e.message.replace(/^error: /, '').trim());
  };
}
