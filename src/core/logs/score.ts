import { WINDOW } from './density.js';
import { OUTLIER_Z, scanNumbers, SLOTS } from './numbers.js';
import { decodeLine } from './reader.js';
import type { SourceStats } from './scan.js';
import { severityOf, type Severity } from './severity.js';
import type { Reason } from './types.js';

/** Weights of the signals; they sum to 1 so a score stays in [0, 1]. */
export const WEIGHTS = { severity: 0.5, rarity: 0.3, first: 0.1, burst: 0.05, outlier: 0.05 };
const BURST_WINDOW = 128;
/** Candidate rank decay per earlier occurrence of the same template (see ScoredLine.priority). */
const OCCURRENCE_DECAY = 0.6;
const MAX_DECAY_STEPS = 30;
const DECAY = Array.from({ length: MAX_DECAY_STEPS + 1 }, (_, k) => OCCURRENCE_DECAY ** k);
/**
 * The representative line of an unusual session scores at least SESSION_FLOOR + SESSION_GAIN x session
 * score (0.6 to 0.9 for flagged sessions): above any context line (at most 0.45 x its anchor), so each
 * flagged session gets a line in before context is spent, yet below a fatal line.
 */
export const SESSION_FLOOR = 0.3;
export const SESSION_GAIN = 0.6;
/** A numeric outlier (z ≥ OUTLIER_Z) scores OUTLIER_FLOOR to OUTLIER_FLOOR + OUTLIER_GAIN: above context, below fatal. */
export const OUTLIER_FLOOR = 0.5;
export const OUTLIER_GAIN = 0.35;
/** With a baseline: a template the passing run also shows keeps this share of its score (background)… */
export const BACKGROUND = 0.3;
/** …and one it never shows scores at least NEW_FLOOR (the rest of the scale stretched above it). */
export const NEW_FLOOR = 0.45;

/** Where pass 2 sends scored lines: `wants` is asked first so rejected lines cost no allocation. */
export interface ScoreSink {
  wants(priority: number): boolean;
  take(line: ScoredLine): void;
}

/** One scored line of pass 2. */
export interface ScoredLine {
  n: number;
  text: string;
  dropped: number;
  template: number;
  score: number;
  /** How many earlier lines had the same template (0 = first occurrence). */
  occurrence: number;
  /** Rank among candidates: later lines of a template rank lower, so one template cannot crowd out others. */
  priority: number;
  /** Score of the unusual session this line represents, if any. */
  session?: number;
  reasons: Reason[];
}

/** Rarity in [0, 1]: 1 for a template seen once, 0 for one that makes up the whole log. */
export function rarity(count: number, lines: number): number {
  if (lines <= 1) return 0;
  return Math.max(0, 1 - Math.log(count) / Math.log(lines));
}

/**
 * Pass 2 scorer: combines template severity and rarity (from pass 1) with line-level signals: first
 * occurrence, bursts (a template far denser in the last 128 lines than in the whole log) and window
 * novelty (neighbourhood density of hashed template vectors). Lines are scored a window at a time.
 */
export class LineScorer {
  private readonly sev: Array<Severity | undefined> = [];
  private readonly seenCount: Int32Array;
  private readonly recent = new Int32Array(BURST_WINDOW).fill(-1);
  private readonly recentCount: Int32Array;
  private recentPos = 0;
  private readonly pn = new Int32Array(WINDOW);
  private readonly pt = new Int32Array(WINDOW);
  private readonly pd = new Int32Array(WINDOW);
  // A line's bytes (decoded only if the sink wants the line).
  private readonly pbuf: Buffer[] = new Array<Buffer>(WINDOW);
  private readonly pstart = new Int32Array(WINDOW);
  private readonly pend = new Int32Array(WINDOW);
  private fill = 0;
  private readonly vals = new Float64Array(SLOTS);

  constructor(private readonly stats: SourceStats, private readonly sink: ScoreSink) {
    const t = stats.miner.templates.length + 1;
    this.seenCount = new Int32Array(t);
    this.recentCount = new Int32Array(t);
  }

  /** Adds line n, the UTF-8 bytes buf[start, end), with its pass-1 template id (-1 when unknown). */
  push(n: number, buf: Buffer, start: number, end: number, dropped: number, id: number): void {
    const template = id < 0 ? this.stats.miner.templates.length : id; // unknown: the spare slot
    const i = this.fill++;
    this.pn[i] = n;
    this.pt[i] = template;
    this.pd[i] = dropped;
    this.pbuf[i] = buf;
    this.pstart[i] = start;
    this.pend[i] = end;
    if (this.fill === WINDOW) this.flush();
  }

  /** Scores buffered lines; call once more at the end of the source. */
  flush(): void {
    if (this.fill === 0) return;
    const novelty = this.stats.density.novelty(this.pt, this.fill);
    for (let i = 0; i < this.fill; i++) this.score(i, novelty);
    this.fill = 0;
  }

  severity(template: number): Severity {
    let s = this.sev[template];
    if (!s) {
      const tokens = template < this.stats.miner.templates.length ? this.stats.miner.templates[template].tokens : [];
      s = severityOf(tokens.join(' '), tokens);
      this.sev[template] = s;
    }
    return s;
  }

  private score(i: number, novelty: number): void {
    const n = this.pn[i];
    const t = this.pt[i];
    const tpl = this.stats.miner.templates[t];
    const count = tpl ? tpl.count : 1;
    const old = this.recent[this.recentPos];
    if (old >= 0) this.recentCount[old]--;
    this.recent[this.recentPos] = t;
    this.recentCount[t]++;
    this.recentPos = (this.recentPos + 1) % BURST_WINDOW;
    const occurrence = this.seenCount[t]++;

    const sev = this.severity(t);
    const rare = rarity(count, this.stats.lines);
    const first = occurrence === 0 ? 1 : 0;
    let burst = 0;
    if (count >= 3 && this.recentCount[t] >= 3) {
      const ratio = (this.recentCount[t] / BURST_WINDOW) / (count / this.stats.lines);
      burst = Math.min(1, Math.max(0, Math.log2(ratio) / 5));
    }
    let line =
      WEIGHTS.severity * sev.score + WEIGHTS.rarity * rare + WEIGHTS.first * first + WEIGHTS.burst * burst + WEIGHTS.outlier * novelty;
    const known = this.stats.known;
    const isNew = known !== undefined && !known[t];
    if (known) line = isNew ? NEW_FLOOR + (1 - NEW_FLOOR) * line : BACKGROUND * line;
    const session = this.stats.sessions.get(n)?.score;
    const lifted = session === undefined ? 0 : SESSION_FLOOR + SESSION_GAIN * session;
    const nv = scanNumbers(this.pbuf[i], this.pstart[i], this.pend[i], this.vals);
    const z = nv > 0 ? this.stats.numbers.z(t, this.vals, nv) : 0;
    const slow = z >= OUTLIER_Z ? OUTLIER_FLOOR + OUTLIER_GAIN * Math.min(1, (z - OUTLIER_Z) / 8) : 0;
    const score = Math.max(line, lifted, slow);
    // A session's representative or a numeric outlier is not one more repeat of its template: it stands out.
    const priority = session === undefined && slow === 0 ? score * DECAY[Math.min(occurrence, MAX_DECAY_STEPS)] : score;
    if (!this.sink.wants(priority)) return;

    const reasons: Reason[] = [];
    if (slow > line && slow >= lifted) reasons.push('outlier');
    if (isNew) reasons.push('new');
    if (lifted > line && lifted > slow) reasons.push('session');
    if (sev.level === 'fatal' || sev.level === 'error' || sev.level === 'warn') reasons.push(sev.level);
    if (sev.stack) reasons.push('stack');
    if (sev.words.length > 0 && reasons.length === 0) reasons.push('keyword');
    if (rare >= 0.6) reasons.push('rare');
    if (first && count > 1) reasons.push('first');
    if (burst >= 0.5) reasons.push('burst');
    if (novelty >= 0.5 && !reasons.includes('outlier')) reasons.push('outlier');
    const text = decodeLine(this.pbuf[i], this.pstart[i], this.pend[i]);
    this.sink.take({ n, text, dropped: this.pd[i], template: t, score, occurrence, priority, reasons: reasons.slice(0, 2), ...(session === undefined ? {} : { session }) });
  }
}
