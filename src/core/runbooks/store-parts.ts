import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LexicalData } from './lexical.js';
import { corrupt, isObject, readBytes, readJson } from './store-io.js';
import type { StoredSection } from './store.js';

// A cold `ask` reads the whole index before it can answer, and parsing JSON is most of that time. So the bulky
// parts are stored as bytes: section texts (only the shown sections are ever decoded) and postings (read as views
// into one Int32Array). What stays JSON is small.

/** A section on disk: its text is bytes [start, end) of texts.bin. */
type SectionRecord = Omit<StoredSection, 'text'> & { at: [number, number] };

export function writeSections(gen: string, sections: Array<StoredSection | null>): void {
  const parts: Buffer[] = [];
  let offset = 0;
  const records = sections.map((s): SectionRecord | null => {
    if (!s) return null;
    const bytes = Buffer.from(s.text, 'utf8');
    parts.push(bytes);
    const at: [number, number] = [offset, offset + bytes.length];
    offset += bytes.length;
    return { label: s.label, hash: s.hash, title: s.title, headingPath: s.headingPath, sources: s.sources, meta: s.meta, at };
  });
  writeFileSync(join(gen, 'texts.bin'), Buffer.concat(parts));
  writeFileSync(join(gen, 'sections.json'), JSON.stringify(records));
}

/** Sections whose `text` is decoded from texts.bin on first use (then kept). */
export function readSections(indexDir: string, gen: string): Array<StoredSection | null> {
  const records = readJson<Array<SectionRecord | null>>(indexDir, gen, 'sections.json');
  if (!Array.isArray(records)) throw corrupt(indexDir, 'sections.json is malformed');
  const texts = readBytes(indexDir, gen, 'texts.bin');
  return records.map((r) => {
    if (r === null) return null;
    if (!isObject(r) || !Array.isArray(r.at) || !(r.at[0] >= 0 && r.at[0] <= r.at[1])) throw corrupt(indexDir, 'sections.json is malformed');
    if (r.at[1] > texts.length) throw corrupt(indexDir, 'texts.bin is truncated');
    const { at, ...section } = r;
    return Object.defineProperty(section, 'text', {
      enumerable: true,
      configurable: true,
      get(this: StoredSection) {
        const text = texts.toString('utf8', at[0], at[1]);
        Object.defineProperty(this, 'text', { value: text, enumerable: true, writable: true });
        return text;
      },
      // A section read back stays an ordinary object: assigning its text replaces the lazy one.
      set(this: StoredSection, text: string) {
        Object.defineProperty(this, 'text', { value: text, enumerable: true, writable: true });
      },
    }) as StoredSection;
  });
}

/** lexical.json: docCount, flat field lengths, terms and their offsets into lexical.bin (Int32 postings). */
interface LexicalRecord {
  docCount: number;
  lengths: number[];
  terms: string[];
  offsets: number[];
}

export function writeLexical(gen: string, lexical: LexicalData): void {
  const terms = Object.keys(lexical.postings);
  const offsets = [0];
  for (const t of terms) offsets.push(offsets[offsets.length - 1] + lexical.postings[t].length);
  const postings = new Int32Array(offsets[offsets.length - 1]);
  terms.forEach((t, i) => postings.set(lexical.postings[t], offsets[i]));
  writeFileSync(join(gen, 'lexical.bin'), new Uint8Array(postings.buffer));
  const record: LexicalRecord = { docCount: lexical.docCount, lengths: lexical.lengths.flat(), terms, offsets };
  writeFileSync(join(gen, 'lexical.json'), JSON.stringify(record));
}

export function readLexical(indexDir: string, gen: string): LexicalData {
  const r = readJson<LexicalRecord>(indexDir, gen, 'lexical.json');
  const ok = isObject(r) && typeof r.docCount === 'number' && Array.isArray(r.lengths) && r.lengths.length % 3 === 0
    && Array.isArray(r.terms) && Array.isArray(r.offsets) && r.offsets.length === r.terms.length + 1;
  if (!ok) throw corrupt(indexDir, 'lexical.json is malformed');
  const buf = readBytes(indexDir, gen, 'lexical.bin');
  const total = r.offsets[r.offsets.length - 1];
  if (buf.byteLength !== total * 4) throw corrupt(indexDir, 'lexical.bin has the wrong size');
  // Copy into an aligned buffer: a Buffer from the pool may start at an offset that is not a multiple of 4.
  const all = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const postings: Record<string, Int32Array> = Object.create(null);
  for (let i = 0; i < r.terms.length; i++) postings[r.terms[i]] = all.subarray(r.offsets[i], r.offsets[i + 1]);
  const lengths: number[][] = [];
  for (let i = 0; i < r.lengths.length; i += 3) lengths.push([r.lengths[i], r.lengths[i + 1], r.lengths[i + 2]]);
  return { docCount: r.docCount, lengths, postings };
}
