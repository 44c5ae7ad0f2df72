import type { ChatMessage, LlmClient, LlmRequest } from '../ports.js';
import { highEntropy, KEY_VALUE_RULES } from './key-values.js';
import { BLOCK_RULES, LINE_RULES, mask, type Hit, type RedactionKind, type Rule } from './secret-rules.js';

export type { RedactionKind } from './secret-rules.js';

/** Every kind, in the order `describeRedactions` lists them. */
export const REDACTION_KINDS: readonly RedactionKind[] = [
  'private-key', 'k8s-secret', 'url-credentials', 'basic-auth', 'bearer-token', 'aws-access-key', 'aws-secret-key', 'jwt',
  'webhook', 'cloud-key', 'api-token', 'password', 'high-entropy', 'email', 'ipv6', 'ipv4',
];

export interface RedactResult {
  text: string;
  /** How many of each kind were masked (kinds with zero are absent): only what was actually replaced. */
  counts: Partial<Record<RedactionKind, number>>;
  total: number;
}

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;

/**
 * A dotted quad right after "v", "version" or "release" is a four-part version number, not an address;
 * 127.0.0.1 and 0.0.0.0 identify nothing and appear in health-check commands, so they stay.
 */
function ipv4Rule(): Rule {
  return (text, hit: Hit) =>
    text.replace(IPV4, (m: string, offset: number) => {
      const before = text.slice(Math.max(0, offset - 10), offset).toLowerCase();
      if (/(\bv|version\s*|release\s*)$/.test(before) || m === '127.0.0.1' || m === '0.0.0.0') return m;
      hit('ipv4');
      return mask('ipv4');
    });
}

const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/gi;

/** Validates an IPv6 candidate: 1–4 hex digits per group, 8 groups or one "::" standing for the rest. */
export function isIpv6(s: string): boolean {
  const v4tail = /(?:\d{1,3}\.){3}\d{1,3}$/.test(s);
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g, i) => !(/^[0-9a-f]{1,4}$/i.test(g) || (v4tail && i === groups.length - 1)))) return false;
  const count = groups.length + (v4tail ? 1 : 0);
  return halves.length === 2 ? count <= 7 && count >= 2 : count === 8;
}

function ipv6Rule(): Rule {
  return (text, hit) =>
    text.replace(IPV6_CANDIDATE, (m: string) => {
      // Without a digit it is more likely a scope ("a::b") than an address.
      if (!isIpv6(m) || m === '::1' || !/\d/.test(m)) return m;
      hit('ipv6');
      return mask('ipv6');
    });
}

const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
const email: Rule = (text, hit) => text.replace(EMAIL, () => (hit('email'), mask('email')));

/** Multi-line blocks first, then shapes and headers, then key/value, then bare random tokens, then personal data. */
const RULES: Rule[] = [...BLOCK_RULES.map(([, r]) => r), ...LINE_RULES, ...KEY_VALUE_RULES, email, highEntropy, ipv6Rule(), ipv4Rule()];

/** Applies our own rules (synchronous): see secret-rules.ts and key-values.ts for what each masks and keeps. */
export function redact(text: string): RedactResult {
  const counts: Partial<Record<RedactionKind, number>> = {};
  const hit: Hit = (kind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const out = RULES.reduce((t, rule) => rule(t, hit), text);
  return { text: out, counts, total: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0) };
}

/** secretlint rule ids → our kinds (what `--verbose` and `--json` report). */
const SECRETLINT_KIND: Record<string, RedactionKind> = {
  aws: 'aws-access-key', privatekey: 'private-key', basicauth: 'url-credentials', 'database-connection-string': 'url-credentials',
};

/**
 * The maintained detector set: secretlint's recommended preset (AWS, GCP, GitHub, GitLab, Slack, npm, OpenAI, ...).
 * Loaded on first use, so an ask that sends nothing away never pays for it. Each finding's range is masked.
 */
async function secretlint(text: string, hit: Hit): Promise<string> {
  const [{ lintSource }, { creator }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  const result = await lintSource({
    source: { content: text, filePath: '/opsctl-prompt.txt', ext: '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] }, noPhysicFilePath: true },
  });
  const ranges = result.messages.map((m) => ({ from: m.range[0], to: m.range[1], kind: SECRETLINT_KIND[m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '')] ?? 'api-token' }))
    .sort((a, b) => a.from - b.from);
  let out = '';
  let at = 0;
  for (const r of ranges) {
    if (r.from < at) continue; // overlapping findings: the first already masked it
    out += text.slice(at, r.from) + mask(r.kind);
    hit(r.kind);
    at = r.to;
  }
  return out + text.slice(at);
}

/**
 * THE redaction step before text leaves the machine (for a backend off this host): secretlint's maintained rules,
 * then ours (URL and header credentials, curl -u, Kubernetes Secret data, cut-off PEM/PGP keys, many token shapes,
 * values after secret-like keys in every common key/value syntax, bare random-looking tokens), then emails and
 * IP addresses. The value is masked, never only its key or operator; counts say what was actually masked.
 */
export async function redactText(text: string): Promise<RedactResult> {
  const counts: Partial<Record<RedactionKind, number>> = {};
  const hit: Hit = (kind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const first = await secretlint(text, hit);
  const out = RULES.reduce((t, rule) => rule(t, hit), first);
  return { text: out, counts, total: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0) };
}

export interface RedactedMessages {
  messages: ChatMessage[];
  counts: Partial<Record<RedactionKind, number>>;
  total: number;
}

/** Redacts every message's content; counts are summed over all messages. */
export async function redactMessages(messages: ChatMessage[]): Promise<RedactedMessages> {
  const counts: Partial<Record<RedactionKind, number>> = {};
  let total = 0;
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const r = await redactText(m.content);
    for (const [k, v] of Object.entries(r.counts) as Array<[RedactionKind, number]>) counts[k] = (counts[k] ?? 0) + v;
    total += r.total;
    out.push({ ...m, content: r.text });
  }
  return { messages: out, counts, total };
}

/** "2 aws-access-key, 1 email" for --verbose; "nothing" when no mask was applied. */
export function describeRedactions(counts: Partial<Record<RedactionKind, number>>): string {
  const parts = REDACTION_KINDS.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

export interface RedactingOptions {
  /** Called once per request with what was masked (for --verbose), also when nothing was. */
  onRedact?: (counts: Partial<Record<RedactionKind, number>>, total: number) => void;
}

/**
 * Wraps an LlmClient so every request's messages are redacted before they reach it. The CLI wraps every provider
 * it builds for a backend off this machine (see guardLlm), so no command can send unmasked text there; `redaction`
 * lets a use-case show the masked prompt and check the answer against what the model saw.
 */
export function redactingLlm(inner: LlmClient, opts: RedactingOptions = {}): LlmClient {
  const prepare = async (req: LlmRequest): Promise<LlmRequest> => {
    const r = await redactMessages(req.messages);
    opts.onRedact?.(r.counts, r.total);
    return { ...req, messages: r.messages };
  };
  return {
    id: inner.id,
    redaction: { apply: redactMessages },
    complete: async (req) => inner.complete(await prepare(req)),
    async *stream(req) {
      yield* inner.stream(await prepare(req));
    },
  };
}

/**
 * True when `url`'s host is this machine: `localhost`, 127.0.0.0/8, ::1 (or ::ffff:127.x). Parsed as a URL, so
 * `http://remote\\@localhost` is host "remote" (the backslash ends the authority), and a user part never counts.
 * Anything else, a name that might resolve anywhere included, is remote.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host) || /^::ffff:(?:127(?:\.\d{1,3}){3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(host);
}
