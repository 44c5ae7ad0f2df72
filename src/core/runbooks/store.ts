import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OpsctlError } from '../errors.js';
import type { LexicalData } from './lexical.js';
import { unsealJson, sealJson } from './checksum.js';
import { ensureIndexDir, writeFailure } from './index-dir.js';
import { corrupt, floatBytes, isObject, PartReader, PartWriter, type Checksums } from './store-io.js';
import { readLexical, readSections, writeLexical, writeSections } from './store-parts.js';
import type { LsaModel } from './lsa.js';
import type { Skipped } from './corpus.js';

/**
 * Bumped when the on-disk layout or what is stored changes (6: percentages kept as tokens, stacked empty headings join
 * the next section); an index of another format is refused with a --rebuild hint.
 */
export const INDEX_FORMAT = 6;

export interface Source {
  file: string;
  startLine: number;
  endLine: number;
  headingPath: string[];
}

/** A unique section; identical text in several files is stored once with every source. */
export interface StoredSection {
  label: number;
  hash: string;
  title: string;
  headingPath: string[];
  text: string;
  sources: Source[];
  /** File names, titles, tags, alarms and services of all sources: the weighted "title" field. */
  meta: string;
  /** Names of empty headings stacked over this section's part of the page (Chunk.aliases): heading-field words. */
  aliases?: string[];
}

export interface FileEntry {
  hash: string;
  size: number;
  mtimeMs: number;
  title: string;
  warnings?: string[];
}

export interface Manifest {
  format: number;
  embedder: string;
  dimension: number;
  /** The runbooks directory, absolute: `ask` and friends search it when no other directory is chosen. */
  root: string;
  /** The runbooks directory as the user gave it (`./docs`), for messages. */
  rootGiven?: string;
  builtAt: string;
  updatedAt: string;
  files: Record<string, FileEntry>;
  skipped: Skipped[];
  counts: { files: number; sections: number };
  /** LSA only: live sections when the projection was fitted, and sections added since (refit when drift is large). */
  lsa?: { fittedOn: number; addedSince: number };
  /** CRC-32 of every part file (format 5): set by writeIndex, checked as each part is read. */
  checksums?: Checksums;
}

export interface IndexData {
  manifest: Manifest;
  /** Indexed by label; null marks a removed section whose label is not reused until a rebuild. */
  sections: Array<StoredSection | null>;
  lexical: LexicalData;
  lsa?: LsaModel;
  /** One unit vector per file: the normalised mean of its sections' vectors ("how well the whole runbook fits"). */
  fileVectors: FileVectors;
  /**
   * Every section's vector, row `label` (zeros for removed labels), as wide as the file vectors. The HNSW file holds
   * the same vectors, but reading them back one by one for lexical-only candidates cost a cold `ask` ~12 ms.
   */
  sectionVectors: Float32Array;
  /** Path of the vector file in this generation. */
  vectorPath: string;
}

export interface FileVectors {
  files: string[];
  dim: number;
  /** files.length × dim, row-major. */
  data: Float32Array;
}

const CURRENT = 'CURRENT';

/** The directory of the live generation, or undefined when no index was built yet. */
export function currentGeneration(indexDir: string): string | undefined {
  const pointer = join(indexDir, CURRENT);
  if (!existsSync(pointer)) return undefined;
  const name = readFileSync(pointer, 'utf8').trim();
  if (!/^gen-[\w.-]+$/.test(name)) throw corrupt(indexDir, 'CURRENT pointer is unreadable');
  return join(indexDir, name);
}

export function readManifest(indexDir: string): Manifest | undefined {
  const gen = currentGeneration(indexDir);
  return gen ? manifestOf(indexDir, gen) : undefined;
}

/** The manifest of generation `gen`, its own checksum checked. */
function manifestOf(indexDir: string, gen: string): Manifest {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(gen, 'manifest.json'));
  } catch (e) {
    throw corrupt(indexDir, `manifest.json: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'}`);
  }
  // `ask` reads the manifest twice (the up-to-date check, then opening the index): the same bytes are not parsed and
  // checked again. Any change to the file (damage included) changes the bytes and is checked afresh.
  if (lastManifest && lastManifest.bytes.equals(bytes)) return lastManifest.manifest;
  const m = (unsealJson(bytes) as Manifest | undefined) ?? otherFormat(bytes);
  if (!m) throw corrupt(indexDir, 'manifest.json fails its checksum');
  if (typeof m.format !== 'number') throw corrupt(indexDir, 'manifest.json has no format');
  // Valid JSON of the wrong shape would otherwise surface later as a TypeError, not as a damaged index.
  if (m.format === INDEX_FORMAT && (typeof m.embedder !== 'string' || typeof m.dimension !== 'number' || !isObject(m.files) || !Array.isArray(m.skipped) || !isObject(m.counts) || !isObject(m.checksums))) {
    throw corrupt(indexDir, 'manifest.json is malformed');
  }
  if (m.format === INDEX_FORMAT) lastManifest = { bytes, manifest: m };
  return m;
}

/** The last manifest read and checked, with its bytes; treat as read-only (nothing writes a manifest read back). */
let lastManifest: { bytes: Buffer; manifest: Manifest } | undefined;

/** Loads a whole index generation; every damaged or missing part is a clear error, never a wrong answer. */
export function readIndex(indexDir: string): IndexData | undefined {
  const gen = currentGeneration(indexDir);
  if (!gen) return undefined;
  const manifest = manifestOf(indexDir, gen);
  if (manifest.format !== INDEX_FORMAT) {
    throw new OpsctlError('index-incompatible', `the index in ${indexDir} was built by another opsctl version (format ${manifest.format}, this one reads ${INDEX_FORMAT})`, 'rebuild it: opsctl index --rebuild');
  }
  const parts = new PartReader(indexDir, gen, manifest.checksums!);
  const sections = readSections(parts);
  const lexical = readLexical(parts);
  if (lexical.lengths.length !== sections.length) throw corrupt(indexDir, 'sections and lexical index disagree');
  let lsa: LsaModel | undefined;
  if (manifest.embedder.startsWith('lsa-')) {
    const meta = parts.json<{ vocab: string[]; idf: number[]; dim: number }>('lsa.json');
    if (!isObject(meta) || !Array.isArray(meta.vocab) || !Array.isArray(meta.idf) || typeof meta.dim !== 'number') throw corrupt(indexDir, 'lsa.json is malformed');
    const projection = parts.floats('lsa.bin', meta.vocab.length * meta.dim);
    lsa = { vocab: meta.vocab, idf: Float32Array.from(meta.idf), dim: meta.dim, projection };
  }
  const fileList = parts.json<{ files: string[]; dim: number }>('files.json');
  if (!isObject(fileList) || !Array.isArray(fileList.files) || typeof fileList.dim !== 'number') throw corrupt(indexDir, 'files.json is malformed');
  const fileVectors = { files: fileList.files, dim: fileList.dim, data: parts.floats('files.bin', fileList.files.length * fileList.dim) };
  // Section and file vectors come from the same embedder: files.json's dimension sizes both.
  const sectionVectors = parts.floats('sections.bin', sections.length * fileList.dim);
  const vectorPath = join(gen, 'vectors.hnsw');
  if (!existsSync(vectorPath)) throw corrupt(indexDir, 'vectors.hnsw missing');
  return { manifest, sections, lexical, lsa, fileVectors, sectionVectors, vectorPath };
}

/**
 * Writes a new generation next to the live one, then flips CURRENT with a rename: a crash or Ctrl-C at any point
 * leaves the previous index in place. `writeVectors` saves the vector file into the new generation directory.
 */
export async function writeIndex(
  indexDir: string,
  data: Omit<IndexData, 'vectorPath'>,
  writeVectors: (path: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  ensureIndexDir(indexDir);
  const previous = liveName(indexDir);
  const name = `gen-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const gen = join(indexDir, name);
  try {
    mkdirSync(gen);
  } catch (e) {
    throw writeFailure(indexDir, e);
  }
  try {
    const out = new PartWriter(gen);
    writeSections(out, data.sections);
    writeLexical(out, data.lexical);
    if (data.lsa) {
      const { vocab, idf, dim, projection } = data.lsa;
      out.put('lsa.json', JSON.stringify({ vocab, idf: Array.from(idf), dim }));
      out.put('lsa.bin', floatBytes(projection));
    }
    const { files, dim, data: fileData } = data.fileVectors;
    out.put('files.json', JSON.stringify({ files, dim }));
    out.put('files.bin', floatBytes(fileData));
    out.put('sections.bin', floatBytes(data.sectionVectors));
    await writeVectors(join(gen, 'vectors.hnsw'));
    out.seal('vectors.hnsw');
    // Read back before it goes live: a part that did not reach the disk as written (a flaky or full network disk)
    // fails here, and the previous generation stays. ~20 ms for the 30 MB of an 800-file index.
    const check = new PartReader(indexDir, gen, out.checksums);
    for (const file of Object.keys(out.checksums)) check.bytes(file);
    // The manifest goes last: a generation without one is never pointed at.
    writeFileSync(join(gen, 'manifest.json'), sealJson({ ...data.manifest, checksums: out.checksums }));
    if (signal?.aborted) throw new OpsctlError('interrupted', 'indexing interrupted; the previous index is unchanged');
    const tmp = join(indexDir, `${CURRENT}.${name}.tmp`);
    writeFileSync(tmp, name);
    renameSync(tmp, join(indexDir, CURRENT));
  } catch (e) {
    rmSync(gen, { recursive: true, force: true });
    throw writeFailure(indexDir, e);
  }
  // Readers hold no file handles: one that read CURRENT just before the flip is still reading the previous
  // generation file by file, so that one stays until the next write. Anything older is garbage.
  for (const entry of readdirSync(indexDir)) {
    if (entry !== name && entry !== previous && (entry.startsWith('gen-') || entry.endsWith('.tmp'))) rmSync(join(indexDir, entry), { recursive: true, force: true });
  }
}

/**
 * The vector file is read whole only to load it (HNSW search, an update); exact search only checks its structure.
 * So its CRC is checked here, by whoever loads it, not on every `ask`.
 */
export function checkVectorFile(indexDir: string, data: Pick<IndexData, 'manifest' | 'vectorPath'>): void {
  new PartReader(indexDir, dirname(data.vectorPath), data.manifest.checksums ?? {}).bytes(basename(data.vectorPath));
}

/**
 * An unsealed manifest: one of another format (before 5 none had a checksum) is returned so the caller can refuse
 * it as another version's index; anything else is damage.
 */
function otherFormat(bytes: Buffer): Manifest | undefined {
  try {
    const m = JSON.parse(bytes.toString('utf8')) as unknown;
    if (isObject(m) && typeof m.format === 'number' && m.format !== INDEX_FORMAT) return m as unknown as Manifest;
  } catch {
    // not JSON: damaged
  }
  return undefined;
}

/** The generation CURRENT names, or undefined when there is none or it is unreadable (a rebuild replaces it). */
function liveName(indexDir: string): string | undefined {
  try {
    const name = readFileSync(join(indexDir, CURRENT), 'utf8').trim();
    return /^gen-[\w.-]+$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
