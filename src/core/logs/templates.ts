import { WILDCARD } from './mask.js';
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
  private readonly cache = new Map<string, number>();
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
    let id = this.cache.get(key);
    if (id === undefined) {
      id = this.match(splitKey(key), line);
      if (this.cache.size >= this.maxCache) this.cache.clear();
      this.cache.set(key, id);
    }
    const t = this.templates[id];
    t.count++;
    if (line < t.firstLine) t.firstLine = line;
    if (line > t.lastLine) t.lastLine = line;
    return id;
  }

  /** Template id for a masked line (its maskKey) without counting it (pass 2), or -1 when unseen. */
  lookup(key: string): number {
    const id = this.cache.get(key);
    if (id !== undefined) return id;
    const tokens = splitKey(key);
    const bucket = this.buckets.get(bucketKey(tokens));
    if (!bucket) return -1;
    const best = this.best(bucket, tokens);
    return best.sim >= this.similarity ? best.id : -1;
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
