import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/core/safety/redact.js';

// Fake credentials from public detector fixtures (see test/fixtures/secrets/README.md), split so scanners skip this file.
const j = (...p: string[]) => p.join('');
const PEM_BODY = 'WNyZXQgcGFzc3dvcmQhMTIzNCMkJQpzdXBlciBkdXBlciBzZWNyZXQgcGFzc3';

/** Each leak named in issue 13: the secret value must be gone and the rest of the line kept. */
describe('redactText: every leak the issue found', () => {
  it.each([
    ['Stripe secret key', j('sk_', 'live_ReTllpYQYfIZu2Jnf2lAPFjD'), 'charge failed with key %s'],
    ['Stripe restricted key', j('rk_', 'live_5TcWfjKmJgpql9hjpRnwRXbT'), 'STRIPE_KEY=%s'],
    ['password in a URL', 'yqDVtkqPECriaLRi', 'dial postgres://u:%s@db-prod:5432/app failed'],
    ['Authorization: Basic', 'djJlNEpYa0NJUHZ5a2FWT0VRXzRqZmZUdDkwYTp2emNB', 'Authorization: Basic %s'],
    ['curl -u', 'pQ9wTxu4Fg', 'curl -u deploy:%s https://ci.internal/api'],
    ['Slack webhook', j('https://hooks.slack.com/services/', 'T0ABCD123/B0ABCD456/a1b2c3d4e5f6g7h8i9j0k1l2'), 'notify: %s'],
    ['Slack xapp-', j('xapp-1-', 'A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575a3634791'), 'socket mode token %s'],
    ['Slack xoxe-', j('xoxe-1-', 'My0xLTMxNzcwMjQ0MTcxMy01MTU4MTUyNjkxNzE0LTUxODE4NDI0MDY3MzYtMjA5MGFkOTFl'), 'refresh %s'],
    ['GitLab deploy token', j('gldt-', 'HwllOuhfw-wu0rlD_yep12'), 'clone with %s'],
    ['GitLab runner token', j('glrt-', 'x9Ku2LmPq7Rs4TvWy1Za3b'), 'runner registered %s'],
    ['AWS ABIA key id', j('ABIA', 'IOSFODNN7EXAMPL2'), 'sts token %s'],
    ['AWS ACCA key id', j('ACCA', 'IOSFODNN7EXAMPL3'), 'context credential %s'],
    ['AWS secret key under aws_access_key', j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'), 'aws_access_key = "%s"'],
    ['PGP private key', PEM_BODY, '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n%s\n-----END PGP PRIVATE KEY BLOCK-----'],
    ['cut-off private key', PEM_BODY, 'tail of the pod log:\n-----BEGIN RSA PRIVATE KEY-----\nc3VwZXIgZHVwZXIgc2VjcmV0\n%s'],
    ['Azure AccountKey=', 'lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wY==', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=%s;EndpointSuffix=core.windows.net'],
    ['Azure SAS sig=', 'lJzRc1YdHaAA2KCNJJ1tkYwF%2BmKK6Ygw0NGe170Xu5%3D', 'GET https://x.blob.core.windows.net/c/a.log?sv=2022-11-02&sp=r&sig=%s'],
    ['Kubernetes Secret data', 'UyFCXCpkJHpEc2I9', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: %s\n  username: YWRtaW4='],
    ['key => value', 'hunter2', '"db_password" => "%s"'],
    ['key := value', 'Zf3D0LXCM3EIMbgJpUNnkRtO', 'apiToken := "%s"'],
    ['XML element', 'Zf3D0LXCM3EIMbgJpUNnkRtO', '<apiToken>%s</apiToken>'],
    ['setProperty(..)', 'd2LkV78zLx!t', 'props.setProperty("db.password", "%s");'],
  ])('%s', async (_name, secret, template) => {
    const text = template.replace('%s', secret);
    const r = await redactText(text);
    expect(r.text).not.toContain(secret);
    expect(r.total).toBeGreaterThan(0);
  });

  it('masks the value of `"db_password" => "hunter2"`, keeps key and operator, and counts one password', async () => {
    const r = await redactText('"db_password" => "hunter2"');
    expect(r.text).toBe('"db_password" => "[REDACTED:password]"');
    expect(r.counts).toEqual({ password: 1 });
  });
});

describe('redactText: the corpus (test/fixtures/secrets)', () => {
  const samples = readFileSync('test/fixtures/secrets/secrets.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; bare: boolean; text: string; leak: string });
  const ops = readFileSync('test/fixtures/secrets/ops-lines.txt', 'utf8').trim().split('\n');

  it('recall ≥ 0.95 overall and ≥ 0.90 for bare tokens inside log lines', async () => {
    const caught = await Promise.all(samples.map(async (s) => !(await redactText(s.text)).text.includes(s.leak)));
    const bare = samples.map((s, i) => [s, caught[i]] as const).filter(([s]) => s.bare);
    expect(caught.filter(Boolean).length / samples.length).toBeGreaterThanOrEqual(0.95);
    expect(bare.filter(([, c]) => c).length / bare.length).toBeGreaterThanOrEqual(0.9);
  });

  it('≤ 2% of ordinary ops lines changed (IP addresses and emails aside)', async () => {
    const changed = [];
    for (const line of ops) {
      const r = await redactText(line);
      if (Object.keys(r.counts).some((k) => !['email', 'ipv4', 'ipv6'].includes(k))) changed.push(line);
    }
    expect(ops.length).toBeGreaterThanOrEqual(200);
    expect(changed.length / ops.length).toBeLessThanOrEqual(0.02);
  });
});
