import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnose/diagnose.js';
import { findStructure } from '../../../src/core/diagnose/structure.js';
import { OpsctlError } from '../../../src/core/errors.js';
import type { ReduceOutput } from '../../../src/core/logs/reduce.js';

/** A reduce that keeps every line (what reduce does when the log fits the budget). */
function whole(text: string): () => Promise<ReduceOutput> {
  const lines = text.split('\n').map((t, i) => ({ n: i + 1, text: t }));
  const doc = { budget: 4000, used: 100, inputLines: lines.length, inputTokens: 100, keptLines: lines.length, sources: [], blocks: [{ source: 'ci.log', score: 0.5, reason: 'all', lines }] };
  return async () => ({ doc, text: '' }) as unknown as ReduceOutput;
}
const run = (text: string) => diagnose({ reduce: whole(text) });

describe('diagnose: the cases of issues 14 and 17 (each failed before the failing-step work)', () => {
  it('a shell job-control kill (the OOM kill seen from bash) is a failure, oom, quoting the line', async () => {
    const d = await run(['starting server', 'listening on :8080', 'entrypoint.sh: line 12:  4242 Killed                  node server.js'].join('\n'));
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.category).toBe('oom');
    expect(d.root_cause).toContain('4242 Killed');
  });

  it('a segmentation fault with a core dump is a failure (infrastructure: the process crashed)', async () => {
    const d = await run(['running tests', './run.sh: line 3:  311 Segmentation fault      (core dumped) ./unit_tests'].join('\n'));
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.category).toBe('infrastructure');
  });

  it('Travis "exceeded the maximum time limit" is a timeout, not "no failure"', async () => {
    const d = await run(['   Compiling syn v0.15.22', 'The job exceeded the maximum time limit for jobs, and has been terminated.'].join('\n'));
    expect(d.category).toBe('timeout');
    expect(d.root_cause).toContain('maximum time limit');
  });

  it("Jenkins' echoed `# timeout=10` does not make a compile failure a timeout", async () => {
    const d = await run([
      ' > git fetch --tags --progress https://github.com/acme/app.git +refs/heads/*:refs/remotes/origin/* # timeout=10',
      ' > git rev-parse origin/main^{commit} # timeout=10',
      '[Pipeline] sh',
      '+ mvn -B compile',
      '[ERROR] /src/main/java/App.java:[12,5] cannot find symbol',
      '[INFO] BUILD FAILURE',
      'script returned exit code 1',
    ].join('\n'));
    expect(d.category).toBe('compile-error');
    expect(d.root_cause).toContain('cannot find symbol');
  });

  it('dmesg noise after the failing step does not outvote the failure inside it', async () => {
    const d = await run([
      '##[group]Run cargo test',
      'test result: FAILED. 41 passed; 1 failed; 0 ignored',
      '##[error]Process completed with exit code 101.',
      '##[group]Run sudo dmesg',
      'dmesg: read kernel buffer failed: Operation not permitted',
      'dmesg: read kernel buffer failed: Operation not permitted',
    ].join('\n'));
    expect(d.category).toBe('test-failure');
  });

  it('"spurious network error … got 503" is network', async () => {
    const d = await run(['    Updating crates.io index', 'warning: spurious network error (2 tries remaining): failed to get successful HTTP response from `https://index.crates.io/config.json`, got 503', 'error: failed to download from `https://index.crates.io`'].join('\n'));
    expect(d.category).toBe('network');
  });

  it('Gradle: the cause comes from the failure block, not from the wrapper download', async () => {
    const d = await run([
      'Downloading https://services.gradle.org/distributions/gradle-8.10-all.zip',
      '> Task :app:compileKotlin FAILED',
      "e: file:///src/App.kt:12:5 Unresolved reference: fooBar",
      'FAILURE: Build failed with an exception.',
      '* What went wrong:',
      "Execution failed for task ':app:compileKotlin'.",
      '> Compilation error. See log for more details',
    ].join('\n'));
    expect(d.root_cause).not.toContain('Downloading');
    expect(d.category).toBe('compile-error');
  });

  it('a log that says it succeeded has no failure, whatever words it contains', async () => {
    const d = await run(['Timeout waiting for network availability.', '$ make test', 'ok  github.com/acme/app  0.41s', 'Done. Your build exited with 0.'].join('\n'));
    expect(d.evidence).toEqual([]);
  });

  it('a kill after a success line is still a failure', async () => {
    const d = await run(['BUILD SUCCESSFUL in 12s', 'starting app', 'run.sh: line 4:  77 Killed                  java -jar app.jar'].join('\n'));
    expect(d.category).toBe('oom');
  });

  it('an empty input is "no failure found" (so --json still prints), not an error', async () => {
    const d = await diagnose({ reduce: async () => { throw new OpsctlError('no-match', 'nothing to reduce: - is empty'); } });
    expect(d.evidence).toEqual([]);
    expect(d.root_cause).toMatch(/No failure found/);
  });
});

describe('diagnose: service logs name a category from the exception', () => {
  const table: Array<[string, string[]]> = [
    ['network', ['2015-10-18 18:05:35,371 WARN [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Retrying connect to server: msra-sa-41:8030. Already tried 0 time(s)', '2015-10-18 18:05:36,371 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM.']],
    ['disk', ['2015-10-18 18:06:01,001 ERROR [main] org.apache.hadoop.mapred.YarnChild: org.apache.hadoop.util.DiskChecker$DiskErrorException: Could not find any valid local directory for output/spill0.out']],
    ['oom', ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', '\tat java.util.Arrays.copyOf(Arrays.java:3332)']],
    ['network', ['Caused by: java.net.ConnectException: Connection refused (Connection refused)', '\tat java.net.PlainSocketImpl.socketConnect(Native Method)']],
    ['permission', ['Traceback (most recent call last):', '  File "app.py", line 4, in <module>', "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'"]],
    ['timeout', ['panic: context deadline exceeded', '', 'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:21 +0x1d']],
  ];
  it.each(table)('%s ← %s', async (want, lines) => {
    const d = await run(lines.join('\n'));
    expect(d.category).toBe(want);
    expect(d.evidence.length).toBeGreaterThan(0);
  });
});

describe('findStructure', () => {
  it('finds the failing GitHub Actions step and weighs it above the rest', () => {
    const s = findStructure(['##[group]Run npm ci', 'added 812 packages', '##[group]Run npm test', 'FAIL src/a.test.ts', '##[error]Process completed with exit code 1.', 'Post job cleanup.']);
    expect(s.step).toEqual([2, 4]);
    expect(s.factor[3]).toBeGreaterThan(s.factor[1]);
    expect(s.factor[5]).toBeLessThan(1);
    expect(s.markers).toEqual([4]);
  });
});
