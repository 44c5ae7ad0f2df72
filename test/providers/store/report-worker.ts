// A separate process that reports failures into a store once a barrier file appears, so two of them race.
// Usage: node --import tsx report-worker.ts <sqlite-path|postgres-url> <barrier-file> <tag>
import { existsSync, writeFileSync } from 'node:fs';
import { reportIncident } from '../../../src/core/incidents/report.js';
import { PostgresIncidentStore } from '../../../src/providers/store/postgres.js';
import { SqliteIncidentStore } from '../../../src/providers/store/sqlite.js';
import { RACE_FAILURES } from './race-failures.js';

const [target, barrier, tag] = process.argv.slice(2);
const store = target.startsWith('postgres://') ? await PostgresIncidentStore.open(target) : SqliteIncidentStore.open(target);
writeFileSync(`${barrier}.${tag}.ready`, '');
while (!existsSync(barrier)) await new Promise((r) => setTimeout(r, 2));
const statuses: string[] = [];
for (const f of RACE_FAILURES) {
  const r = await reportIncident(store, { service: 'race-svc', text: f.replace('{n}', String(process.pid)), source: 'log', who: tag, at: new Date() });
  statuses.push(r.status);
}
await store.close();
process.stdout.write(JSON.stringify(statuses));
