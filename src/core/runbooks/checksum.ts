import zlib from 'node:zlib';

// Every part of an index generation carries a CRC-32 in the manifest, and the manifest carries its own. CRC-32 is
// what zlib computes with carry-less multiplication: ~2 GB/s here, so checking the ~11 MB a cold `ask` reads at
// 800 runbooks costs ~5 ms, where SHA-1 cost 10 ms and MD5 15 ms. It is no defence against an attacker who can
// write the index (they can rewrite the manifest too); it catches damage: flipped bytes, torn or mixed writes.

let table: Uint32Array | undefined;

/** zlib.crc32 arrived in Node 20.15; older Nodes get the same CRC (IEEE, zlib's) from a table, slower. */
function crc32Table(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (IEEE, as zlib and gzip compute it) of `data`, as an unsigned number. */
export function crc32(data: Uint8Array): number {
  return native ? native(data) : crc32Table(data);
}

/** A manifest starts with `{"crc32":"xxxxxxxx",` and the CRC covers every byte after that prefix. */
const SEAL = /^\{"crc32":"([0-9a-f]{8})",/;
const SEAL_BYTES = 20;

/** The JSON text of `value` (an object) with its own CRC as the first key: readable by any JSON parser. */
export function sealJson(value: object): string {
  const body = JSON.stringify(value, null, 1).slice(1);
  return `{"crc32":"${crc32(Buffer.from(body, 'utf8')).toString(16).padStart(8, '0')}",${body}`;
}

/** The object `sealJson` wrote, or undefined when the bytes are not exactly what it wrote (damage of any kind). */
export function unsealJson(bytes: Buffer): Record<string, unknown> | undefined {
  const m = SEAL.exec(bytes.subarray(0, SEAL_BYTES).toString('latin1'));
  if (!m || crc32(bytes.subarray(SEAL_BYTES)) !== parseInt(m[1], 16)) return undefined;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    delete parsed.crc32;
    return parsed;
  } catch {
    return undefined;
  }
}
