import { KeyTable } from './key-table.js';
import { WILDCARD } from './mask.js';
import { unitsText } from './session-ids.js';
import { detectLevel } from './severity.js';

/** One mined template and what pass 1 learned about it. */
export interface Template {
  id: number;
  tokens: string[];
  count: number;
  firstLine: number;
  lastLine: number;
}

export interface MinerOptions {
  /** Share of comparable positions that must match to join a template (Drain's similarity threshold). */
  similarity?: number;
  /** Hard cap on templates; lines that match nothing beyond it join an overflow template. Bounds memory. */
  maxTemplates?: number;
  /** Cap on the exact-key cache (masked line -> template id), cleared when full. */
  maxCache?: number;
  /** Candidates compared per bucket; the newest are kept. Bounds time on very diverse logs. */
  maxPerBucket?: number;
}

/**
 * Drain-style template miner. Lines are masked first (see mask.ts); an exact-key cache handles the common
 * case in O(1), and a miss is compared with the templates of its bucket (same token count, same level,
 * same first literal token): the most similar one above the threshold absorbs it, replacing differing
 * positions with <*>, else the line starts a new template. Memory is bounded by the caps.
 */
export class TemplateMiner {
  readonly templates: Template[] = [];
  /** Lines that missed the exact-key cache and were compared with a bucket: bounded work is asserted on it. */
  misses = 0;
  /** FNV-1a hash of the last key added: a finer identity than the template, for session order. */
  lastHash = 0;
  // The exact-key cache: ASCII keys (nearly all) in a table looked up without building a string, others in
  // a Map. Together they hold at most maxCache keys and are cleared together.
  private readonly table = new KeyTable();
  private readonly cache = new Map<string, number>();
  private units = new Uint16Array(256);
  private readonly buckets = new Map<string, number[]>();
  private readonly similarity: number;
  private readonly maxTemplates: number;
  private readonly maxCache: number;
  private readonly maxPerBucket: number;

  constructor(opts: MinerOptions = {}) {
    this.similarity = opts.similarity ?? 0.7;
    this.maxTemplates = opts.maxTemplates ?? 20_000;
    this.maxCache = opts.maxCache ?? 100_000;
    this.maxPerBucket = opts.maxPerBucket ?? 64;
  }

  /** Assigns a masked line (its maskKey) to a template and counts it; returns the template id. */
  add(key: string, line: number): number {
    return this.addUnits(this.toUnits(key), key.length, line);
  }

  /** add() for a key given as code units key[0, len) (LineScanner.key), without a string when it is cached. */
  addUnits(key: Uint16Array, len: number, line: number): number {
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = 0; i < len; i++) {
      const u = key[i];
      high |= u;
      h = Math.imul(h ^ u, 0x01000193);
    }
    this.lastHash = h;
    let id: number;
    if (high < 128) {
      id = this.table.get(key, len, h);
      if (id < 0) {
        id = this.match(splitKey(unitsText(key, 0, len)), line);
        this.makeRoom();
        this.table.set(key, len, h, id);
      }
    } else {
      const text = unitsText(key, 0, len);
      const hit = this.cache.get(text);
      if (hit === undefined) {
        id = this.match(splitKey(text), line);
        this.makeRoom();
        this.cache.set(text, id);
      } else id = hit;
    }
    const t = this.templates[id];
    t.count++;
    if (line < t.firstLine) t.firstLine = line;
    if (line > t.lastLine) t.lastLine = line;
    return id;
  }

  /** Template id for a masked line (its maskKey) without counting it (pass 2), or -1 when unseen. */
  lookup(key: string): number {
    const units = this.toUnits(key);
    let high = 0;
    for (let i = 0; i < key.length; i++) high |= units[i];
    const id = high < 128 ? this.table.get(units, key.length, KeyTable.hash(units, key.length)) : this.cache.get(key) ?? -1;
    if (id >= 0) return id;
    const tokens = splitKey(key);
    const bucket = this.buckets.get(bucketKey(tokens));
    if (!bucket) return -1;
    const best = this.best(bucket, tokens);
    return best.sim >= this.similarity ? best.id : -1;
  }

  private makeRoom(): void {
    if (this.table.size + this.cache.size < this.maxCache) return;
    this.table.clear();
    this.cache.clear();
  }

  private toUnits(key: string): Uint16Array {
    if (this.units.length < key.length) this.units = new Uint16Array(key.length);
    for (let i = 0; i < key.length; i++) this.units[i] = key.charCodeAt(i);
    return this.units;
  }

  text(id: number): string {
    return this.templates[id].tokens.join(' ');
  }

  private best(bucket: number[], tokens: string[]): { id: number; sim: number } {
    let id = -1;
    let sim = -1;
    for (let b = bucket.length - 1; b >= 0; b--) {
      const s = similarity(this.templates[bucket[b]].tokens, tokens);
      if (s > sim) { sim = s; id = bucket[b]; }
    }
    return { id, sim };
  }

  private match(tokens: string[], line: number): number {
    this.misses++;
    const bk = bucketKey(tokens);
    let bucket = this.buckets.get(bk);
    if (!bucket) {
      bucket = [];
      this.buckets.set(bk, bucket);
    }
    const best = this.best(bucket, tokens);
    if (best.id >= 0 && (best.sim >= this.similarity || this.templates.length >= this.maxTemplates)) {
      const t = this.templates[best.id];
      for (let i = 0; i < t.tokens.length; i++) if (t.tokens[i] !== tokens[i]) t.tokens[i] = WILDCARD;
      return best.id;
    }
    if (this.templates.length >= this.maxTemplates) return this.overflow(line);
    const id = this.templates.length;
    this.templates.push({ id, tokens: tokens.slice(), count: 0, firstLine: line, lastLine: line });
    bucket.push(id);
    if (bucket.length > this.maxPerBucket) bucket.shift();
    return id;
  }

  private overflowId = -1;
  private overflow(line: number): number {
    if (this.overflowId < 0) {
      this.overflowId = this.templates.length;
      this.templates.push({ id: this.overflowId, tokens: [WILDCARD], count: 0, firstLine: line, lastLine: line });
    }
    return this.overflowId;
  }
}

function splitKey(key: string): string[] {
  return key === '' ? [] : key.split(' ');
}

function bucketKey(tokens: string[]): string {
  const level = detectLevel(tokens)?.[0] ?? '';
  let first = '';
  for (let i = 0; i < tokens.length && i < 6; i++) {
    if (!tokens[i].includes(WILDCARD)) { first = tokens[i]; break; }
  }
  return `${tokens.length}|${level}|${first}`;
}

/** Share of positions where both sides are literal and equal, over positions where either side is literal. */
export function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  let comparable = 0;
  for (let i = 0; i < template.length; i++) {
    const a = template[i];
    const b = tokens[i];
    const wa = a === WILDCARD;
    const wb = b === WILDCARD;
    if (wa && wb) continue;
    comparable++;
    if (a === b) same++;
  }
  return comparable === 0 ? 1 : same / comparable;
}
