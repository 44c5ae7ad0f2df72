import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import type { LexicalData } from './lexical.js';
import { corrupt, floatBytes, isObject, readFloats, readJson } from './store-io.js';
import { readLexical, readSections, writeLexical, writeSections } from './store-parts.js';
import type { LsaModel } from './lsa.js';
import type { Skipped } from './corpus.js';

/** Bumped when the on-disk layout changes; an index of another format is refused with a --rebuild hint. */
export const INDEX_FORMAT = 4;

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
  if (!gen) return undefined;
  const m = readJson<Manifest>(indexDir, gen, 'manifest.json');
  if (!isObject(m) || typeof m.format !== 'number') throw corrupt(indexDir, 'manifest.json has no format');
  // Valid JSON of the wrong shape would otherwise surface later as a TypeError, not as a damaged index.
  if (m.format === INDEX_FORMAT && (typeof m.embedder !== 'string' || typeof m.dimension !== 'number' || !isObject(m.files) || !Array.isArray(m.skipped) || !isObject(m.counts))) {
    throw corrupt(indexDir, 'manifest.json is malformed');
  }
  return m;
}

/** Loads a whole index generation; every damaged or missing part is a clear error, never a wrong answer. */
export function readIndex(indexDir: string): IndexData | undefined {
  const gen = currentGeneration(indexDir);
  if (!gen) return undefined;
  const manifest = readManifest(indexDir)!;
  if (manifest.format !== INDEX_FORMAT) {
    throw new OpsctlError('index-incompatible', `the index in ${indexDir} was built by another opsctl version (format ${manifest.format}, this one reads ${INDEX_FORMAT})`, 'rebuild it: opsctl index --rebuild');
  }
  const sections = readSections(indexDir, gen);
  const lexical = readLexical(indexDir, gen);
  if (lexical.lengths.length !== sections.length) throw corrupt(indexDir, 'sections and lexical index disagree');
  let lsa: LsaModel | undefined;
  if (manifest.embedder.startsWith('lsa-')) {
    const meta = readJson<{ vocab: string[]; idf: number[]; dim: number }>(indexDir, gen, 'lsa.json');
    if (!isObject(meta) || !Array.isArray(meta.vocab) || !Array.isArray(meta.idf) || typeof meta.dim !== 'number') throw corrupt(indexDir, 'lsa.json is malformed');
    const projection = readFloats(gen, 'lsa.bin', meta.vocab.length * meta.dim, indexDir);
    lsa = { vocab: meta.vocab, idf: Float32Array.from(meta.idf), dim: meta.dim, projection };
  }
  const fileList = readJson<{ files: string[]; dim: number }>(indexDir, gen, 'files.json');
  if (!isObject(fileList) || !Array.isArray(fileList.files) || typeof fileList.dim !== 'number') throw corrupt(indexDir, 'files.json is malformed');
  const fileVectors = { files: fileList.files, dim: fileList.dim, data: readFloats(gen, 'files.bin', fileList.files.length * fileList.dim, indexDir) };
  // Section and file vectors come from the same embedder: files.json's dimension sizes both.
  const sectionVectors = readFloats(gen, 'sections.bin', sections.length * fileList.dim, indexDir);
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
  mkdirSync(indexDir, { recursive: true });
  const previous = liveName(indexDir);
  const name = `gen-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const gen = join(indexDir, name);
  mkdirSync(gen);
  try {
    writeSections(gen, data.sections);
    writeLexical(gen, data.lexical);
    if (data.lsa) {
      const { vocab, idf, dim, projection } = data.lsa;
      writeFileSync(join(gen, 'lsa.json'), JSON.stringify({ vocab, idf: Array.from(idf), dim }));
      writeFileSync(join(gen, 'lsa.bin'), floatBytes(projection));
    }
    const { files, dim, data: fileData } = data.fileVectors;
    writeFileSync(join(gen, 'files.json'), JSON.stringify({ files, dim }));
    writeFileSync(join(gen, 'files.bin'), floatBytes(fileData));
    writeFileSync(join(gen, 'sections.bin'), floatBytes(data.sectionVectors));
    await writeVectors(join(gen, 'vectors.hnsw'));
    // The manifest goes last: a generation without one is never pointed at.
    writeFileSync(join(gen, 'manifest.json'), JSON.stringify(data.manifest, null, 1));
    if (signal?.aborted) throw new OpsctlError('interrupted', 'indexing interrupted; the previous index is unchanged');
    const tmp = join(indexDir, `${CURRENT}.${name}.tmp`);
    writeFileSync(tmp, name);
    renameSync(tmp, join(indexDir, CURRENT));
  } catch (e) {
    rmSync(gen, { recursive: true, force: true });
    throw e;
  }
  // Readers hold no file handles: one that read CURRENT just before the flip is still reading the previous
  // generation file by file, so that one stays until the next write. Anything older is garbage.
  for (const entry of readdirSync(indexDir)) {
    if (entry !== name && entry !== previous && (entry.startsWith('gen-') || entry.endsWith('.tmp'))) rmSync(join(indexDir, entry), { recursive: true, force: true });
  }
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
