import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../../src/core/runbooks/checksum.js';
import { PartReader } from '../../../src/core/runbooks/store-io.js';

/**
 * A reader whose checksums are taken from the files as they are now: damage a test makes on purpose then passes the
 * CRC, so the structural checks behind it (the defence against a bug that writes a bad part) are what is tested.
 */
export function resealedReader(indexDir: string, gen: string): PartReader {
  const sums: Record<string, number> = {};
  for (const f of readdirSync(gen)) sums[f] = crc32(readFileSync(join(gen, f)));
  return new PartReader(indexDir, gen, sums);
}
