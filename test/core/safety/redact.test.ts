import { describe, expect, it } from 'vitest';
import { describeRedactions, isIpv6, isLoopbackUrl, redact, redactingLlm, redactMessages } from '../../../src/core/safety/redact.js';

// Fake credentials assembled at run time so secret scanners do not flag this file.
const ACCESS_KEY = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const SESSION_KEY = ['ASIA', 'XYZ23456', '7ABCDEFG'].join('');
const SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA7bq', 'c2VjcmV0', '-----END RSA PRIVATE KEY-----'].join('\n');
const GH = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

describe('redact: each kind', () => {
  it.each([
    ['aws-access-key', `key ${ACCESS_KEY} here`, 'key [REDACTED:aws-access-key] here'],
    ['aws-access-key (session)', `id=${SESSION_KEY}`, 'id=[REDACTED:aws-access-key]'],
    ['aws-secret-key', `aws_secret_access_key = ${SECRET}`, 'aws_secret_access_key = [REDACTED:aws-secret-key]'],
    ['aws-secret-key (JSON)', `"SecretAccessKey": "${SECRET}"`, '"SecretAccessKey": "[REDACTED:aws-secret-key]"'],
    ['bearer-token', 'curl -H "Authorization: Bearer abcdef123456789"', 'curl -H "Authorization: Bearer [REDACTED:bearer-token]"'],
    ['api-token (shape)', `use ${GH} for the API`, 'use [REDACTED:api-token] for the API'],
    ['api-token (key)', 'api_key: 8f7d6e5c4b3a2910', 'api_key: [REDACTED:api-token]'],
    ['password (env)', 'export DB_PASSWORD=hunter2', 'export DB_PASSWORD=[REDACTED:password]'],
    ['password (quoted)', 'password: "s3 cr3t!"', 'password: "[REDACTED:password]"'],
    ['secret (yaml)', 'client_secret: abc123', 'client_secret: [REDACTED:password]'],
    ['private-key', `key:\n${PEM}\ndone`, 'key:\n[REDACTED:private-key]\ndone'],
    ['jwt', `token ${JWT}`, 'token [REDACTED:jwt]'],
    ['email', 'page oncall@example.com now', 'page [REDACTED:email] now'],
    ['ipv4', 'ssh ec2-user@10.0.12.7', 'ssh ec2-user@[REDACTED:ipv4]'],
    ['ipv4 (CIDR keeps prefix length)', 'allow 10.0.0.0/16', 'allow [REDACTED:ipv4]/16'],
    ['ipv6', 'ping 2001:db8::8a2e:370:7334 now', 'ping [REDACTED:ipv6] now'],
    ['ipv6 (full form)', 'addr fe80:0:0:0:202:b3ff:fe1e:8329', 'addr [REDACTED:ipv6]'],
  ])('%s', (_kind, input, want) => {
    const r = redact(input);
    expect(r.text).toBe(want);
    expect(r.total).toBe(1);
  });
});

describe('redact: no false positives on ordinary runbook text', () => {
  it.each([
    ['three-part version', 'Upgrade the agent to 1.2.3 or 10.4.17.'],
    ['four-part version after v / version', 'Pin v1.2.3.4, or version 10.0.19041.1, release 2.4.0.12'],
    ['not an address', 'octets above 255 like 192.168.1.300 are not IPs'],
    ['loopback and any-address', 'curl http://127.0.0.1:8080/health; bind 0.0.0.0; ::1'],
    ['times and C++ scopes', 'at 12:30:45 call std::string and a::b'],
    ['MAC address', 'nic 00:1A:2B:3C:4D:5E'],
    ['placeholders', 'password=$DB_PASSWORD password: <your-password> secret: ${SECRET} token: {{ token }}'],
    ['short token-ish values', 'max_tokens=1000 and token: yes'],
    ['prose', 'Roll back the api service with aws ecs update-service --force-new-deployment, then watch the 5xx rate.'],
  ])('%s', (_name, input) => {
    const r = redact(input);
    expect(r.text).toBe(input);
    expect(r.total).toBe(0);
  });

  it('masks a bare dotted quad such as 1.2.3.4 (a valid address; documented choice)', () => {
    expect(redact('upgrade to 1.2.3.4').text).toBe('upgrade to [REDACTED:ipv4]');
  });
});

describe('redact: options and counts', () => {
  const text = `key ${ACCESS_KEY}, mail a@b.io and c@d.io from 10.1.2.3`;

  it('counts each kind', () => {
    const r = redact(text);
    expect(r.counts).toEqual({ 'aws-access-key': 1, email: 2, ipv4: 1 });
    expect(r.total).toBe(4);
    expect(describeRedactions(r.counts)).toBe('1 aws-access-key, 2 email, 1 ipv4');
  });

  it('says "nothing" when nothing was masked', () => {
    expect(describeRedactions(redact('hello').counts)).toBe('nothing');
  });

  it('redacts every message and sums counts', async () => {
    const r = await redactMessages([
      { role: 'system', content: 'rules' },
      { role: 'user', content: `ip 10.9.8.7 and ${ACCESS_KEY}` },
      { role: 'user', content: 'ip 10.9.8.6' },
    ]);
    expect(r.messages[0].content).toBe('rules');
    expect(r.messages[1].content).toBe('ip [REDACTED:ipv4] and [REDACTED:aws-access-key]');
    expect(r.counts).toEqual({ ipv4: 2, 'aws-access-key': 1 });
    expect(r.total).toBe(3);
  });
});

describe('isIpv6', () => {
  it.each([
    ['2001:db8::1', true],
    ['::ffff:10.0.0.1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3', false],
    ['1::2::3', false],
    ['12345::1', false],
  ])('%s -> %s', (s, want) => expect(isIpv6(s)).toBe(want));
});

describe('redactingLlm', () => {
  it('masks every message before the inner client sees it, for complete and stream, and reports counts', async () => {
    const seen: string[] = [];
    const inner = {
      id: 'cloud',
      complete: async (req: { messages: Array<{ content: string }> }) => (seen.push(req.messages.map((m) => m.content).join('|')), 'ok'),
      async *stream(req: { messages: Array<{ content: string }> }) {
        seen.push(req.messages.map((m) => m.content).join('|'));
        yield 'ok';
      },
    };
    const reports: number[] = [];
    const llm = redactingLlm(inner, { onRedact: (_c, total) => reports.push(total) });
    const messages = [{ role: 'user' as const, content: `ip 10.2.3.4 key ${ACCESS_KEY}` }];
    expect(llm.id).toBe('cloud');
    expect(await llm.complete({ messages })).toBe('ok');
    for await (const _d of llm.stream({ messages })) void _d;
    expect(seen).toEqual(['ip [REDACTED:ipv4] key [REDACTED:aws-access-key]', 'ip [REDACTED:ipv4] key [REDACTED:aws-access-key]']);
    expect(reports).toEqual([2, 2]);
    expect(messages[0].content).toContain(ACCESS_KEY); // the caller's request is not mutated
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:11434', true],
    ['http://localhost:11434', true],
    ['http://[::1]:11434', true],
    ['127.0.0.2:11434', true],
    ['http://gpu-box.internal:11434', false],
    ['https://10.0.0.5', false],
    ['http://remote\\@localhost:11434', false],
    ['http://user:pw@localhost.evil.example', false],
    ['http://127.0.0.1.nip.io', false],
  ])('%s -> %s', (url, want) => expect(isLoopbackUrl(url)).toBe(want));
});
