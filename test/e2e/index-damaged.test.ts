import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealJson, unsealJson } from '../../src/core/runbooks/checksum.js';
import { MINI_RUNBOOKS, runOpsctl, tempDirs, type CliResult } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-damaged-');
afterAll(() => tmp.cleanup());

const QUESTION = 'redis evictions memory pressure';

/** Every file of the index dir with a hash of its content: proves a failed command changed nothing. */
function snapshot(indexDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(indexDir, { recursive: true }).map(String)) {
    const p = join(indexDir, rel);
    try {
      out[rel] = createHash('sha1').update(readFileSync(p)).digest('hex');
    } catch {
      out[rel] = 'dir';
    }
  }
  return out;
}

function expectIndexError(r: CliResult, message: RegExp, hint = /--rebuild/): void {
  expect(r.code).toBe(5);
  const [first, second, ...rest] = r.stderr.trimEnd().split('\n');
  expect(first).toMatch(message);
  expect(second).toMatch(/^ {2}hint: /);
  expect(second).toMatch(hint);
  expect(rest).toEqual([]);
}

async function built(): Promise<{ cwd: string; indexDir: string; gen: string }> {
  const cwd = await tmp.withCopy(MINI_RUNBOOKS);
  expect((await runOpsctl(['index'], { cwd })).code).toBe(0);
  const indexDir = join(cwd, '.opsctl');
  return { cwd, indexDir, gen: join(indexDir, readFileSync(join(indexDir, 'CURRENT'), 'utf8').trim()) };
}

const halve = (p: string) => {
  const b = readFileSync(p);
  writeFileSync(p, b.subarray(0, Math.floor(b.length / 2)));
};

describe('a damaged index is reported, never used and never replaced by a broken one', () => {
  it.each([
    ['sections.json', (gen: string) => halve(join(gen, 'sections.json'))],
    ['lexical.json', (gen: string) => halve(join(gen, 'lexical.json'))],
    ['lexical.bin', (gen: string) => halve(join(gen, 'lexical.bin'))],
    ['texts.bin', (gen: string) => halve(join(gen, 'texts.bin'))],
    ['sections.bin', (gen: string) => halve(join(gen, 'sections.bin'))],
    ['manifest.json', (gen: string) => halve(join(gen, 'manifest.json'))],
    ['vectors.hnsw', (gen: string) => halve(join(gen, 'vectors.hnsw'))],
    ['lsa.bin', (gen: string) => halve(join(gen, 'lsa.bin'))],
    ['files.bin', (gen: string) => halve(join(gen, 'files.bin'))],
    ['CURRENT', (gen: string) => writeFileSync(join(gen, '..', 'CURRENT'), 'gen-\u0000garbage')],
  ])('truncated %s → INDEX 5 with a --rebuild hint; --rebuild repairs it', async (_file, damage) => {
    const { cwd, indexDir, gen } = await built();
    damage(gen);
    const before = snapshot(indexDir);

    expectIndexError(await runOpsctl(['ask', QUESTION], { cwd }), /^opsctl: the index in .*\.opsctl is damaged/);
    // A changed runbook makes `index` read the old generation to update it incrementally: refused too.
    appendFileSync(join(cwd, 'runbooks', 'cron-job-missed.md'), '\nAlso check the systemd timer.\n');
    expectIndexError(await runOpsctl(['index'], { cwd }), /^opsctl: the index in .*\.opsctl is damaged/);
    expect(snapshot(indexDir)).toEqual(before);

    expect((await runOpsctl(['index', '--rebuild'], { cwd })).code).toBe(0);
    const r = await runOpsctl(['ask', QUESTION, '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hits[0].file).toBe('runbooks/redis-memory-eviction.md');
  });

  // Same-size damage, as issue 17 found it: files.bin → "no runbook covers this" (exit 3), texts.bin → garbled text
  // printed (exit 0), sections.bin → relevance 2.3e+36, lexical.bin → TypeError (exit 1). Now each is exit 5.
  it.each(['files.bin', 'texts.bin', 'sections.bin', 'lexical.bin', 'lsa.bin', 'sections.json', 'manifest.json'])('bytes flipped in %s (same size) → INDEX 5 with a --rebuild hint', async (file) => {
    const { cwd, gen } = await built();
    const path = join(gen, file);
    const b = readFileSync(path);
    for (const at of [0.3, 0.5, 0.7].map((f) => Math.floor(b.length * f))) b[at] ^= 0x5a;
    writeFileSync(path, b);
    expectIndexError(await runOpsctl(['ask', QUESTION, '--json'], { cwd }), new RegExp(`^opsctl: the index in .*\\.opsctl is damaged \\(${file.replace('.', '\\.')} fails its checksum\\)$`));
  });

  it('an index from another format version → INDEX 5 with a --rebuild hint', async () => {
    const { cwd, indexDir, gen } = await built();
    const manifest = JSON.parse(readFileSync(join(gen, 'manifest.json'), 'utf8'));
    writeFileSync(join(gen, 'manifest.json'), JSON.stringify({ ...manifest, format: 99 }));
    const before = snapshot(indexDir);
    expectIndexError(await runOpsctl(['ask', QUESTION], { cwd }), /built by another opsctl version \(format 99/);
    expectIndexError(await runOpsctl(['index'], { cwd }), /built by another opsctl version/);
    expect(snapshot(indexDir)).toEqual(before);
    expect((await runOpsctl(['index', '--rebuild'], { cwd })).code).toBe(0);
    expect((await runOpsctl(['ask', QUESTION], { cwd })).code).toBe(0);
  });

  it('an index built by another embedder → INDEX 5 with a --rebuild hint', async () => {
    const { cwd, indexDir, gen } = await built();
    // A well-formed manifest (its own checksum right) of another embedder: refused for what it is, not as damage.
    const manifest = unsealJson(readFileSync(join(gen, 'manifest.json')))!;
    writeFileSync(join(gen, 'manifest.json'), sealJson({ ...manifest, embedder: 'ollama:nomic-embed-text', dimension: 768 }));
    const before = snapshot(indexDir);
    expectIndexError(await runOpsctl(['ask', QUESTION], { cwd }), /built with embedder ollama:nomic-embed-text/);
    expectIndexError(await runOpsctl(['index'], { cwd }), /built with embedder ollama:nomic-embed-text/);
    expect(snapshot(indexDir)).toEqual(before);
  });
});

describe('writers', () => {
  it('a second index run while another holds the lock → INDEX 5 locked (ask answers from the last good index), nothing written', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const indexDir = join(cwd, '.opsctl');
    await runOpsctl(['index'], { cwd });
    appendFileSync(join(cwd, 'runbooks', 'cron-job-missed.md'), '\nAlso check the systemd timer.\n');
    // The parent of this test process is alive and is not us: exactly a concurrent opsctl.
    writeFileSync(join(indexDir, 'lock'), JSON.stringify({ pid: process.ppid, since: new Date().toISOString() }));
    const before = snapshot(indexDir);
    expectIndexError(await runOpsctl(['index'], { cwd }), new RegExp(`another opsctl \\(pid ${process.ppid}\\) is updating the index`), /wait for it to finish/);
    // ask still answers, from the last good index, with one warning line (test/e2e/index-fallback.test.ts).
    const asked = await runOpsctl(['ask', QUESTION], { cwd });
    expect(asked.code).toBe(0);
    expect(asked.stderr).toMatch(/^opsctl: warning: answering from the last good index .*is updating the index/);
    expect(snapshot(indexDir)).toEqual(before);
  });

  it('a lock left by a dead process is taken over and released', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const indexDir = join(cwd, '.opsctl');
    await runOpsctl(['index'], { cwd });
    appendFileSync(join(cwd, 'runbooks', 'cron-job-missed.md'), '\nAlso check the systemd timer.\n');
    writeFileSync(join(indexDir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, since: '2020-01-01T00:00:00Z' }));
    const r = await runOpsctl(['index', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changed).toEqual(['cron-job-missed.md']);
    expect(existsSync(join(indexDir, 'lock'))).toBe(false);
  });

  it('Ctrl-C during indexing → exit 130, previous index and no lock left', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const indexDir = join(cwd, '.opsctl');
    await runOpsctl(['index'], { cwd });
    appendFileSync(join(cwd, 'runbooks', 'cron-job-missed.md'), '\nAlso check the systemd timer.\n');
    const before = snapshot(indexDir);
    const ctl = new AbortController();
    ctl.abort(new Error('interrupted'));
    const r = await runOpsctl(['index'], { cwd, signal: ctl.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^opsctl: indexing interrupted; the previous index is unchanged\n/);
    expect(snapshot(indexDir)).toEqual(before);
  });
});

describe('ask: usage errors', () => {
  it.each([
    [[], /ask needs a question or --alarm NAME/],
    [['x', '--top', '0'], /--top must be a whole number/],
    [['x', '--top', 'many'], /topK must be a number/],
    [['x', '--top', '2.5'], /--top must be a whole number/],
    [['x', '--min-score', '1.5'], /--min-score must be between 0 and 1/],
  ])('ask %j → USAGE 2', async (args, message) => {
    const cwd = await tmp.make();
    const r = await runOpsctl(['ask', ...args], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
