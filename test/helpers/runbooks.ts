import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `count` small, distinct, valid runbooks into `dir` (a corpus big enough to take a moment to index). */
export function generateRunbooks(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  const topics = ['disk', 'memory', 'queue', 'cache', 'dns', 'tls', 'deploy', 'database', 'network', 'cpu'];
  for (let i = 0; i < count; i++) {
    const t = topics[i % topics.length];
    const body = [
      `# Runbook ${i}: ${t} trouble on service-${i}`,
      '',
      '## Detection',
      '',
      `The ${t} alarm for service-${i} fires when the ${t} metric stays high for ten minutes.`,
      '',
      '## Remediation',
      '',
      `1. Check the ${t} dashboard of service-${i}.`,
      `2. Restart worker-${i} if the ${t} graph is flat.`,
      '',
      '```bash',
      `kubectl -n svc-${i} rollout restart deploy/worker-${i}`,
      '```',
      '',
    ];
    writeFileSync(join(dir, `runbook-${String(i).padStart(4, '0')}.md`), body.join('\n'));
  }
}
