import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import { makeIo, MINI_RUNBOOKS, runOpsctl, tempDirs, type CliResult } from '../helpers/cli.js';

const tmp = tempDirs('opsctl-bad-');
afterAll(() => tmp.cleanup());

/** A failure: exit code, exactly one "opsctl: …" line, and a hint line. */
function expectFailure(r: CliResult, code: number, message: RegExp, hint?: RegExp): void {
  expect(r.code).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^opsctl: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  if (hint) expect(lines[1]).toMatch(hint);
  expect(lines).toHaveLength(2);
  expect(r.stdout).toBe('');
}

describe('index: bad runbooks directories', () => {
  it('missing directory → INPUT 4 with a hint', async () => {
    const cwd = await tmp.make();
    expectFailure(await runOpsctl(['index', 'nope'], { cwd }), 4, /runbooks directory not found: .*nope/, /opsctl index <dir>/);
  });

  it('ask without runbooks where it looks → INPUT 4 with a --runbooks hint', async () => {
    const cwd = await tmp.make();
    expectFailure(await runOpsctl(['ask', 'disk full'], { cwd }), 4, /runbooks directory not found: .*runbooks$/, /opsctl ask --runbooks <dir>/);
  });

  it('empty directory → INPUT 4', async () => {
    const cwd = await tmp.make();
    mkdirSync(join(cwd, 'runbooks'));
    expectFailure(await runOpsctl(['index'], { cwd }), 4, /no Markdown runbooks found/, /add \.md files/);
  });

  it('a file instead of a directory → INPUT 4', async () => {
    const cwd = await tmp.make();
    writeFileSync(join(cwd, 'one.md'), '# One\n\ntext\n');
    expectFailure(await runOpsctl(['index', 'one.md'], { cwd }), 4, /not a directory/);
  });

  it('only unusable files → INPUT 4 that counts the skipped ones', async () => {
    const cwd = await tmp.make();
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(join(cwd, 'runbooks', 'blob.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    writeFileSync(join(cwd, 'runbooks', 'notes.txt'), 'not markdown');
    expectFailure(await runOpsctl(['index'], { cwd }), 4, /no Markdown runbooks found .*\(1 skipped\)/);
  });
});

describe('index: nasty files next to good ones', () => {
  it('skips binary, invalid UTF-8 and a 50 MB file with reasons, warns on broken front matter, indexes the rest', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    const dir = join(cwd, 'runbooks');
    writeFileSync(join(dir, 'diagram.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    writeFileSync(join(dir, 'binary.md'), Buffer.concat([Buffer.from('# looks like markdown\n'), Buffer.alloc(64)]));
    writeFileSync(join(dir, 'latin1.md'), Buffer.from('# Caf\xe9\n\nr\xe9sum\xe9 of the outage\n', 'latin1'));
    writeFileSync(join(dir, 'broken-front-matter.md'), '---\ntitle: "unterminated\ntags: [a\n---\n\n# Broken front matter\n\n## Steps\n\nRestart the frobnicator service.\n');
    writeFileSync(join(dir, 'windows.md'), '\uFEFF# Windows line endings\r\n\r\n## Fix\r\n\r\nRun the quux cleanup job.\r\n');
    writeFileSync(join(dir, 'empty.md'), '');
    writeHuge(join(dir, 'huge-log.md'), 50);

    const r = await runOpsctl(['index', '--json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { files: number; skipped: Array<{ path: string; reason: string }>; warnings: Array<{ file: string; message: string }>; added: string[] };
    const reasons = Object.fromEntries(json.skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['binary.md', 'huge-log.md', 'latin1.md']);
    expect(reasons['binary.md']).toMatch(/binary/);
    expect(reasons['latin1.md']).toMatch(/invalid UTF-8/);
    expect(reasons['huge-log.md']).toMatch(/too large \(50\.0 MB > 1 MB\)/);
    expect(json.warnings).toEqual([{ file: 'broken-front-matter.md', message: expect.stringMatching(/front matter is not valid YAML/) }]);
    expect(json.added).toContain('broken-front-matter.md');
    expect(json.added).not.toContain('diagram.png');
    expect(json.files).toBe(6 + 3); // the mini corpus, broken front matter, windows, empty

    // The content of the good and the warned files is searchable, with CRLF/BOM line numbers intact.
    const a = await runOpsctl(['ask', 'quux cleanup job', '--json'], { cwd });
    const hit = (JSON.parse(a.stdout) as { hits: Array<{ file: string; startLine: number; endLine: number }> }).hits[0];
    expect(hit).toMatchObject({ file: 'runbooks/windows.md', startLine: 3, endLine: 5 });
    const b = await runOpsctl(['ask', 'restart the frobnicator', '--json'], { cwd });
    expect((JSON.parse(b.stdout) as { hits: Array<{ file: string }> }).hits[0].file).toBe('runbooks/broken-front-matter.md');
  });

  it('prints one summary line with the skipped files and warnings in text mode', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    writeFileSync(join(cwd, 'runbooks', 'latin1.md'), Buffer.from('caf\xe9\n', 'latin1'));
    const r = await runOpsctl(['index'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^indexed 6 files, \d+ sections \(6 added, 0 changed, 0 removed, \d+ sections embedded\), 1 skipped, \d+ ms → .*\.opsctl \[lsa-\d+\]$/);
    expect(lines.slice(1)).toEqual(['  skipped latin1.md: invalid UTF-8; save the file as UTF-8']);
    expect(r.stderr).not.toContain('\x1b');
  });
});

/** A real Markdown file of `mb` megabytes, written in 1 MB blocks (no 50 MB string in memory). */
function writeHuge(path: string, mb: number): void {
  const block = Buffer.from(`## Log line\n\n${'ERROR upstream timed out while reading response header\n'.repeat(20_000)}`.slice(0, 1 << 20));
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < mb; i++) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

describe('index on a terminal', () => {
  it('draws a progress bar on stderr and clears it before an error line', async () => {
    const cwd = await tmp.withCopy(MINI_RUNBOOKS);
    expect((await runOpsctl(['index'], { cwd })).code).toBe(0);
    const gen = readFileSync(join(cwd, '.opsctl', 'CURRENT'), 'utf8').trim();
    writeFileSync(join(cwd, '.opsctl', gen, 'vectors.hnsw'), 'garbage');
    writeFileSync(join(cwd, 'runbooks', 'cron-job-missed.md'), '# Cron\n\n## Fix\n\nRestart crond.\n');
    const { io, stderr } = makeIo({ cwd });
    io.stderr.isTTY = true;
    const code = await runCli(['index'], defaultDeps(), io);
    expect(code).toBe(5);
    expect(stderr()).toMatch(/^\rindexing \[ +\] 0\/6 files/);
    // The bar is erased (carriage return, clear line) and the error starts on a clean line.
    expect(stderr()).toContain('] 6/6 files\r\x1b[Kopsctl: the index in ');
  });
});
