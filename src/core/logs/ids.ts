import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Per-line template ids from pass 1, spilled to a temporary file (4 bytes a line) so later passes need
 * neither memory proportional to the log nor a second round of masking and template lookup.
 */
export class IdSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'opsctl-ids-'));
  private readonly path = join(this.dir, 'ids.bin');
  private readonly fd = openSync(this.path, 'w+');
  private buf = new Int32Array(1 << 14);
  private fill = 0;
  private written = 0;

  push(id: number): void {
    this.buf[this.fill++] = id;
    if (this.fill === this.buf.length) this.flush();
  }

  flush(): void {
    if (this.fill === 0) return;
    writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.fill * 4), 0, this.fill * 4, this.written);
    this.written += this.fill * 4;
    this.fill = 0;
  }

  /** A sequential reader from the first line; `next(k)` returns the ids of the next k lines. */
  reader(): { next(k: number): Int32Array } {
    this.flush();
    let pos = 0;
    let scratch = new Int32Array(1 << 14);
    return {
      next: (k: number) => {
        if (scratch.length < k) scratch = new Int32Array(k);
        const bytes = readSync(this.fd, new Uint8Array(scratch.buffer, 0, k * 4), 0, k * 4, pos);
        pos += bytes;
        // Lines beyond what pass 1 saw (cannot happen with the byte limit, but stay safe) get id -1.
        for (let i = bytes >> 2; i < k; i++) scratch[i] = -1;
        return scratch;
      },
    };
  }

  dispose(): void {
    try {
      closeSync(this.fd);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
