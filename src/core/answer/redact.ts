import type { ChatMessage, LlmClient, LlmRequest } from '../ports.js';

/** What `redact` can mask. Each match becomes `[REDACTED:<kind>]`. */
export type RedactionKind =
  | 'private-key'
  | 'jwt'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'bearer-token'
  | 'api-token'
  | 'password'
  | 'email'
  | 'ipv6'
  | 'ipv4';

/** All kinds, in the order they are applied (multi-line and most specific first). */
export const REDACTION_KINDS: readonly RedactionKind[] = [
  'private-key', 'jwt', 'aws-access-key', 'aws-secret-key', 'bearer-token', 'api-token', 'password', 'email', 'ipv6', 'ipv4',
];

export interface RedactOptions {
  /** Kinds to mask; default all of REDACTION_KINDS. */
  kinds?: readonly RedactionKind[];
}

export interface RedactResult {
  text: string;
  /** How many of each kind were masked (kinds with zero are absent). */
  counts: Partial<Record<RedactionKind, number>>;
  total: number;
}

const mask = (k: RedactionKind) => `[REDACTED:${k}]`;

/**
 * A value after `key=` / `key:` that is a reference, not a secret: `$VAR`, `${VAR}`, `<placeholder>`,
 * `{{ template }}`, `***`, or something already masked. Runbooks are full of these, and masking them
 * would break the commands the LLM is asked to quote.
 */
const isPlaceholder = (v: string) => /^(\$|<|\{\{|\*{3,}|\[REDACTED|%\w+%$)/.test(v) || v === '';

/** `key` followed by `=` / `:` (optionally quoted key, spaces) and a quoted or bare value. */
const keyValue = (key: string) =>
  new RegExp(`(${key})(["']?[ \\t]*[:=][ \\t]*)(?:"([^"\\n]*)"|'([^'\\n]*)'|([^\\s,;&"'}\\])]+))`, 'gi');

type Rule = (text: string, hit: () => void) => string;

function keyValueRule(kind: RedactionKind, key: string, minLen = 1): Rule {
  return (text, hit) =>
    text.replace(keyValue(key), (all, k: string, sep: string, dq?: string, sq?: string, bare?: string) => {
      const value = dq ?? sq ?? bare ?? '';
      if (isPlaceholder(value) || value.length < minLen) return all;
      hit();
      const q = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
      return `${k}${sep}${q}${mask(kind)}${q}`;
    });
}

function regexRule(kind: RedactionKind, re: RegExp): Rule {
  return (text, hit) =>
    text.replace(re, () => {
      hit();
      return mask(kind);
    });
}

/** Keeps the word "Bearer" so the model still sees an auth header was there. */
const bearerRule: Rule = (text, hit) =>
  text.replace(/\b(Bearer\s+)[\w.~+/=-]{8,}/g, (_m, prefix: string) => {
    hit();
    return `${prefix}${mask('bearer-token')}`;
  });

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;

/**
 * A dotted quad right after "v", "version" or "release" is a four-part version number, not an address;
 * 127.0.0.1 and 0.0.0.0 identify nothing and appear in health-check commands, so they stay.
 */
function ipv4Rule(): Rule {
  return (text, hit) =>
    text.replace(IPV4, (m: string, offset: number) => {
      const before = text.slice(Math.max(0, offset - 10), offset).toLowerCase();
      if (/(\bv|version\s*|release\s*)$/.test(before) || m === '127.0.0.1' || m === '0.0.0.0') return m;
      hit();
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
      hit();
      return mask('ipv6');
    });
}

const RULES: Record<RedactionKind, Rule> = {
  'private-key': regexRule('private-key', /-----BEGIN ([A-Z0-9 ]+ )?PRIVATE KEY-----[\s\S]*?-----END ([A-Z0-9 ]+ )?PRIVATE KEY-----/g),
  jwt: regexRule('jwt', /\beyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]{8,}/g),
  'aws-access-key': regexRule('aws-access-key', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g),
  // Secret keys are 40 base64 characters, indistinguishable from other strings without their key name.
  'aws-secret-key': keyValueRule('aws-secret-key', '(?:aws_?)?secret_?access_?key(?:_id)?', 40),
  'bearer-token': bearerRule,
  'api-token': (text, hit) => {
    // Well-known token shapes anywhere (GitHub, GitLab, Slack, Stripe/OpenAI-style, Google API keys) ...
    const shaped = regexRule('api-token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|xox[abpors]-[\w-]{10,}|sk-(?:live_|test_|proj-)?[\w-]{20,}|AIza[\w-]{35})\b/g)(text, hit);
    // ... then values of keys that name a token or API key (at least 8 characters, so "token: yes" stays).
    return keyValueRule('api-token', '[\\w-]*(?:api[_-]?key|apikey|auth[_-]?token|access[_-]?token|token|x-api-key)[\\w-]*', 8)(shaped, hit);
  },
  password: keyValueRule('password', '[\\w-]*(?:password|passwd|pwd|secret)[\\w-]*'),
  email: regexRule('email', /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g),
  ipv6: ipv6Rule(),
  ipv4: ipv4Rule(),
};

/**
 * Masks secrets and personal data before text leaves the machine (for a cloud LLM).
 *
 * Masks AWS access keys (AKIA…/ASIA…), AWS secret keys next to their key name, bearer tokens, well-known
 * API token shapes and `token=`/`api_key:` values, `password=`/`secret:` values, PEM private keys, JWTs,
 * emails, IPv4 and IPv6 addresses. Deliberately kept: placeholders (`$VAR`, `<password>`), 127.0.0.1,
 * 0.0.0.0, ::1, three-part versions (1.2.3) and four-part ones written after "v"/"version" (v1.2.3.4).
 * A bare dotted quad such as 1.2.3.4 IS masked: it is a valid address and we cannot tell otherwise.
 */
export function redact(text: string, opts: RedactOptions = {}): RedactResult {
  const wanted = new Set(opts.kinds ?? REDACTION_KINDS);
  const counts: Partial<Record<RedactionKind, number>> = {};
  let out = text;
  for (const kind of REDACTION_KINDS) {
    if (!wanted.has(kind)) continue;
    out = RULES[kind](out, () => {
      counts[kind] = (counts[kind] ?? 0) + 1;
    });
  }
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return { text: out, counts, total };
}

/** Redacts every message's content; counts are summed over all messages. */
export function redactMessages(messages: ChatMessage[], opts: RedactOptions = {}): { messages: ChatMessage[]; counts: Partial<Record<RedactionKind, number>>; total: number } {
  const counts: Partial<Record<RedactionKind, number>> = {};
  let total = 0;
  const out = messages.map((m) => {
    const r = redact(m.content, opts);
    for (const [k, v] of Object.entries(r.counts) as Array<[RedactionKind, number]>) counts[k] = (counts[k] ?? 0) + v;
    total += r.total;
    return { ...m, content: r.text };
  });
  return { messages: out, counts, total };
}

/** "2 aws-access-key, 1 email" for --verbose; "nothing" when no mask was applied. */
export function describeRedactions(counts: Partial<Record<RedactionKind, number>>): string {
  const parts = REDACTION_KINDS.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}

export interface RedactingOptions extends RedactOptions {
  /** Called once per request with what was masked (for --verbose), also when nothing was. */
  onRedact?: (counts: Partial<Record<RedactionKind, number>>, total: number) => void;
}

/**
 * Wraps an LlmClient so every request's messages are redacted before they reach it. Use it for any
 * backend that is not on this machine (Bedrock, or Ollama at a non-loopback host) when config.redact is on.
 */
export function redactingLlm(inner: LlmClient, opts: RedactingOptions = {}): LlmClient {
  const prepare = (req: LlmRequest): LlmRequest => {
    const r = redactMessages(req.messages, opts);
    opts.onRedact?.(r.counts, r.total);
    return { ...req, messages: r.messages };
  };
  return {
    id: inner.id,
    complete: (req) => inner.complete(prepare(req)),
    stream: (req) => inner.stream(prepare(req)),
  };
}

/** True when `url` points at this machine (localhost, 127.0.0.0/8, ::1), so text sent there stays local. */
export function isLoopbackUrl(url: string): boolean {
  const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(url.includes('://') ? url : `http://${url}`)?.[1].toLowerCase() ?? '';
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
