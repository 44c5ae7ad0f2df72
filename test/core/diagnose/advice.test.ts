import { describe, expect, it } from 'vitest';
import { causeLine } from '../../../src/core/diagnose/advice.js';

const ev = (...texts: string[]) => texts.map((text, i) => ({ source: 'build.log', lines: String(i + 1), text }));

describe('causeLine', () => {
  it.each([
    ['the line that states the error beats a code echo with the same rule match', 'dependency',
      ev('2024-05-02T09:14:21.330Z   throw new ERR_MODULE_NOT_FOUND(packageName, base, null);',
        "2024-05-02T09:14:21.331Z Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad'"),
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad'"],
    ['the category match beats an earlier generic error', 'oom',
      ev('ERROR request failed: upstream closed', 'java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3537)'),
      'java.lang.OutOfMemoryError: Java heap space'],
    ['a stack frame never wins over the exception line above it', 'timeout',
      ev('java.net.SocketTimeoutException: Read timed out\n\tat java.net.SocketInputStream.read(SocketTimeoutException.java:1)'),
      'java.net.SocketTimeoutException: Read timed out'],
    ['ties keep the earliest line', 'unknown', ev('first odd line', 'second odd line'), 'first odd line'],
    ['trouble words beat a bare error code', 'unknown', ev('npm ERR! code ENOSPC\nnpm ERR! nospc ENOSPC: no space left on device, write'),
      'npm ERR! nospc ENOSPC: no space left on device, write'],
    ['a bracketed timestamp is dropped', 'permission', ev('[2024-05-02 10:00:01] open /data: permission denied'), 'open /data: permission denied'],
  ] as const)('%s', (_name, category, evidence, want) => {
    expect(causeLine(evidence, category)).toBe(want);
  });

  it('is undefined without evidence and shortens long lines', () => {
    expect(causeLine([], 'oom')).toBeUndefined();
    const quote = causeLine(ev(`Error: ${'x'.repeat(300)}`), 'unknown') ?? '';
    expect(quote.length).toBe(200);
    expect(quote.endsWith('...')).toBe(true);
  });
});
