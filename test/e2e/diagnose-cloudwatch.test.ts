import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/errors.js';
import type { DiagnoseJsonV1 } from '../../src/output/diagnose-json.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';
import { putLogGroup, requestEvents } from '../helpers/log-groups.js';
import { hasMoto, startMoto, useEnv, type Moto } from '../helpers/moto.js';

if (!hasMoto) console.warn('diagnose --log-group tests skipped: python3 -m moto is not installed');

const dirs = tempDirs('opsctl-diagnose-cw-');
let moto: Moto | undefined;
let restore: (() => void) | undefined;
let cwd = '';

beforeAll(async () => {
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
  if (!hasMoto) return;
  moto = await startMoto();
  restore = useEnv(moto.env);
  const events = requestEvents(300);
  events[200] = { timestamp: events[200].timestamp, message: 'ERROR db pool: connect ECONNREFUSED 10.0.3.7:5432' };
  events[201] = { timestamp: events[201].timestamp, message: 'ERROR GET /api/orders/201 503 service unavailable' };
  await putLogGroup('/ecs/web-api', 'web/1', events);
  // A quiet group: nothing failed there.
  await putLogGroup('/ecs/quiet', 'q/1', events.slice(0, 50).map((e, i) => ({ ...e, message: `INFO tick ${i}` })));
}, 60_000);

afterAll(async () => {
  restore?.();
  await moto?.stop();
  await dirs.cleanup();
});

describe('diagnose --log-group (moto)', () => {
  it.skipIf(!hasMoto)('reads the group, names a network failure and quotes the event line', async () => {
    const r = await runOpsctl(['diagnose', '--log-group', '/ecs/web-api', '--since', '1h', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(doc.category).toBe('network');
    expect(doc.reduced.inputLines).toBe(300);
    const ev = doc.evidence.find((e) => /ECONNREFUSED 10\.0\.3\.7:5432/.test(e.text));
    expect(ev).toMatchObject({ source: '/ecs/web-api', lines: '201-201' });
  });

  it.skipIf(!hasMoto)('exits 3 on a group with nothing wrong, and 8 on a group that does not exist', async () => {
    expect((await runOpsctl(['diagnose', '--log-group', '/ecs/quiet', '--since', '1h'], { cwd })).code).toBe(EXIT.NO_MATCH);
    const missing = await runOpsctl(['diagnose', '--log-group', '/ecs/nope'], { cwd });
    expect(missing.code).toBe(EXIT.AWS);
    expect(missing.stderr).toMatch(/log group \/ecs\/nope not found/);
  });
});
