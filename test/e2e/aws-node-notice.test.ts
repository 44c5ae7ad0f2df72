import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededMoto } from '../core/rollback/moto-seed.js';
import { hasMoto, type Moto } from '../helpers/moto.js';
import { tempDirs } from '../helpers/cli.js';

// Issue 16: every AWS command on Node 20 printed the SDK's 9-line version notice; `.ci/run` hid it, users saw it.
const tmp = tempDirs('opsctl-notice-');
let moto: Moto | undefined;
let home = '';
beforeAll(async () => {
  if (hasMoto) moto = await startSeededMoto();
  home = await tmp.make();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
  await tmp.cleanup();
});

function rollbackPlan(extra: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, ...moto!.env, HOME: home, OPSCTL_AUDIT_FILE: resolve(home, 'audit.jsonl'), ...extra };
  if (!('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED' in extra)) delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return spawnSync(process.execPath, [resolve('bin/opsctl.js'), 'rollback', '--cluster', 'prod', '--service', 'web-api', '--dry-run', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!hasMoto)('the AWS SDK Node-version notice', () => {
  it('is silenced by opsctl itself (no variable set by the caller)', () => {
    const r = rollbackPlan({});
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
  });

  it('still follows a user who set the variable (so the silence above is opsctl\'s doing)', () => {
    const r = rollbackPlan({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    expect(r.status).toBe(0);
    // The SDK only warns below its supported Node major; on newer Node there is nothing to silence.
    if (Number(process.versions.node.split('.')[0]) < 22) expect(r.stderr).toMatch(/NodeVersionSupportWarning/);
  });
});
