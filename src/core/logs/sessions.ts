import { Heap } from './heap.js';
import { LruQueue } from './lru-queue.js';

/** Why a session looks unusual next to the other sessions of its log. */
export type SessionSignal = 'rare-template' | 'missing-template' | 'transition' | 'length';

/** A session judged unusual, and the one line that best shows why (kept before any context). */
export interface SessionVerdict {
  key: string;
  /** In [0, 1]. */
  score: number;
  signal: SessionSignal;
  /** 1-based line number of the representative line. */
  line: number;
  lines: number;
}

export interface SessionOptions {
  /** Live sessions tracked at once; the least recently seen is judged and forgotten beyond this (LRU). */
  maxSessions?: number;
  /** Lines remembered per session (its first ones); longer sessions still count their length. */
  maxEntries?: number;
  /** Most unusual sessions reported. */
  maxFlagged?: number;
  /** Lowest score worth reporting. */
  threshold?: number;
}

interface Live {
  key: string;
  count: number;
  last: number;
  /** Insertion order stamp, for the approximate LRU. */
  seq: number;
  /** The first line and template; the arrays below exist only once a second line arrives (most sessions have one). */
  line0: number;
  tpl0: number;
  more?: {
    lines: number[];
    tpls: number[];
    /** Distinct templates (capped at maxEntries). */
    distinct: number[];
    /** Distinct transitions prev→next as numbers, and the line where each first happened. */
    pairs: number[];
    pairLines: number[];
  };
  prev: number;
}

const PAIR = 1 << 16;

/** 1 for something in one of `total` sessions, 0 for something in all of them. */
function rarity(count: number, total: number): number {
  if (total <= 1) return 0;
  return Math.max(0, 1 - Math.log(Math.max(count, 1)) / Math.log(total));
}

/** Trust in a share measured over n sessions: a pattern cannot be "unusual" among a handful. */
function confidence(n: number): number {
  return n <= 1 ? 0 : Math.min(1, Math.log(n) / Math.log(100));
}

/**
 * Groups lines into sessions by shared identifiers and scores each session against the others, streaming in
 * bounded memory. Counts are kept per session, not per line: df[t] is the number of sessions holding template
 * t, and likewise for template transitions. A session is judged when it is evicted (LRU) or at the end, so an
 * early session is compared with the sessions seen so far; once the cap is reached that is at least
 * `maxSessions` of them. Signals, each in [0, 1]:
 * - rare-template: holds a template few sessions hold;
 * - missing-template: lacks a template most sessions hold;
 * - transition: a template follows another in an order few sessions show;
 * - length: far longer or shorter than sessions usually are (log scale, at least a factor of 2^1.5).
 */
export class SessionTracker {
  private readonly live = new Map<string, Live>();
  // LRU order: sessions queued when created or refreshed; an entry whose seq no longer matches its session's
  // is stale (the session moved to the back) and skipped. Evicting from a Map's front instead costs a walk
  // over the holes its deletions leave.
  private readonly order = new LruQueue<Live>();
  /** Sessions per template id (0: none); template ids are small and dense, so an array, grown as needed. */
  private df = new Int32Array(256);
  private readonly pairDf = new Map<number, number>();
  private readonly flagged: Heap<SessionVerdict>;
  private readonly maxSessions: number;
  private readonly maxEntries: number;
  private readonly maxFlagged: number;
  private readonly threshold: number;
  private sessions = 0;
  private seq = 0;
  private multi = 0;
  private lenN = 0;
  private lenMean = 0;
  private lenM2 = 0;
  private common: number[] = [];
  private commonAt = -1;

  constructor(opts: SessionOptions = {}) {
    this.maxSessions = opts.maxSessions ?? 20_000;
    this.maxEntries = opts.maxEntries ?? 32;
    this.maxFlagged = opts.maxFlagged ?? 1024;
    this.threshold = opts.threshold ?? 0.5;
    this.flagged = new Heap<SessionVerdict>((a, b) => a.score < b.score);
  }

  /** Adds line n (template t) to the session of each key. */
  observe(n: number, t: number, keys: readonly string[]): void {
    for (const key of keys) {
      let s = this.live.get(key);
      if (!s) {
        if (this.live.size >= this.maxSessions) this.evictOldest();
        s = { key, count: 0, last: n, seq: ++this.seq, line0: n, tpl0: t, more: undefined, prev: -1 };
        this.sessions++;
        this.live.set(key, s);
        this.order.push(s, s.seq);
      } else if (this.seq - s.seq > this.maxSessions >> 1) {
        // Moving a session to the back only when it drifted into the older half keeps LRU behaviour at a
        // fraction of the queue updates.
        s.seq = ++this.seq;
        this.order.push(s, s.seq);
      }
      this.add(s, n, t);
    }
  }

  /** Judges the sessions still open; returns the most unusual sessions, best first. */
  finish(): SessionVerdict[] {
    const open: Live[] = [];
    for (let s = this.order.shift(); s; s = this.order.shift()) open.push(s);
    for (const s of open) this.countLength(s);
    for (const s of open) this.judge(s, false);
    this.live.clear();
    return this.flagged.toArray().sort((a, b) => b.score - a.score || a.line - b.line);
  }

  private add(s: Live, n: number, t: number): void {
    s.count++;
    s.last = n;
    if (s.count === 1) {
      this.countTemplate(t);
      s.prev = t;
      return;
    }
    if (s.count === 2) this.multi++;
    const m = (s.more ??= { lines: [s.line0], tpls: [s.tpl0], distinct: [s.tpl0], pairs: [], pairLines: [] });
    if (m.lines.length < this.maxEntries) {
      m.lines.push(n);
      m.tpls.push(t);
    }
    if (!m.distinct.includes(t) && m.distinct.length < this.maxEntries) {
      m.distinct.push(t);
      this.countTemplate(t);
    }
    if (s.prev !== t) {
      const p = s.prev * PAIR + t;
      if (!m.pairs.includes(p) && m.pairs.length < this.maxEntries) {
        m.pairs.push(p);
        m.pairLines.push(n);
        this.pairDf.set(p, (this.pairDf.get(p) ?? 0) + 1);
      }
    }
    s.prev = t;
  }

  private evictOldest(): void {
    const s = this.order.shift();
    if (!s) return;
    this.live.delete(s.key);
    if (s.count === 1) this.judgeSingle(s);
    else this.judge(s, true);
  }

  /**
   * The common case at scale (an id seen once, then evicted), without judge's allocations: a one-line session
   * can only be unusual for its template or its length.
   */
  private judgeSingle(s: Live): void {
    this.countLength(s);
    const conf = confidence(this.sessions);
    let score = rarity(this.df[s.tpl0] || 1, this.sessions) * conf;
    for (const t of this.commonTemplates()) if (t !== s.tpl0) score = Math.max(score, (this.df[t] / this.sessions - 0.5) * 2 * conf);
    if (this.lenN > 1) {
      const dev = this.lenMean / Math.max(Math.sqrt(this.lenM2 / (this.lenN - 1)), 1); // |log2(1) - mean|
      score = Math.max(score, Math.min(1, Math.max(0, (dev - 1.5) / 2)) * conf);
    }
    if (score < this.threshold || (this.flagged.size >= this.maxFlagged && score <= (this.flagged.peek() as SessionVerdict).score)) return;
    this.judge(s, false); // worth reporting: the full judgement builds the verdict
  }

  private countTemplate(t: number): void {
    if (t >= this.df.length) {
      const grown = new Int32Array(Math.max(t + 1, this.df.length * 2));
      grown.set(this.df);
      this.df = grown;
    }
    this.df[t]++;
  }

  private countLength(s: Live): void {
    const x = Math.log2(s.count);
    this.lenN++;
    const d = x - this.lenMean;
    this.lenMean += d / this.lenN;
    this.lenM2 += d * (x - this.lenMean);
  }

  /** Templates most sessions hold; refreshed as the session count grows (cheap: df has one entry a template). */
  private commonTemplates(): number[] {
    if (this.commonAt < 0 || this.sessions >= this.commonAt * 1.25) {
      this.commonAt = this.sessions;
      this.common = [];
      for (let t = 0; t < this.df.length; t++) if (this.df[t] > 0 && this.df[t] >= 0.5 * this.sessions) this.common.push(t);
    }
    return this.common;
  }

  private judge(s: Live, countLength: boolean): void {
    if (countLength) this.countLength(s);
    const conf = confidence(this.sessions);
    const m = s.more ?? { lines: [s.line0], tpls: [s.tpl0], distinct: [s.tpl0], pairs: [], pairLines: [] };
    let best: SessionVerdict = { key: s.key, score: 0, signal: 'rare-template', line: s.line0, lines: s.count };
    let rarest = s.line0;
    let rarestDf = Infinity;
    for (let i = 0; i < m.tpls.length; i++) {
      const df = this.df[m.tpls[i]] || 1;
      if (df < rarestDf) { rarestDf = df; rarest = m.lines[i]; }
    }
    const consider = (score: number, signal: SessionSignal, line: number) => {
      if (score > best.score) best = { key: s.key, score, signal, line, lines: s.count };
    };
    consider(rarity(rarestDf, this.sessions) * conf, 'rare-template', rarest);
    if (m.distinct.length < this.maxEntries) {
      for (const t of this.commonTemplates()) {
        if (m.distinct.includes(t)) continue;
        const share = this.df[t] / this.sessions;
        consider((share - 0.5) * 2 * conf, 'missing-template', s.last);
      }
    }
    const pconf = confidence(this.multi);
    for (let i = 0; i < m.pairs.length; i++) consider(rarity(this.pairDf.get(m.pairs[i]) ?? 1, this.multi) * pconf, 'transition', m.pairLines[i]);
    if (this.lenN > 1) {
      const sd = Math.sqrt(this.lenM2 / (this.lenN - 1));
      const dev = Math.abs(Math.log2(s.count) - this.lenMean) / Math.max(sd, 1);
      consider(Math.min(1, Math.max(0, (dev - 1.5) / 2)) * conf, 'length', rarest);
    }
    if (best.score < this.threshold) return;
    if (this.flagged.size < this.maxFlagged) this.flagged.push(best);
    else if (best.score > (this.flagged.peek() as SessionVerdict).score) {
      this.flagged.pop();
      this.flagged.push(best);
    }
  }
}
