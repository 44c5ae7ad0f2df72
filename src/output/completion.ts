/** What a value (of a flag or a positional argument) completes to: words, files, directories or nothing. */
export type Values = string[] | 'file' | 'dir' | 'none';

/** One command of the tree, flattened: `path` is [] for opsctl itself, ['runbook', 'lint'] for a subcommand. */
export interface CompletionCommand {
  path: string[];
  subcommands: string[];
  /** Every flag spelling: `--top`, `-k`. */
  flags: string[];
  /** Flags that take a value, and what the value completes to. */
  values: Record<string, Values>;
  /** Positional arguments. */
  args: Values;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bashReply(v: Values): string {
  if (v === 'file') return 'COMPREPLY=($(compgen -f -- "$cur"))';
  if (v === 'dir') return 'COMPREPLY=($(compgen -d -- "$cur"))';
  if (v === 'none') return 'COMPREPLY=()';
  return `COMPREPLY=($(compgen -W ${q(v.join(' '))} -- "$cur"))`;
}

/** A bash completion script (also used by zsh through bashcompinit: no variable named `path`, zsh's PATH array). */
export function bashCompletion(tree: CompletionCommand[]): string {
  const key = (c: CompletionCommand) => `/${c.path.join('/')}`.replace(/^\/$/, '');
  const nested = tree.filter((c) => c.path.length > 0).map((c) => `${key(c)}`);
  const values = tree.flatMap((c) => Object.entries(c.values).map(([flag, v]) => `    ${q(`${key(c)} ${flag}`)}) ${bashReply(v)}; return ;;`));
  const flags = tree.map((c) => `    ${q(key(c))}) COMPREPLY=($(compgen -W ${q([...c.flags, '--help'].join(' '))} -- "$cur")) ;;`);
  const words = tree.map((c) => `    ${q(key(c))}) ${c.subcommands.length ? bashReply(c.subcommands) : bashReply(c.args)} ;;`);
  return `# opsctl completion for bash. Install: opsctl completion bash > ~/.local/share/bash-completion/completions/opsctl
# (or: source <(opsctl completion bash) in ~/.bashrc)
_opsctl_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="" w i
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$cmdpath/$w" in
      ${nested.map(q).join('|')}) cmdpath="$cmdpath/$w" ;;
    esac
  done
  case "$cmdpath $prev" in
${values.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmdpath" in
${flags.join('\n')}
    esac
    return 0
  fi
  case "$cmdpath" in
${words.join('\n')}
  esac
  return 0
}
complete -o filenames -F _opsctl_complete opsctl
`;
}

/** zsh: the bash script through zsh's bashcompinit (one tree, one behaviour). */
export function zshCompletion(tree: CompletionCommand[]): string {
  return `# opsctl completion for zsh. Install: add  source <(opsctl completion zsh)  to ~/.zshrc
(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(tree).split('\n').filter((l) => !l.startsWith('# opsctl completion for bash') && !l.startsWith('# (or: source')).join('\n')}`;
}

function fishValue(v: Values): string {
  if (v === 'file') return ' -r -F';
  if (v === 'dir') return " -x -a '(__fish_complete_directories)'";
  if (v === 'none') return ' -x';
  return ` -x -a ${q(v.join(' '))}`;
}

/** A fish completion script. */
export function fishCompletion(tree: CompletionCommand[]): string {
  const lines = ['# opsctl completion for fish. Install: opsctl completion fish > ~/.config/fish/completions/opsctl.fish', 'complete -c opsctl -e'];
  for (const c of tree) {
    // The command's own words were all typed, and none of its subcommands yet.
    const seen = c.path.map((p) => `__fish_seen_subcommand_from ${p}`);
    const cond = c.path.length === 0 ? '__fish_use_subcommand' : [...seen, ...(c.subcommands.length ? [`not __fish_seen_subcommand_from ${c.subcommands.join(' ')}`] : [])].join('; and ');
    const n = `-n ${q(cond)}`;
    if (c.subcommands.length) lines.push(`complete -c opsctl ${n} -f -a ${q(c.subcommands.join(' '))}`);
    else if (c.args === 'none') lines.push(`complete -c opsctl ${n} -f`);
    else if (Array.isArray(c.args)) lines.push(`complete -c opsctl ${n} -f -a ${q(c.args.join(' '))}`);
    else if (c.args === 'dir') lines.push(`complete -c opsctl ${n} -f -a '(__fish_complete_directories)'`);
    for (const flag of c.flags) {
      const spelled = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      const v = c.values[flag];
      lines.push(`complete -c opsctl ${n} ${spelled}${v ? fishValue(v) : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
