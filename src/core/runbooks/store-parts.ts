import type { LexicalData, Postings } from './lexical.js';
import { aligned, corrupt, isObject, type PartReader, type PartWriter } from './store-io.js';
import type { Source, StoredSection } from './store.js';

// A cold `ask` reads the whole index before it can answer, and parsing JSON is most of that time. So the bulky
// parts are stored as bytes: section texts (only the shown sections are ever decoded) and postings (read as views
// into one Int32Array). What stays JSON is small.

/**
 * sections.json is columnar: a file path, heading path, title or meta string is stored once in a table and sections
 * refer to it by index (the sections of one file share their title and meta; full paths repeated per source were 40%
 * of the file), and a section is an array, not an object with keys. Half the bytes, and much faster to parse.
 */
interface SectionsRecord {
  files: string[];
  headings: string[][];
  /** Titles and meta strings. */
  strings: string[];
  /** Indexed by label; null for a removed section. */
  sections: Array<SectionRow | null>;
}

/** Sources are flat: [fileIdx, startLine, endLine, headingIdx] per source. Text is bytes [textStart, textEnd) of texts.bin. */
/** `aliases` (a heading-path index) only when the section has stacked names (see Chunk.aliases). */
type SectionRow = [hash: string, title: number, heading: number, sources: number[], meta: number, textStart: number, textEnd: number, aliases?: number];

/** Index of `key` in `table`, appending it when new. */
function intern<T>(table: T[], index: Map<string, number>, key: string, value: T): number {
  let i = index.get(key);
  if (i === undefined) index.set(key, (i = table.push(value) - 1));
  return i;
}

export function writeSections(out: PartWriter, sections: Array<StoredSection | null>): void {
  const parts: Buffer[] = [];
  let offset = 0;
  const record: SectionsRecord = { files: [], headings: [], strings: [], sections: [] };
  const fileIdx = new Map<string, number>();
  const headingIdx = new Map<string, number>();
  const stringIdx = new Map<string, number>();
  const heading = (path: string[]) => intern(record.headings, headingIdx, JSON.stringify(path), path);
  const string = (text: string) => intern(record.strings, stringIdx, text, text);
  record.sections = sections.map((s, label): SectionRow | null => {
    if (!s) return null;
    if (s.label !== label) throw new Error(`section ${s.label} stored at position ${label}`);
    const bytes = Buffer.from(s.text, 'utf8');
    parts.push(bytes);
    const start = offset;
    offset += bytes.length;
    const sources = s.sources.flatMap((src) => [intern(record.files, fileIdx, src.file, src.file), src.startLine, src.endLine, heading(src.headingPath)]);
    const row: SectionRow = [s.hash, string(s.title), heading(s.headingPath), sources, string(s.meta), start, offset];
    if (s.aliases?.length) row.push(heading(s.aliases));
    return row;
  });
  out.put('texts.bin', Buffer.concat(parts));
  out.put('sections.json', JSON.stringify(record));
}

/** Sections whose `text` is decoded from texts.bin on first use (then kept). */
export function readSections(parts: PartReader): Array<StoredSection | null> {
  const { indexDir } = parts;
  const r = parts.json<SectionsRecord>('sections.json');
  if (!isObject(r) || !Array.isArray(r.files) || !Array.isArray(r.headings) || !Array.isArray(r.strings) || !Array.isArray(r.sections)) {
    throw corrupt(indexDir, 'sections.json is malformed');
  }
  const { files, headings, strings } = r;
  const texts = parts.bytes('texts.bin');
  const malformed = () => corrupt(indexDir, 'sections.json is malformed');
  const headingAt = (i: number) => {
    const h = headings[i];
    if (!Array.isArray(h)) throw malformed();
    return h;
  };
  // One getter and setter for every section (a closure pair per section cost ~1 KB each in maps and contexts):
  // they find the section's bytes by its label.
  const ranges = new Float64Array(r.sections.length * 2);
  const text: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: StoredSection) {
      const value = texts.toString('utf8', ranges[this.label * 2], ranges[this.label * 2 + 1]);
      Object.defineProperty(this, 'text', { value, enumerable: true, writable: true });
      return value;
    },
    // A section read back stays an ordinary object: assigning its text replaces the lazy one.
    set(this: StoredSection, value: string) {
      Object.defineProperty(this, 'text', { value, enumerable: true, writable: true });
    },
  };
  return r.sections.map((row, label) => {
    if (row === null) return null;
    if (!Array.isArray(row) || (row.length !== 7 && row.length !== 8) || typeof row[0] !== 'string') throw malformed();
    const title = strings[row[1]];
    const meta = strings[row[4]];
    const flat = row[3];
    const start = row[5];
    const end = row[6];
    if (typeof title !== 'string' || typeof meta !== 'string') throw malformed();
    if (!Array.isArray(flat) || flat.length % 4 !== 0 || !(start >= 0 && start <= end)) throw malformed();
    if (end > texts.length) throw corrupt(indexDir, 'texts.bin is truncated');
    ranges[label * 2] = start;
    ranges[label * 2 + 1] = end;
    const sources: Source[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const file = files[flat[i]];
      if (typeof file !== 'string') throw malformed();
      sources.push({ file, startLine: flat[i + 1], endLine: flat[i + 2], headingPath: headingAt(flat[i + 3]) });
    }
    const section: Omit<StoredSection, 'text'> = { label, hash: row[0], title, headingPath: headingAt(row[2]), sources, meta };
    if (row.length === 8) section.aliases = headingAt(row[7]!);
    return Object.defineProperty(section, 'text', text) as StoredSection;
  });
}

/** lexical.json: docCount, flat field lengths, terms (sorted) and their offsets into lexical.bin (Int32 postings). */
interface LexicalRecord {
  docCount: number;
  lengths: number[];
  terms: string[];
  offsets: number[];
}

export function writeLexical(out: PartWriter, lexical: LexicalData): void {
  const terms = [...lexical.postings.keys()].sort();
  const offsets = [0];
  for (const t of terms) offsets.push(offsets[offsets.length - 1] + lexical.postings.get(t)!.length);
  const postings = new Int32Array(offsets[offsets.length - 1]);
  terms.forEach((t, i) => postings.set(lexical.postings.get(t)!, offsets[i]));
  out.put('lexical.bin', new Uint8Array(postings.buffer));
  const record: LexicalRecord = { docCount: lexical.docCount, lengths: lexical.lengths.flat(), terms, offsets };
  out.put('lexical.json', JSON.stringify(record));
}

/**
 * Postings read from disk: a query looks up a handful of its terms by binary search over the sorted term list, so
 * opening an index builds no table (a record of ~3,400 views cost a cold `ask` ~4 ms).
 */
class StoredPostings implements Postings {
  constructor(
    private readonly terms: string[],
    private readonly offsets: number[],
    private readonly all: Int32Array,
  ) {}

  get(term: string): Int32Array | undefined {
    let lo = 0;
    let hi = this.terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.terms[mid];
      if (t === term) return this.all.subarray(this.offsets[mid], this.offsets[mid + 1]);
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  keys(): Iterable<string> {
    return this.terms;
  }
}

export function readLexical(parts: PartReader): LexicalData {
  const { indexDir } = parts;
  const r = parts.json<LexicalRecord>('lexical.json');
  const ok = isObject(r) && typeof r.docCount === 'number' && Array.isArray(r.lengths) && r.lengths.length % 3 === 0
    && Array.isArray(r.terms) && Array.isArray(r.offsets) && r.offsets.length === r.terms.length + 1 && sortedTable(r.terms, r.offsets);
  if (!ok) throw corrupt(indexDir, 'lexical.json is malformed');
  const buf = parts.bytes('lexical.bin');
  const total = r.offsets[r.offsets.length - 1];
  if (buf.byteLength !== total * 4) throw corrupt(indexDir, 'lexical.bin has the wrong size');
  const lengths: number[][] = [];
  for (let i = 0; i < r.lengths.length; i += 3) lengths.push([r.lengths[i], r.lengths[i + 1], r.lengths[i + 2]]);
  return { docCount: r.docCount, lengths, postings: new StoredPostings(r.terms, r.offsets, new Int32Array(...aligned(buf))) };
}

/** Terms strictly ascending (binary search depends on it) and offsets from 0, never decreasing. */
function sortedTable(terms: unknown[], offsets: unknown[]): boolean {
  if (offsets[0] !== 0) return false;
  for (let i = 0; i < terms.length; i++) {
    if (typeof terms[i] !== 'string' || (i > 0 && !((terms[i - 1] as string) < (terms[i] as string)))) return false;
    if (typeof offsets[i + 1] !== 'number' || !((offsets[i + 1] as number) >= (offsets[i] as number))) return false;
  }
  return true;
}
