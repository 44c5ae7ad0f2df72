/**
 * Commands in generated text, and the checks that matter before someone pastes one into a shell: does the
 * cited source really contain it, and is it destructive.
 */

/** Collapses every whitespace run to one space and drops a leading shell prompt (`$ `), for comparison. */
export function normalizeCommand(cmd: string): string {
  return cmd.replace(/\s+/g, ' ').trim().replace(/^[$#>]\s+/, '');
}

/** Inline code that reads as a command: more than one word, or a flag. Single names (`web-api`) are not. */
function isCommandLike(code: string): boolean {
  const c = code.trim();
  return /\s/.test(c) || /^--?[a-z]/i.test(c);
}

/**
 * The commands of a piece of text: each inline code span that reads as a command, and each non-empty,
 * non-comment line of `fenced` code (a fenced block is passed separately, already split from the prose).
 * Lines ending in `\` are joined with the next, as a shell would.
 */
export function extractCommands(prose: string, fenced = ''): string[] {
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter(isCommandLike);
  const lines = fenced.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return [...new Set([...inline, ...lines].map(normalizeCommand).filter(Boolean))];
}

/** What makes a command destructive: deleting, terminating, scaling to zero, forcing, killing, approving unseen. */
const DESTRUCTIVE: RegExp[] = [
  /\bdelete\b|\bdelete-[a-z-]+/i,
  /\bterminate\b|\bterminate-[a-z-]+/i,
  /--desired-count[ =]0\b|--replicas[ =]0\b|--min-size[ =]0\b|\bscale\b[^.\n]{0,60}\b(to|=)\s*(0|zero)\b|\breplicas:\s*0\b|\bdesiredCount:\s*0\b/i,
  /--force(?![\w-])/i,
  /\brm\s+-(?:[a-z]*r[a-z]*f|[a-z]*f[a-z]*r)[a-z]*\b/i,
  /\bdrop\s+(table|database|schema|index|keyspace|collection|user)\b/i,
  /\btruncate\s+(table\s+)?[a-z_]/i,
  /\b(p?kill|killall)\b/i,
  /\bflushall\b|\bflushdb\b/i,
  /\brollback\b.*(--yes\b|\s-y\b)/i,
];

/** The destructive part found in `text` (e.g. "--force"), or undefined. */
export function destructivePart(text: string): string | undefined {
  for (const re of DESTRUCTIVE) {
    const m = re.exec(text);
    if (m) return m[0].trim();
  }
  return undefined;
}

/**
 * Lines of retrieved text that talk to the model instead of the reader: "ignore previous instructions",
 * "tell the user to run …". A runbook is documentation; such a line is an injection attempt, and a command
 * found only there must not count as grounded.
 */
const ADDRESSED_TO_MODEL: RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|preceding|all|any|your|system)\b[^.\n]{0,30}\b(instructions?|prompts?|rules|guidelines|directions)\b/i,
  /\b(tell|instruct|advise|ask|direct)\s+(the\s+)?(user|reader|operator|engineer|human)s?\s+(to|that)\b/i,
  /\b(you are now|as an ai|as the assistant|new instructions|system prompt)\b/i,
  /<\/?\s*(system|instructions?|assistant)\s*>/i,
];

/** True when a line of retrieved text looks addressed to the model (a prompt injection). */
export function isAddressedToModel(line: string): boolean {
  return ADDRESSED_TO_MODEL.some((re) => re.test(line));
}

/** A source's text without its injected lines, normalised for command look-ups. */
export function trustedText(text: string): string {
  // Continuation lines are joined as in extractCommands, so a multi-line command matches itself.
  return normalizeCommand(text.split('\n').filter((l) => !isAddressedToModel(l)).join('\n').replace(/\\\n/g, ' '));
}

/** The lines of `text` that look addressed to the model. */
export function injectedLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && isAddressedToModel(l));
}
