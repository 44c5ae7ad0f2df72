import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { Deps } from '../cli/deps.js';
import type { CommandContext } from '../cli/program.js';
import { EXIT, OpsctlError } from '../core/errors.js';
import { listMarkdown } from '../core/runbooks/corpus.js';
import { locateIndex } from './index-location.js';
import { allowedPath, BadToolInput, TOOLS, toolRun, type McpScope, type ToolRun } from './mcp-tools.js';

/** Exit codes that are answers, not failures: nothing matched (3), no LLM (7), an ungrounded answer (13). */
const ANSWERS = new Set<number>([EXIT.OK, EXIT.NO_MATCH, EXIT.ANSWERED_WITHOUT_LLM, EXIT.UNGROUNDED]);

/** Deps whose ECS gateway refuses UpdateService: `rollback_plan` is a dry run, and this makes sure of it. */
function readOnlyDeps(deps: Deps): Deps {
  return {
    ...deps,
    ecs: async (opts) => {
      const ecs = await deps.ecs(opts);
      return Object.assign(Object.create(ecs) as typeof ecs, {
        updateService: () => Promise.reject(new OpsctlError('aborted', 'the MCP server is read-only: it never calls UpdateService')),
      });
    },
  };
}

/** Runs one opsctl command line in-process, stdout and stderr captured (stdout is the MCP channel). */
async function runInProcess(run: ToolRun, ctx: CommandContext, deps: Deps): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../cli/run.js');
  const sink = () => {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer | string, _e, cb) => (chunks.push(c.toString()), cb()) }), { isTTY: false });
    return { stream, text: () => chunks.join('') };
  };
  const out = sink();
  const err = sink();
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(run.stdin ?? '');
  const code = await runCli(run.argv, deps, { stdout: out.stream, stderr: err.stream, stdin, env: ctx.io.env, cwd: ctx.io.cwd, signal: ctx.io.signal });
  return { code, stdout: out.text(), stderr: err.text() };
}

export function registerMcp(program: Command, ctx: CommandContext): void {
  program
    .command('mcp')
    .description('serve runbook search, log reduction, diagnosis, triage and rollback plans to agents (MCP over stdio; read-only)')
    .argument('[paths...]', 'files or directories the tools may read besides the runbooks directory (e.g. log directories)')
    .option('--runbooks <dir>', 'runbooks directory (default: the one the index was built from, else ./runbooks)')
    .option('--index-dir <dir>', 'index directory (default as for ask)')
    .action(async (paths: string[], flags: { runbooks?: string; indexDir?: string }) => {
      const config = locateIndex({ cwd: ctx.io.cwd, env: ctx.io.env, flags: { runbooksDir: flags.runbooks, indexDir: flags.indexDir } });
      const roots = [config.runbooksDir, ...paths].map((p) => {
        try {
          return realpathSync(resolve(ctx.io.cwd, p));
        } catch {
          throw new OpsctlError('input', `not found: ${p}`, 'opsctl mcp [paths...] names files or directories the tools may read');
        }
      });
      const scope: McpScope = { cwd: ctx.io.cwd, runbooksDir: config.runbooksDir, indexDir: config.indexDir, roots };
      await serve(ctx, scope);
    });
}

async function serve(ctx: CommandContext, scope: McpScope): Promise<void> {
  const [{ Server }, { StdioServerTransport }, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  const { McpError, ErrorCode } = types;
  const server = new Server({ name: 'opsctl', version: '0.1.0' }, { capabilities: { tools: {}, resources: {} } });
  const deps = readOnlyDeps(ctx.deps);
  // One tool call at a time: two searches must not race to update the same index.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => undefined);
    return next;
  };
  const bad = (e: unknown) => (e instanceof BadToolInput ? new McpError(ErrorCode.InvalidParams, e.message) : e);

  server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools: TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })) }));
  server.setRequestHandler(types.CallToolRequestSchema, async (req) => {
    let run: ToolRun;
    try {
      run = toolRun(req.params.name, req.params.arguments, scope);
    } catch (e) {
      throw bad(e);
    }
    const r = await serial(() => runInProcess(run, ctx, deps));
    if (!ANSWERS.has(r.code)) return { isError: true, content: [{ type: 'text', text: r.stderr.trim() || `opsctl exited ${r.code}` }], structuredContent: { exitCode: r.code } };
    let result: unknown;
    try {
      result = JSON.parse(r.stdout);
    } catch {
      return { isError: true, content: [{ type: 'text', text: `opsctl printed no JSON (exit ${r.code}): ${r.stderr.trim()}` }] };
    }
    return { content: [{ type: 'text', text: r.stdout.trim() }], structuredContent: { exitCode: r.code, result } };
  });
  server.setRequestHandler(types.ListResourcesRequestSchema, () => ({
    resources: listMarkdown(scope.runbooksDir).files.map((f) => ({ uri: pathToFileURL(join(scope.runbooksDir, f.path)).href, name: f.path, mimeType: 'text/markdown' })),
  }));
  server.setRequestHandler(types.ReadResourceRequestSchema, (req) => {
    const uri = req.params.uri;
    let path: string;
    try {
      if (!uri.startsWith('file:')) throw new BadToolInput(`not a runbook: ${uri}`);
      path = allowedPath(fileURLToPath(uri), { ...scope, roots: [scope.roots[0]] });
    } catch (e) {
      throw bad(e instanceof TypeError ? new BadToolInput(`not a file URI: ${uri}`) : e);
    }
    return { contents: [{ uri, mimeType: 'text/markdown', text: readFileSync(path, 'utf8') }] };
  });

  const transport = new StdioServerTransport(ctx.io.stdin, ctx.io.stdout);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  await server.connect(transport);
  // The client closing our stdin (or Ctrl-C) ends the session.
  ctx.io.stdin.once('end', () => void server.close());
  ctx.io.signal.addEventListener('abort', () => void server.close(), { once: true });
  await closed;
}
