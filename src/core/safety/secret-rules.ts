/**
 * Our own secret rules: what the maintained detector set (secretlint's recommended preset, see redact.ts) does not
 * cover, or covers only in whole files and not inside a log line. Each rule masks the secret VALUE and says so
 * through `hit(kind)`; keys, operators, quotes and the rest of the line stay, so the model still reads
 * "the DB password was set" and a command keeps its shape.
 */
export type RedactionKind =
  | 'private-key'
  | 'jwt'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'bearer-token'
  | 'basic-auth'
  | 'url-credentials'
  | 'api-token'
  | 'webhook'
  | 'cloud-key'
  | 'k8s-secret'
  | 'password'
  | 'high-entropy'
  | 'email'
  | 'ipv6'
  | 'ipv4';

export type Hit = (kind: RedactionKind) => void;
export type Rule = (text: string, hit: Hit) => string;

export const mask = (k: RedactionKind) => `[REDACTED:${k}]`;

/**
 * A value that is a reference, not a secret: `$VAR`, `${VAR}`, `<placeholder>`, `{{ template }}`, `%VAR%`, `***`,
 * `xxxx`, `[PASSWORD]`, or something already masked. Runbooks are full of these, and masking them would break the
 * commands the LLM is asked to quote.
 */
export function isPlaceholder(v: string): boolean {
  const s = v.trim();
  if (s === '' || /^(\$|<|\{\{|\*{3,}|\[|%\w+%$|\$\()/.test(s)) return true;
  if (/^(x+|\.{3,}|…|null|none|nil|true|false|yes|no|on|off|undefined|changeme|required|optional|string|password|secret|token)$/i.test(s)) return true;
  return /^(your|my|some|example|dummy|fake)[-_ ]?\w*$/i.test(s) && !/\d/.test(s);
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

const replaceAll = (re: RegExp, kind: RedactionKind, keep: (m: RegExpExecArray) => string | undefined = () => undefined): Rule =>
  (text, hit) =>
    text.replace(re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      const prefix = keep(m);
      hit(kind);
      return `${prefix ?? ''}${mask(kind)}`;
    });

/**
 * PEM and PGP private keys, also cut off (no END line: a log that was truncated, a paste that stopped): the block
 * runs from BEGIN to END, or over the base64 lines that follow BEGIN.
 */
const PRIVATE_BLOCK =
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|(?:[ \t]*(?:\r?\n|\\n)[ \t]*(?:[A-Za-z0-9+/=]{8,}|[\w-]+: .*|))*)/g;
const PUTTY = /PuTTY-User-Key-File-\d[^\n]*(?:\n(?!\s*$)[^\n]*){0,40}/g;

/** Well-known token shapes, anywhere in a line. Ordered most specific first; each is a whole token. */
const TOKEN_SHAPES: Array<[RedactionKind, RegExp]> = [
  ['aws-access-key', /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g],
  ['jwt', /\beyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]{8,}/g],
  ['webhook', /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{8,}/g],
  ['webhook', /https:\/\/(?:[\w-]+\.)?(?:discord(?:app)?\.com\/api\/webhooks|outlook\.office(?:365)?\.com\/webhook|[\w-]+\.webhook\.office\.com\/webhookb2)\/[\w@/+-]{8,}/g],
  [
    'api-token',
    new RegExp(
      [
        'xox[abposre]-[\\w-]{10,}', 'xoxe(?:\\.xox[bp])?-\\d-[\\w-]{20,}', 'xapp-\\d-[\\w-]{10,}',
        '(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\\w{30,})',
        'gl(?:pat|dt|soat|rt|ptt|ft|imt|oas|cbt|agent|wt)-[\\w-]{20,}', 'GR1348941[\\w-]{20,}',
        '(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{16,}', 'whsec_[A-Za-z0-9]{24,}',
        'sk-ant-(?:api|admin)\\d{2}-[\\w-]{40,}', 'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}',
        'AIza[\\w-]{35}', 'ya29\\.[\\w-]{20,}', 'SG\\.[\\w-]{16,}\\.[\\w-]{16,}', '(?:SK|AC)[0-9a-fA-Fx]{32}',
        'npm_[A-Za-z0-9]{36}', 'pypi-AgE[\\w-]{50,}', 'hv[sbr]\\.[\\w-]{20,}', 'dop_v1_[a-f0-9]{64}', 'do[or]_v1_[a-f0-9]{64}',
        'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', 'key-[0-9a-z]{32}', '[0-9a-f]{32}-us\\d{1,2}', 'sq0(?:atp|csp)-[\\w-]{22,}',
        'EAAA[\\w-]{60}', 'dapi[0-9a-f]{32}', 'hf_[A-Za-z]{34}', 'AGE-SECRET-KEY-1[0-9A-Z]{58}', 'AKCp[A-Za-z0-9]{69}',
        'gl(?:c|sa)_[A-Za-z0-9+/=_]{32,}', 'lin_api_[A-Za-z0-9]{40}', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,}',
        'pul-[a-f0-9]{40}', 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}', 'dt0[a-z]\\d{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}', 'NRAK-[A-Z0-9]{27}',
        'ATATT3[\\w=-]{50,}', 'ops_ey[\\w.-]{40,}', 'rubygems_[a-f0-9]{48}', 'fo1_[\\w-]{43}', 'FlyV1 fm\\d_[\\w+/=,-]{40,}',
        'v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}', '\\d{8,10}:AA[\\w-]{33}', 'gsk_[A-Za-z0-9]{52}', 'xai-[A-Za-z0-9]{80}',
        'LTAI[A-Za-z0-9]{20}', 'AKLT[\\w-]{40,}', 'CLOJARS_[a-z0-9]{60}', 'EZAK[a-z0-9]{54}', 'ntn_[A-Za-z0-9]{40,}', 'secret_[A-Za-z0-9]{43}',
      ]
        .map((p) => `(?<![\\w-])${p}(?![\\w])`)
        .join('|'),
      'g',
    ),
  ],
];

const tokenShapes: Rule = (text, hit) => TOKEN_SHAPES.reduce((t, [kind, re]) => replaceAll(re, kind)(t, hit), text);

/** `scheme://user:password@host`: the password goes, the user and host stay (they help the diagnosis). */
const urlCredentials: Rule = (text, hit) =>
  text.replace(/\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s:/@'"`]{1,128}):([^\s@/'"`]{1,256})@(?=[\w.[-])/gi, (all, scheme: string, user: string, pw: string) => {
    if (isPlaceholder(pw) || pw.startsWith('[REDACTED')) return all;
    hit('url-credentials');
    return `${scheme}${user}:${mask('url-credentials')}@`;
  });

/** `Authorization: Basic …` / `Bearer …` / `Token …` and API-key headers, in curl, HTTP dumps, logs and JSON. */
const authHeaders: Rule = (text, hit) =>
  text
    .replace(/\b(Basic)(\s+)([A-Za-z0-9+/]{6,}={0,3})(?![\w+/=])/g, (all, word: string, sp: string, v: string) => {
      if (isPlaceholder(v)) return all;
      hit('basic-auth');
      return `${word}${sp}${mask('basic-auth')}`;
    })
    .replace(/\b(Bearer|Token|Api-Token|token)(\s+)([\w~+/.=@-]{8,})/g, (all, word: string, sp: string, v: string) => {
      if (isPlaceholder(v) || v.startsWith('[REDACTED') || (word === 'token' && !/\d/.test(v))) return all;
      hit('bearer-token');
      return `${word}${sp}${mask('bearer-token')}`;
    })
    .replace(/\b((?:Proxy-)?Authorization["']?\s*[:=]\s*["']?)(?!Basic\b|Bearer\b|Token\b|Api-Token\b|Digest\b|\[REDACTED)([\w~+/.=@-]{8,})/gi, (all, k: string, v: string) => {
      if (isPlaceholder(v)) return all;
      hit('bearer-token');
      return `${k}${mask('bearer-token')}`;
    });

/** `curl -u user:password` / `--user 'user:password'` (also -p for mysql/psql-style `-pSECRET`). */
const curlUser: Rule = (text, hit) =>
  text
    .replace(/((?:^|\s)(?:-u|--user|--proxy-user)(?:=|\s+))(["']?)([^\s"':]*):(["']?)([^\s"']+)/g, (all, flag: string, q: string, user: string, q2: string, pw: string) => {
      if (isPlaceholder(pw) || /^\$/.test(user) || pw.startsWith('[REDACTED')) return all;
      hit('basic-auth');
      return `${flag}${q}${user}:${q2}${mask('basic-auth')}`;
    })
    .replace(/\b(mysql(?:dump|admin)?\b[^\n]*?\s-p)([^\s'"-][^\s'"]{3,})/g, (all, head: string, pw: string) => {
      if (isPlaceholder(pw)) return all;
      hit('password');
      return `${head}${mask('password')}`;
    });

/** Azure connection strings and SAS URLs: AccountKey=, SharedAccessKey=, sig=. */
const azure: Rule = (text, hit) =>
  text.replace(/\b((?:Account|SharedAccess|Primary|Secondary)Key\s*=\s*|[?&]sig=)([A-Za-z0-9+/%=]{16,})/gi, (_all, k: string) => {
    hit('cloud-key');
    return `${k}${mask('cloud-key')}`;
  });

/**
 * A Kubernetes Secret's `data:`/`stringData:` values (base64 or plain): inside a YAML document that says
 * `kind: Secret`, every `key: value` indented under data goes, the keys stay.
 */
const k8sSecret: Rule = (text, hit) => {
  if (!/\bkind:\s*["']?Secret["']?\s*$/im.test(text)) return text;
  // Log lines quoted with a `source:line: ` prefix (diagnose's prompt): judge the YAML without it, then put it back.
  const PREFIX = /^(?:[^\s:]+:\d+: |\d+[:|] )/;
  const lines = text.split('\n');
  if (lines.filter((l) => PREFIX.test(l)).length > lines.length / 2) {
    const prefixes = lines.map((l) => PREFIX.exec(l)?.[0] ?? '');
    const inner = k8sDocs(lines.map((l, i) => l.slice(prefixes[i].length)).join('\n'), hit).split('\n');
    return inner.map((l, i) => `${prefixes[i] ?? ''}${l}`).join('\n');
  }
  return k8sDocs(text, hit);
};

function k8sDocs(text: string, hit: Hit): string {
  return text
    .split(/^(?=---\s*$)/m)
    .map((doc) => {
      if (!/\bkind:\s*["']?Secret["']?\s*$/im.test(doc)) return doc;
      return doc.replace(/^([ \t]*)(data|stringData):[ \t]*\n((?:\1[ \t]+[^\n]*\n?|[ \t]*#[^\n]*\n?)+)/gm, (_all, ind: string, key: string, body: string) => {
        const masked = body.replace(/^([ \t]+[\w.-]+:[ \t]*)(?:([|>][-+]?)[ \t]*\n([ \t]+)([^\n]+)|(["']?)([^\s"'#][^\n]*?)\5[ \t]*$)/gm, (line, k: string, block?: string, bind?: string, bval?: string, q?: string, v?: string) => {
          if (block !== undefined) {
            hit('k8s-secret');
            return `${k}${block}\n${bind}${mask('k8s-secret')}`;
          }
          if (!v || isPlaceholder(v)) return line;
          hit('k8s-secret');
          return `${k}${q}${mask('k8s-secret')}${q}`;
        });
        return `${ind}${key}:\n${masked}`;
      });
    })
    .join('');
}

export const BLOCK_RULES: Array<[RedactionKind, Rule]> = [
  ['private-key', replaceAll(PRIVATE_BLOCK, 'private-key')],
  ['private-key', replaceAll(PUTTY, 'private-key')],
  ['k8s-secret', k8sSecret],
];

export const LINE_RULES: Rule[] = [tokenShapes, urlCredentials, authHeaders, curlUser, azure];
