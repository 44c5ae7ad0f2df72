import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/errors.js';
import type { DiagnoseJsonV1 } from '../../src/output/diagnose-json.js';
import { BUNDLED_RUNBOOKS, runOpsctl, tempDirs } from '../helpers/cli.js';

const dirs = tempDirs('opsctl-diagnose-baseline-');
let cwd = '';

beforeAll(async () => {
  cwd = await dirs.withCopy(BUNDLED_RUNBOOKS);
  const routine = Array.from({ length: 300 }, (_, i) => `2024-05-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z WARN cache miss ratio high on shard ${i % 7}`);
  writeFileSync(join(cwd, 'good.log'), `${routine.join('\n')}\n`);
  writeFileSync(join(cwd, 'bad.log'), `${routine.join('\n')}\n2024-05-01T10:05:01Z ERROR java.lang.OutOfMemoryError: Java heap space\n`);
}, 60_000);
afterAll(() => dirs.cleanup());

describe('diagnose shares the logs reduce input flags', () => {
  it('takes --baseline and --tokenizer and keeps the new failure line as evidence', async () => {
    const r = await runOpsctl(['diagnose', 'bad.log', '--baseline', 'good.log', '--tokenizer', 'cl100k', '--json'], { cwd });
    expect(r.code).not.toBe(EXIT.USAGE);
    const doc = JSON.parse(r.stdout) as DiagnoseJsonV1;
    expect(JSON.stringify(doc)).toContain('java.lang.OutOfMemoryError: Java heap space');
  });

  it('refuses an unknown tokenizer with a usage error', async () => {
    const r = await runOpsctl(['diagnose', 'bad.log', '--tokenizer', 'gpt2'], { cwd });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--tokenizer must be one of/);
  });
});
