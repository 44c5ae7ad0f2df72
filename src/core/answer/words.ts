/** Word-level helpers of the grounding check: content words for overlap, and what reads as an instruction. */

const STOP = new Set(
  ('a an and are as at be been but by can could do does for from has have how if in into is it its may might must ' +
    'no not of on or our should so than that the their then there these they this those to use used using was we ' +
    'were what when where which while who will with would you your also first next now only sure just here via ' +
    'answer section sections runbook runbooks step steps cite per').split(' '),
);

/**
 * Lower-cased content words: tokens of letters/digits (keeping `-`, `_`, `.`, `/` inside, so
 * `update-service` and `--desired-count` survive), minus stop words, with a light suffix strip so
 * "restarting", "restarts" and "restart" match.
 */
export function contentWords(text: string): string[] {
  const tokens = text.toLowerCase().match(/[a-z0-9][a-z0-9_./-]*[a-z0-9]|[a-z0-9]/g) ?? [];
  return tokens.filter((t) => !STOP.has(t) && (t.length > 1 || /\d/.test(t))).map(stem);
}

/** "scaled", "scales", "scaling" and "scale" all become "scal"; good enough for overlap, not for display. */
function stem(w: string): string {
  if (/[^a-z]/.test(w) || w.length <= 4) return w;
  let s = w;
  for (const suf of ['ing', 'ed', 's']) {
    if (s.endsWith(suf) && !s.endsWith('ss') && s.length - suf.length >= 3) {
      s = s.slice(0, -suf.length);
      break;
    }
  }
  return s.length > 3 && s.endsWith('e') ? s.slice(0, -1) : s;
}

const VERBS = new Set(
  ('run restart check scale roll rollback revert delete drain set open verify update deploy redeploy stop start ' +
    'kill increase decrease raise lower apply execute ssh tail grep look ensure confirm page escalate notify create ' +
    'remove add edit change disable enable reboot flush clear purge rotate revoke terminate force wait monitor ' +
    'inspect review compare capture go navigate call contact switch fail failover promote mark cordon uncordon evict ' +
    'copy move install upgrade downgrade reset restore snapshot trigger invoke retry rerun tell describe list watch ' +
    'log login export type paste click select pin unpin bump free kick cancel resume pause').split(' '),
);

/** An imperative step ("Restart the pods", "First, drain the node", "You should run …") or inline code. */
export function isInstruction(prose: string): boolean {
  if (/`[^`]+`/.test(prose)) return true;
  const words = prose
    .replace(/[*_]/g, '')
    .toLowerCase()
    .replace(/^(first|then|next|finally|now|also|afterwards|after that|if needed|optionally)\b[,:]?\s*/, '')
    .replace(/^(you|we)\s+(should|must|need to|have to|can)\s+/, '')
    .replace(/^(please|immediately)\s+/, '')
    .split(/\s+/);
  return VERBS.has(words[0]?.replace(/[^a-z-]/g, '') ?? '');
}
