import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnose/diagnose.js';
import { lineText, MAX_LINE_BYTES, readLineBatches } from '../../../src/core/logs/reader.js';
import { reduceSources } from '../../../src/core/logs/run.js';
import { logsTextFormat } from '../../../src/output/logs-text.js';

const dir = mkdtempSync(join(tmpdir(), 'opsctl-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

async function lines(name: string): Promise<{ text: string; dropped: number }[]> {
  const out: { text: string; dropped: number }[] = [];
  await readLineBatches(join(dir, name), { name }, (b) => {
    for (let i = 0; i < b.count; i++) out.push({ text: lineText(b, i), dropped: b.dropped[i] });
  });
  return out;
}

// A progress bar redrawn with carriage returns is one "line" of many KB; the kill lands at its end (issue 14: a
// SIGKILL at character 5,350 was cut away with everything past 4 KB).
function progress(bytes: number): string {
  const parts: string[] = [];
  for (let i = 0, n = 0; n < bytes; i++) {
    parts.push(`\rDownloading layer ${String(i % 100).padStart(3)}% ....`);
    n += parts[parts.length - 1].length;
  }
  return parts.join('').slice(0, bytes);
}
const kill = 'error: process didn\'t exit successfully: `target/release/build-script-build` (signal: 9, SIGKILL: kill)';

describe('over-long lines keep their failure words', () => {
  it('keeps the window around a failure word past 4 KB, still at most MAX_LINE_BYTES, counting what it dropped', async () => {
    const line = `${progress(5350)}${kill}`;
    expect(line.indexOf('SIGKILL')).toBeGreaterThan(5350);
    const [l, next] = await lines(file('one-read.log', `${line}\nnext line\n`));
    expect(l.text).toContain('SIGKILL: kill');
    expect(Buffer.byteLength(l.text)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(l.dropped).toBe(Buffer.byteLength(line) - Buffer.byteLength(l.text));
    expect(next.text).toBe('next line');
  });

  it('keeps the head when the failure word is in it, or when there is none', async () => {
    const [a, b] = await lines(file('head.log', `ERROR at start ${'x'.repeat(9000)}\n${'y'.repeat(9000)} done\n`));
    expect(a.text.startsWith('ERROR at start')).toBe(true);
    expect(b.text.startsWith('yyy')).toBe(true);
    expect(b.dropped).toBe(9005 - MAX_LINE_BYTES);
  });

  it('finds the failure word of a line that spans several reads (over 1 MB)', async () => {
    const line = `${progress(2_500_000)}${kill}`;
    const [, l, next] = await lines(file('spanning.log', `before\n${line}\nafter\n`));
    expect(l.text).toContain('SIGKILL: kill');
    expect(Buffer.byteLength(l.text)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(l.dropped).toBe(Buffer.byteLength(line) - Buffer.byteLength(l.text));
    expect(next.text).toBe('after');
  });

  it('diagnose quotes a kill that stands 5,350 characters into a line', async () => {
    const name = file('ci.log', ['##[group]Run cargo build --release', '   Compiling openssl-sys v0.9.93', `${progress(5350)}${kill}`, '##[error]Process completed with exit code 101.'].join('\n'));
    const d = await diagnose({ reduce: () => reduceSources({ files: [name], cwd: dir }, { budget: 4000, format: logsTextFormat }) });
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.root_cause).toContain('SIGKILL');
  });
});
