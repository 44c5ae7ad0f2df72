import { entropy, isPlaceholder, mask, type RedactionKind, type Rule } from './secret-rules.js';

/**
 * Values after a secret-like key, in every common key/value syntax: `k=v`, `k: v`, `k := v` (Go, Make `::=`,
 * `?=`, `+=`), `$k .= v` (PHP), `"k" => v` (Ruby, Logstash, PHP arrays), `k -> v`, `var k string = v`,
 * `string k = v;`, `k: String = v`, `setProperty("k", v)` and `put("k", v)`, CSV `k,v,`, XML `<k>v</k>`
 * (also over lines) and `<add key="k" value="v"/>`, YAML block scalars `k: |` and CLI flags `--password v`.
 * The value is masked; the key, the operator and the quotes stay.
 */

/** Key words that name a secret. "pass" only as a whole part (bypass, passed, compass are not). */
const SECRET_WORD =
  '(?:passw(?:or)?d|passphrase|pwd|(?<![a-z])pass(?![a-z])|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|credentials?|auth[_.-]?key|signing[_.-]?key|_auth|encryption[_.-]?key|master[_.-]?key|session[_.-]?key|webhook[_.-]?url|connection[_.-]?string|conn[_.-]?str|dsn)';
const KEY = `[A-Za-z0-9_.$-]*?${SECRET_WORD}[A-Za-z0-9_.-]*`;
/** Keys that mention a secret but hold something else (a count, a file path, a name). */
const NOT_SECRET_KEY = /(?:count|len|length|size|limit|type|file|path|name|ttl|expiry|expires(?:_at)?|tokenizer|tokens_used|max_tokens|num_tokens|_at|_id|_ids|_ref|_arn|_env|_var|policy|rotation|enabled|required|prefix)$/i;
const PASSWORD_KEY = /passw(?:or)?d|passphrase|pwd|pass|secret|credential|dsn|conn/i;

const Q = `\\\\?["'\`]`;
const TYPE = `(?:[ \\t]*:[ \\t]*[A-Za-z][\\w<>?]*|[ \\t]+(?:string|String|str|\\[\\]byte))?`;
const OP = `(?:[ \\t]*(?:::?:?=|[?+.]=|=>|->|==?|:|,|\\()[ \\t]*@?)`;
/** key, optional closing quote/bracket, optional type, operator, then a quoted value or a bare one. */
const ASSIGN = new RegExp(
  `((?<![A-Za-z0-9])${Q}?(${KEY})(?:${Q}|\\])?${TYPE}${OP})(?:(${Q})((?:(?!\\3)[^\\n\\\\]|\\\\(?!\\3).)*?)\\3|([^\\s,;'"\`<>)\\]}]+))`,
  'gi',
);
const XML_ELEMENT = new RegExp(`<((?:[\\w.-]*:)?${KEY})(\\s[^>]*)?>(\\s*)([^<\\s][^<]*?)(\\s*)</\\1>`, 'gi');
const XML_ATTR = new RegExp(`((?:name|key)\\s*=\\s*["'](${KEY})["'][^>]*?\\bvalue\\s*=\\s*)(["'])([^"']*)\\3`, 'gi');
const YAML_BLOCK = new RegExp(`^([ \\t]*${Q}?(${KEY})${Q}?[ \\t]*:[ \\t]*[|>][-+]?[ \\t]*\\n)([ \\t]+)([^\\n]+)`, 'gim');
const CLI_FLAG = new RegExp(`((?:^|\\s)--?(${KEY})(?:=|[ \\t]+))(["']?)([^\\s"'-][^\\s"']*)\\3`, 'gi');

/** Bare values that are code, not a literal: `this.apiKey`, `fs.readFileSync(`, `request.json['x']`, `os.Getenv`. */
const looksLikeCode = (v: string, after: string) =>
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v) || /^[([]/.test(after) || /[()[\]]/.test(v) || /^(?:true|false|null|nil|None)$/i.test(v);

/** What a key's value is reported as: an AWS secret key, a token or API key, else a password. */
function kindOf(key: string): RedactionKind {
  if (/^_auth$/i.test(key)) return 'api-token';
  if (/aws|secret[_.-]?access/i.test(key) && /secret|access[_.-]?key/i.test(key)) return 'aws-secret-key';
  return /token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key/i.test(key) && !/passw|pwd|secret/i.test(key) ? 'api-token' : 'password';
}

/** Whether `value` under `key` is worth masking: passwords at any length, tokens only when they look random. */
export function secretValue(key: string, value: string, quoted: boolean, after = ''): boolean {
  if (NOT_SECRET_KEY.test(key) || isPlaceholder(value) || value.startsWith('[REDACTED')) return false;
  if (/^(?:https?:\/\/|\/|\.\/|~\/)[^\s]*$/.test(value) && !/webhook/i.test(key)) return false;
  if (!quoted && looksLikeCode(value, after)) return false;
  if (PASSWORD_KEY.test(key)) return value.length >= 3;
  if (/^\d+$/.test(value) && value.length < 16) return false;
  return value.length >= 8 && (/\d/.test(value) || entropy(value) >= 3);
}

const assignments: Rule = (text, hit) =>
  text.replace(ASSIGN, (all, head: string, key: string, q: string | undefined, quotedValue: string | undefined, bare: string | undefined, offset: number) => {
    const value = q !== undefined ? (quotedValue ?? '') : (bare ?? '');
    const isComma = /,[ \t]*@?$/.test(head) || /\([ \t]*@?$/.test(head);
    // `k,v` and `f(k, v)` only when the key itself was quoted or it is CSV-like: otherwise "token, then" is prose.
    if (isComma && !/^\\?["'`]/.test(head) && !/,[ \t]*$/.test(head)) return all;
    if (isComma && q === undefined && !/^[\w+/=.~-]{8,}$/.test(value)) return all;
    const after = text.slice(offset + all.length, offset + all.length + 1);
    if (!secretValue(key, value, q !== undefined, after)) return all;
    const kind = kindOf(key);
    hit(kind);
    return q !== undefined ? `${head}${q}${mask(kind)}${q}` : `${head}${mask(kind)}`;
  });

const xml: Rule = (text, hit) =>
  text
    .replace(XML_ELEMENT, (all, tag: string, attrs: string | undefined, pre: string, value: string, post: string) => {
      if (!secretValue(tag, value, true)) return all;
      hit(kindOf(tag));
      return `<${tag}${attrs ?? ''}>${pre}${mask(kindOf(tag))}${post}</${tag}>`;
    })
    .replace(XML_ATTR, (all, head: string, key: string, q: string, value: string) => {
      if (!secretValue(key, value, true)) return all;
      hit(kindOf(key));
      return `${head}${q}${mask(kindOf(key))}${q}`;
    });

const yamlBlocks: Rule = (text, hit) =>
  text.replace(YAML_BLOCK, (all, head: string, key: string, ind: string, value: string) => {
    if (!secretValue(key, value.trim(), true)) return all;
    hit(kindOf(key));
    return `${head}${ind}${mask(kindOf(key))}`;
  });

const cliFlags: Rule = (text, hit) =>
  text.replace(CLI_FLAG, (all, head: string, key: string, q: string, value: string) => {
    if (!secretValue(key, value, q !== '')) return all;
    hit(kindOf(key));
    return `${head}${q}${mask(kindOf(key))}${q}`;
  });

export const KEY_VALUE_RULES: Rule[] = [yamlBlocks, xml, cliFlags, assignments];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A bare random-looking token with no key beside it (a token pasted into a log line): 20+ characters of a
 * token alphabet with upper case, lower case and digits, and high entropy. Hex ids (commits, traces, digests),
 * UUIDs, dotted names and paths are left: they are what on-call text is full of, and rarely secret.
 */
export const highEntropy: Rule = (text, hit) =>
  text.replace(/(?<![\w+/.~-])[A-Za-z0-9+/_~.-]{20,}={0,3}(?![\w+/=.~-])/g, (m) => {
    const core = m.replace(/=+$/, '');
    if (!/[A-Z]/.test(core) || !/[a-z]/.test(core) || !/\d/.test(core)) return m;
    if (UUID.test(core) || /^[0-9a-f-]+$/i.test(core) || core.startsWith('[')) return m;
    // A path, a host or a dotted name: some part between separators is a plain lower-case word.
    if (/[./]/.test(core) && core.split(/[./:_-]/).some((p) => /^[a-z]{3,}$/.test(p))) return m;
    if (/^[A-Za-z]+(?:[-_][A-Za-z]+)*[-_]?\d*$/.test(core)) return m;
    const threshold = core.length >= 32 ? 3.6 : 3.9;
    if (entropy(core) < threshold) return m;
    hit('high-entropy');
    return mask('high-entropy');
  });
