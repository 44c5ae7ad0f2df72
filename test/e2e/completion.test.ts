import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumFromHelp } from '../../src/commands/completion.js';
import { runOpsctl, tempDirs } from '../helpers/cli.js';

// Issue 16: `opsctl completion bash|zsh|fish`; the bash script is sourced in a real bash and asked, as a shell would.
const tmp = tempDirs('opsctl-completion-');
let dir = '';
let script = '';
beforeAll(async () => {
  dir = await tmp.make();
  const r = await runOpsctl(['completion', 'bash'], { cwd: dir });
  expect(r.code).toBe(0);
  script = join(dir, 'opsctl.bash');
  writeFileSync(script, r.stdout);
  mkdirSync(join(dir, 'runbooks'));
  writeFileSync(join(dir, 'runbooks', 'alb.md'), '# ALB\n');
  writeFileSync(join(dir, 'build.log'), 'ERROR\n');
});
afterAll(() => tmp.cleanup());

/** What bash offers for the command line `words` (the last word is the one being completed). */
function complete(...words: string[]): string[] {
  const array = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source ${script}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _opsctl_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('opsctl completion bash', () => {
  it('completes subcommands, nested subcommands and the shells', () => {
    expect(complete('opsctl', '')).toEqual(expect.arrayContaining(['ask', 'completion', 'diagnose', 'index', 'logs', 'mcp', 'rollback', 'runbook', 'triage']));
    expect(complete('opsctl', 'di')).toEqual(['diagnose']);
    expect(complete('opsctl', 'runbook', '')).toEqual(['generate', 'lint', 'list-modes', 'refine']);
    expect(complete('opsctl', 'completion', '')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('completes the flags of the command typed, and enum values of the flag before', () => {
    expect(complete('opsctl', 'ask', '--emb')).toEqual(['--embedder']);
    expect(complete('opsctl', 'ask', '--embedder', '')).toEqual(['lsa', 'ollama', 'transformers']);
    expect(complete('opsctl', 'ask', 'why', '--llm', 'b')).toEqual(['bedrock']);
    expect(complete('opsctl', 'eval', '--llm', '')).toEqual(['bedrock', 'fake', 'ollama']);
    expect(complete('opsctl', 'audit', 'export', '--format', '')).toEqual(['csv', 'json']);
    expect(complete('opsctl', 'rollback', '--dry')).toEqual(['--dry-run']);
  });

  it('completes files for file arguments and directories for directory flags', () => {
    expect(complete('opsctl', 'diagnose', 'bu')).toEqual(['build.log']);
    expect(complete('opsctl', 'index', '--index-dir', '')).toEqual(['runbooks']);
    expect(complete('opsctl', 'runbook', 'lint', 'runbooks/')).toEqual(['runbooks/alb.md']);
    expect(complete('opsctl', 'ask', '--top', '')).toEqual([]);
  });
});

describe('opsctl completion zsh and fish', () => {
  it('print scripts for the same tree; an unknown shell is a usage error', async () => {
    const zsh = await runOpsctl(['completion', 'zsh'], { cwd: dir });
    expect(zsh.stdout).toMatch(/^# opsctl completion for zsh/);
    expect(zsh.stdout).toContain('autoload -U +X bashcompinit && bashcompinit\n_opsctl_complete() {');
    const fish = await runOpsctl(['completion', 'fish'], { cwd: dir });
    expect(fish.stdout).toContain("complete -c opsctl -n '__fish_seen_subcommand_from ask' -l embedder -x -a 'lsa transformers ollama'");
    expect(fish.stdout).toContain("complete -c opsctl -n '__fish_use_subcommand' -f -a 'index ask");
    expect((await runOpsctl(['completion', 'tcsh'], { cwd: dir })).code).toBe(2);
  });

  it('reads enum values from the help text', () => {
    expect(enumFromHelp('lsa (offline default) | transformers | ollama')).toEqual(['lsa', 'transformers', 'ollama']);
    expect(enumFromHelp('none (default) | ollama | bedrock: write a cited answer')).toEqual(['none', 'ollama', 'bedrock']);
    expect(enumFromHelp('LLM backend: ollama (default for authoring) or bedrock')).toEqual(['ollama', 'bedrock']);
    expect(enumFromHelp('AWS region (default: AWS_REGION / profile)')).toBeUndefined();
  });
});
