import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Where the server may read: the runbooks directory and the paths named on `opsctl mcp`'s command line. */
export interface McpScope {
  cwd: string;
  runbooksDir: string;
  indexDir: string;
  /** Real paths (symlinks resolved) of the allowed roots. */
  roots: string[];
}

/** A request the server refuses as bad input (an MCP InvalidParams error, never a crash). */
export class BadToolInput extends Error {}

/** What a tool call becomes: an in-process opsctl command line, and the text it reads on stdin. */
export interface ToolRun {
  argv: string[];
  stdin?: string;
}

type Args = Record<string, unknown>;
type Schema = { type: 'object'; properties: Record<string, object>; required?: string[]; additionalProperties: false };

const files = { type: 'array', items: { type: 'string' }, description: 'log files (absolute, or relative to the server\'s directory) under the allowed roots' };
const text = { type: 'string', description: 'log text, instead of files' };
const budget = { type: 'integer', minimum: 100, description: 'output size in tokens (default 8000 for logs_reduce, 6000 for diagnose)' };

export interface ToolDef {
  name: string;
  description: string;
  inputSchema: Schema;
  run(args: Args, scope: McpScope): ToolRun;
}

function str(args: Args, key: string, required: true): string;
function str(args: Args, key: string, required?: false): string | undefined;
function str(args: Args, key: string, required = false): string | undefined {
  const v = args[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new BadToolInput(`${key} must be a non-empty string`);
  return v;
}

function int(args: Args, key: string, min: number, max: number): string[] {
  const v = args[key];
  if (v === undefined) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new BadToolInput(`${key} must be a whole number from ${min} to ${max}`);
  return [`--${key}`, String(v)];
}

/** A path the caller named, checked to lie under an allowed root (after resolving symlinks). */
export function allowedPath(path: string, scope: McpScope): string {
  let real: string;
  try {
    real = realpathSync(resolve(scope.cwd, path));
  } catch {
    throw new BadToolInput(`no such file: ${path}`);
  }
  const inside = scope.roots.some((root) => {
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  });
  if (!inside) throw new BadToolInput(`${path} is outside the allowed roots (the runbooks directory and the paths given to opsctl mcp)`);
  return real;
}

/** Log input: files under the allowed roots, or text fed on stdin (exactly one of them). */
function logInput(args: Args, scope: McpScope): ToolRun {
  const list = args.files;
  const hasText = args.text !== undefined;
  if (list !== undefined && hasText) throw new BadToolInput('give either files or text, not both');
  if (hasText) return { argv: ['-'], stdin: str(args, 'text', true) };
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string')) throw new BadToolInput('files (a non-empty list of paths) or text is required');
  return { argv: list.map((f: string) => allowedPath(f, scope)) };
}

const index = (scope: McpScope) => ['--runbooks', scope.runbooksDir, '--index-dir', scope.indexDir];

export const TOOLS: ToolDef[] = [
  {
    name: 'search_runbooks',
    description: 'Find the runbook sections that answer a question. Returns opsctl.ask/v1 JSON: cited sections (file, line range, heading path), relevance, and answered=false when no runbook covers it.',
    inputSchema: { type: 'object', properties: { question: { type: 'string' }, top: { type: 'integer', minimum: 1, maximum: 20 } }, required: ['question'], additionalProperties: false },
    run: (args, scope) => ({ argv: ['ask', '--json', '--llm', 'none', ...index(scope), ...int(args, 'top', 1, 20), '--', str(args, 'question', true)] }),
  },
  {
    name: 'logs_reduce',
    description: 'Keep the most anomalous parts of logs within a token budget (opsctl.logs/v1 JSON).',
    inputSchema: { type: 'object', properties: { files, text, budget }, additionalProperties: false },
    run: (args, scope) => {
      const input = logInput(args, scope);
      return { argv: ['logs', 'reduce', '--json', ...int(args, 'budget', 100, 1_000_000), ...input.argv], stdin: input.stdin };
    },
  },
  {
    name: 'diagnose',
    description: 'Diagnose a failed CI or service log: cause, fix, evidence lines and cited runbook sections (opsctl.diagnose/v1 JSON).',
    inputSchema: { type: 'object', properties: { files, text, budget }, additionalProperties: false },
    run: (args, scope) => {
      const input = logInput(args, scope);
      return { argv: ['diagnose', '--json', '--llm', 'none', ...index(scope), ...int(args, 'budget', 100, 1_000_000), ...input.argv], stdin: input.stdin };
    },
  },
  {
    name: 'triage',
    description: 'Triage a CloudWatch alarm: metric, ECS service, deploy timing, cited runbook sections, next command (opsctl.triage/v1 JSON). Read-only AWS calls.',
    inputSchema: { type: 'object', properties: { alarm: { type: 'string' }, cluster: { type: 'string' }, service: { type: 'string' }, region: { type: 'string' } }, required: ['alarm'], additionalProperties: false },
    run: (args, scope) => ({ argv: ['triage', '--json', ...index(scope), '--alarm', str(args, 'alarm', true), ...opt(args, 'cluster'), ...opt(args, 'service'), ...opt(args, 'region')] }),
  },
  {
    name: 'rollback_plan',
    description: 'Plan an ECS service rollback without acting (dry run: the server never calls UpdateService). opsctl.rollback/v1 JSON.',
    inputSchema: { type: 'object', properties: { cluster: { type: 'string' }, service: { type: 'string' }, to: { type: 'string' }, region: { type: 'string' } }, required: ['cluster', 'service'], additionalProperties: false },
    run: (args) => ({ argv: ['rollback', '--dry-run', '--json', '--cluster', str(args, 'cluster', true), '--service', str(args, 'service', true), ...opt(args, 'to'), ...opt(args, 'region')] }),
  },
];

function opt(args: Args, key: string): string[] {
  const v = str(args, key);
  return v === undefined ? [] : [`--${key}`, v];
}

/** The tool's command line, or BadToolInput for an unknown tool, a missing or malformed argument, or a path outside. */
export function toolRun(name: string, args: Args | undefined, scope: McpScope): ToolRun {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new BadToolInput(`unknown tool: ${name} (tools: ${TOOLS.map((t) => t.name).join(', ')})`);
  const given = args ?? {};
  const extra = Object.keys(given).filter((k) => !(k in tool.inputSchema.properties));
  if (extra.length) throw new BadToolInput(`${name}: unknown argument ${extra.join(', ')}`);
  return tool.run(given, scope);
}
