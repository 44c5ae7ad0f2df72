import { OpsctlError } from '../errors.js';
import type { Embedder, VectorStore, VectorStoreFactory } from '../ports.js';
import type { ParsedRunbook } from './chunk.js';
import { chunkAll } from './chunk-all.js';
import { listMarkdown, readRunbook, type Skipped } from './corpus.js';
import { buildLexical } from './lexical.js';
import type { StaleIndex } from './last-good.js';
import { acquireLock, type LockOwner } from './lock.js';
import { fitLsa, LsaEmbedder, type LsaModel } from './lsa.js';
import { embeddingText, fieldsOf, mergeSections } from './sections.js';
import { checkVectorFile, INDEX_FORMAT, readIndex, readManifest, writeIndex, type FileEntry, type FileVectors, type IndexData, type Manifest, type StoredSection } from './store.js';
import { normalize } from './linalg.js';
import { tokenize } from './tokenize.js';

/** Refit the LSA projection when more than this share of sections is new since the last fit. */
const LSA_REFIT_SHARE = 0.2;
export const LSA_DIM = 192;

/** `seed` varies the randomized SVD (benchmarks measure how much retrieval quality moves with it); opsctl uses the default. */
export type EmbedderChoice = { kind: 'lsa'; seed?: number } | { kind: 'model'; embedder: Embedder };

/** What opens or updates an index: shared by index, ask, eval, triage and diagnose. */
export interface IndexAccess {
  root: string;
  /** `root` as the user typed it, recorded in the manifest. */
  rootGiven?: string;
  indexDir: string;
  embedder: EmbedderChoice;
  vectors: VectorStoreFactory;
  lock: LockOwner;
  now: () => Date;
  signal?: AbortSignal;
  /** ask, diagnose, triage: told when the index could not be updated and the last good one answers instead. */
  onStale?: (s: StaleIndex) => void;
}

export interface IndexOptions extends IndexAccess {
  rebuild?: boolean;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface IndexResult {
  files: number;
  sections: number;
  added: string[];
  changed: string[];
  removed: string[];
  skipped: Skipped[];
  warnings: Array<{ file: string; message: string }>;
  embedded: number;
  upToDate: boolean;
  embedder: string;
}

function checkCompatible(old: IndexData, choice: EmbedderChoice, indexDir: string): void {
  const want = choice.kind === 'lsa' ? 'lsa-' : choice.embedder.id;
  const ok = choice.kind === 'lsa' ? old.manifest.embedder.startsWith(want) : old.manifest.embedder === want;
  if (!ok) {
    throw new OpsctlError('index-incompatible', `the index in ${indexDir} was built with embedder ${old.manifest.embedder}, not ${choice.kind === 'lsa' ? 'lsa' : want}`, 'rebuild it for this embedder: opsctl index --rebuild');
  }
}

/** Brings the index up to date with the runbooks directory, re-reading only files whose size, time or hash changed. */
export async function updateIndex(opts: IndexOptions): Promise<IndexResult> {
  const quick = opts.rebuild ? undefined : upToDate(opts);
  if (quick) return quick;
  const release = acquireLock(opts.indexDir, opts.lock);
  try {
    return await update(opts);
  } finally {
    release();
  }
}

/** The cheap check `ask` runs every time: same files, sizes and times as the manifest, same embedder. No lock. */
function upToDate(opts: IndexOptions): IndexResult | undefined {
  const manifest = readManifest(opts.indexDir);
  if (!manifest || manifest.root !== opts.root || manifest.format !== INDEX_FORMAT) return undefined;
  const wantLsa = opts.embedder.kind === 'lsa';
  if (wantLsa ? !manifest.embedder.startsWith('lsa-') : manifest.embedder !== (opts.embedder as { embedder: Embedder }).embedder.id) return undefined;
  const { files, skipped } = listMarkdown(opts.root);
  const known = Object.keys(manifest.files);
  const skippedBefore = new Map(manifest.skipped.map((s) => [s.path, s]));
  const indexed = files.filter((f) => !skippedBefore.has(f.path));
  // A skipped file that changed since (re-encoded as UTF-8, trimmed below the size limit) deserves another read.
  for (const f of files) {
    const s = skippedBefore.get(f.path);
    if (s && (s.size !== f.size || s.mtimeMs !== f.mtimeMs)) return undefined;
  }
  if (indexed.length !== known.length) return undefined;
  for (const f of indexed) {
    const e = manifest.files[f.path];
    if (!e || e.size !== f.size || e.mtimeMs !== f.mtimeMs) return undefined;
  }
  return {
    files: known.length, sections: manifest.counts.sections, added: [], changed: [], removed: [],
    skipped: manifest.skipped.length ? manifest.skipped : skipped, warnings: [], embedded: 0, upToDate: true, embedder: manifest.embedder,
  };
}

/** Two skipped lists name the same files in the same state (so the manifest needs no rewrite). */
function sameSkipped(a: Skipped[], b: Skipped[]): boolean {
  const key = (l: Skipped[]) => JSON.stringify(l.map((s) => [s.path, s.reason, s.size, s.mtimeMs]));
  return key(a) === key(b);
}

async function update(opts: IndexOptions): Promise<IndexResult> {
  const { files, skipped } = listMarkdown(opts.root);
  const existing = opts.rebuild ? undefined : readIndex(opts.indexDir);
  if (existing) checkCompatible(existing, opts.embedder, opts.indexDir);
  // An index of another runbooks directory shares nothing with this one: start afresh rather than mix the two.
  const old = existing?.manifest.root === opts.root ? existing : undefined;
  const oldFiles = old ? old.manifest.files : {};
  const result: IndexResult = { files: 0, sections: 0, added: [], changed: [], removed: [], skipped: [...skipped], warnings: [], embedded: 0, upToDate: false, embedder: '' };

  const entries: Record<string, FileEntry> = {};
  let touchedOnly = false;
  const todo: Array<{ file: string; text: string; hash: string; size: number; mtimeMs: number; prev?: FileEntry }> = [];
  const interrupted = () => new OpsctlError('interrupted', 'indexing interrupted; the previous index is unchanged');
  // Reading is quick; parsing is what takes time, and it reports progress below (unchanged files count as done).
  opts.onProgress?.(0, files.length, '');
  for (const [i, f] of files.entries()) {
    // Reading is synchronous: let a Ctrl-C in every few files, or it would only be seen at the very end.
    if (i % 8 === 0) await yieldToEventLoop();
    if (opts.signal?.aborted) throw interrupted();
    const prev = oldFiles[f.path];
    if (prev && prev.size === f.size && prev.mtimeMs === f.mtimeMs) {
      entries[f.path] = prev;
      continue;
    }
    const read = readRunbook(opts.root, f.path);
    if ('error' in read) {
      result.skipped.push({ path: f.path, reason: read.error, size: f.size, mtimeMs: f.mtimeMs });
      continue;
    }
    if (prev && prev.hash === read.hash) {
      entries[f.path] = { ...prev, mtimeMs: f.mtimeMs };
      touchedOnly = true;
      continue;
    }
    // Keeps the manifest's file order (the order of `files`); filled in once the file is parsed.
    entries[f.path] = prev!;
    todo.push({ file: f.path, text: read.text, hash: read.hash, size: f.size, mtimeMs: f.mtimeMs, prev });
  }
  // The Markdown parser (remark, yaml) loads only when a file really changed: `ask` on a fresh index never pays for it.
  const parsed: ParsedRunbook[] = todo.length
    ? await chunkAll(todo, async (done) => {
        if (done % 4 === 0) await yieldToEventLoop();
        if (opts.signal?.aborted) throw interrupted();
        opts.onProgress?.(files.length - todo.length + done, files.length, todo[Math.min(done, todo.length - 1)].file);
      })
    : [];
  parsed.forEach((doc, k) => {
    const t = todo[k];
    for (const w of doc.warnings) result.warnings.push({ file: t.file, message: w });
    entries[t.file] = { hash: t.hash, size: t.size, mtimeMs: t.mtimeMs, title: doc.title, ...(doc.warnings.length ? { warnings: doc.warnings } : {}) };
    (t.prev ? result.changed : result.added).push(t.file);
  });
  opts.onProgress?.(files.length, files.length, '');
  result.removed = Object.keys(oldFiles).filter((p) => !entries[p]);
  result.files = Object.keys(entries).length;
  if (!result.files) {
    throw new OpsctlError('input', `no Markdown runbooks found in ${opts.root}${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''}`, 'add .md files, or point at the right directory: opsctl index <dir>');
  }

  const changedFiles = new Set([...result.changed, ...result.removed]);
  const nothingChanged = old && !parsed.length && !changedFiles.size;
  if (nothingChanged && !touchedOnly && sameSkipped(old.manifest.skipped, result.skipped)) {
    result.upToDate = true;
    result.sections = old.manifest.counts.sections;
    result.embedder = old.manifest.embedder;
    return result;
  }

  const merged = mergeSections(old?.sections ?? [], changedFiles, parsed);
  const sections = merged.sections;
  const live = sections.filter((s): s is StoredSection => s !== null);
  result.sections = live.length;

  const { store, lsa, embedderId, dimension, lsaState, embedded } = await embedSections(opts, old, sections, merged.added, merged.dropped);
  result.embedded = embedded;
  result.embedder = embedderId;

  const now = opts.now().toISOString();
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    embedder: embedderId,
    dimension,
    root: opts.root,
    ...(opts.rootGiven ?? old?.manifest.rootGiven ? { rootGiven: opts.rootGiven ?? old?.manifest.rootGiven } : {}),
    builtAt: old?.manifest.builtAt ?? now,
    updatedAt: now,
    files: entries,
    skipped: result.skipped,
    counts: { files: result.files, sections: live.length },
    ...(lsaState ? { lsa: lsaState } : {}),
  };
  const lexical = buildLexical(sections.map(fieldsOf));
  const sectionVectors = vectorRows(sections, store, dimension);
  const fileVectors = fileCentroids(live, sectionVectors, dimension);
  await writeIndex(opts.indexDir, { manifest, sections, lexical, lsa, fileVectors, sectionVectors }, (p) => store.save(p), opts.signal);
  return result;
}

/** Each section's stored vector at row `label`; zeros for removed labels. */
function vectorRows(sections: Array<StoredSection | null>, store: VectorStore, dim: number): Float32Array {
  const rows = new Float32Array(sections.length * dim);
  for (const s of sections) {
    const v = s && store.get(s.label);
    if (v) rows.set(v, s.label * dim);
  }
  return rows;
}

/** The normalised mean of each file's section vectors. */
function fileCentroids(live: StoredSection[], rows: Float32Array, dim: number): FileVectors {
  const sums = new Map<string, Float32Array>();
  for (const s of live) {
    const v = rows.subarray(s.label * dim, (s.label + 1) * dim);
    for (const src of s.sources) {
      let acc = sums.get(src.file);
      if (!acc) sums.set(src.file, (acc = new Float32Array(dim)));
      for (let k = 0; k < dim; k++) acc[k] += v[k];
    }
  }
  const files = [...sums.keys()].sort();
  const data = new Float32Array(files.length * dim);
  files.forEach((f, i) => data.set(normalize(sums.get(f)!), i * dim));
  return { files, dim, data };
}

interface Embedded {
  store: VectorStore;
  lsa?: LsaModel;
  embedderId: string;
  dimension: number;
  lsaState?: Manifest['lsa'];
  embedded: number;
}

async function embedSections(
  opts: IndexOptions,
  old: IndexData | undefined,
  sections: Array<StoredSection | null>,
  added: number[],
  dropped: number[],
): Promise<Embedded> {
  const live = sections.filter((s): s is StoredSection => s !== null);
  let embedder: Embedder;
  let lsa: LsaModel | undefined;
  let lsaState: Manifest['lsa'];
  let fresh = !old;
  let tokens: string[][] | undefined;
  // Fitting LSA is long and synchronous: a Ctrl-C pressed while files were read should stop us before it starts.
  await yieldToEventLoop();
  if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'indexing interrupted; the previous index is unchanged');
  if (opts.embedder.kind === 'lsa') {
    const since = (old?.manifest.lsa?.addedSince ?? 0) + added.length;
    fresh ||= !old?.lsa || since > LSA_REFIT_SHARE * Math.max(1, old.manifest.lsa?.fittedOn ?? 0);
    if (fresh) {
      tokens = live.map((s) => tokenize(embeddingText(s)));
      lsa = fitLsa(tokens, { dim: LSA_DIM, seed: opts.embedder.seed });
      lsaState = { fittedOn: live.length, addedSince: 0 };
    } else {
      lsa = old!.lsa!;
      lsaState = { fittedOn: old!.manifest.lsa!.fittedOn, addedSince: since };
    }
    embedder = new LsaEmbedder(lsa);
  } else {
    embedder = opts.embedder.embedder;
  }
  const dimension = await embedder.dimension();
  if (old && old.manifest.dimension !== dimension) fresh = true;
  const store = fresh ? await opts.vectors.create(dimension) : await loadVectors(opts, old!, dimension);
  const todo = fresh ? live : added.map((l) => sections[l]!);
  if (!fresh) for (const l of dropped) store.remove(l);
  const BATCH = 64;
  for (let i = 0; i < todo.length; i += BATCH) {
    await yieldToEventLoop();
    if (opts.signal?.aborted) throw new OpsctlError('interrupted', 'indexing interrupted; the previous index is unchanged');
    const batch = todo.slice(i, i + BATCH);
    // A fresh LSA fit embeds exactly the sections it was fitted on (todo = live), whose tokens it already has.
    const vecs = tokens && fresh && embedder instanceof LsaEmbedder ? embedder.embedTokens(tokens.slice(i, i + BATCH)) : await embedder.embedDocuments(batch.map(embeddingText));
    batch.forEach((s, k) => store.add(s.label, vecs[k]));
  }
  return { store, lsa, embedderId: embedder.id, dimension, lsaState, embedded: todo.length };
}

/** Lets timers and signal handlers (Ctrl-C) run between chunks of synchronous work. */
function yieldToEventLoop(): Promise<void> {
  // setImmediate, not setTimeout(0): no 1 ms floor per yield (100 of them in a full index at 800 files).
  return new Promise((resolve) => setImmediate(resolve));
}

/** The previous generation's vectors, to update in place; a damaged file is an index error, like in `ask`. */
async function loadVectors(opts: IndexOptions, old: IndexData, dimension: number): Promise<VectorStore> {
  checkVectorFile(opts.indexDir, old);
  try {
    return await opts.vectors.load(old.vectorPath, dimension);
  } catch (e) {
    throw new OpsctlError('index', `the index in ${opts.indexDir} is damaged (vectors.hnsw: ${(e as Error).message})`, 'rebuild it: opsctl index --rebuild', { cause: e });
  }
}
