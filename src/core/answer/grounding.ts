import { destructivePart, extractCommands, injectedLines, trustedText } from './commands.js';
import { NOT_COVERED } from './prompt.js';
import { contentWords, isInstruction } from './words.js';

export { contentWords, isInstruction };

/** A section the answer may cite; `PromptSection` fits. */
export interface GroundingSection {
  n: number;
  text: string;
}

/** One checked unit of the answer: a sentence, a list step, or a step with its code block. */
export interface UnitCheck {
  text: string;
  /** Every [n] found, in order, without duplicates. */
  citations: number[];
  /** Cited numbers with no such section. */
  invalid: number[];
  /** Valid citations whose section shares too little content with the unit. */
  unsupported: number[];
  /** An imperative step or a command (inline or fenced code). */
  instruction: boolean;
  /** Counts toward `supportedShare`: has content words or is an instruction. */
  claim: boolean;
  /** At least one valid citation reaches the overlap threshold. */
  supported: boolean;
  /** Best overlap among valid citations, in [0, 1]. */
  overlap: number;
  /** Commands (inline or fenced), whitespace-normalised. */
  commands: string[];
  /** Commands that no valid cited section contains (normalised for whitespace): "not in the cited runbook". */
  notInCited: string[];
  /** Destructive commands (or destructive steps in prose) that no cited section contains verbatim. */
  destructive: string[];
}

export interface GroundingReport {
  units: UnitCheck[];
  /** Share of claims that are supported; 1 when there are no claims (e.g. a refusal). */
  supportedShare: number;
  invalidCitations: number[];
  /** Texts of units whose citations do not support them (they have at least one unsupported citation and none supporting). */
  unsupportedUnits: string[];
  /** Instructions or commands with no valid citation at all. */
  uncitedInstructions: string[];
  /** Commands no valid cited section contains, over all units. */
  commandsNotInCited: string[];
  /** Destructive commands or steps not found verbatim in a cited section. */
  destructive: string[];
  /** Instruction units with any problem (invalid, missing or unsupporting citation, command not in the source). */
  ungroundedInstructions: string[];
  /** Cited sections holding lines addressed to the model ("ignore previous instructions…"): [n] → lines. */
  injections: Array<{ n: number; lines: string[] }>;
  /** The answer contains the refusal sentence. */
  notCovered: boolean;
  /** Nothing flagged: no invalid citation, uncited instruction, unsupported unit, foreign or destructive command. */
  ok: boolean;
  /** 'ungrounded' when an instruction is flagged (exit 13); unsupported prose alone stays 'grounded' with ⚠. */
  verdict: 'grounded' | 'ungrounded';
}

export interface GroundingOptions {
  /**
   * Minimum share of a unit's content words that must appear in a cited section for that citation to
   * count as support. Default 0.3: a paraphrase of a runbook step keeps at least a third of its content
   * words (service names, verbs, flags), while a sentence citing an unrelated section shares almost none.
   */
  threshold?: number;
}

export const DEFAULT_SUPPORT_THRESHOLD = 0.3;

/**
 * Checks an answer against the sections it was built from, deterministically and locally (no LLM).
 *
 * The answer is split into units: list items and sentences; a fenced code block joins the unit before
 * it (the step that introduces the command), or stands alone when nothing precedes it. Citations are
 * `[n]` or `[n, m]`; a citation that opens a unit ("… pods. [2] Then …") belongs to the unit before.
 * A unit is supported when some valid citation's section contains at least `threshold` of the unit's
 * content words (lower-cased, stop words removed, light suffix stemming).
 */
export function checkGrounding(answer: string, sections: GroundingSection[], opts: GroundingOptions = {}): GroundingReport {
  const threshold = opts.threshold ?? DEFAULT_SUPPORT_THRESHOLD;
  // Lines addressed to the model (prompt injections) never count as support, for words or for commands.
  const byN = new Map(sections.map((s) => [s.n, { words: new Set(contentWords(trustedLines(s.text))), text: trustedText(s.text) }]));
  const units = splitUnits(answer).map((u) => checkUnit(u, byN, threshold));
  const claims = units.filter((u) => u.claim);
  const supported = claims.filter((u) => u.supported).length;
  const invalidCitations = [...new Set(units.flatMap((u) => u.invalid))];
  const unsupportedUnits = units.filter((u) => u.claim && !u.supported && u.unsupported.length > 0).map((u) => u.text);
  const uncitedInstructions = units.filter((u) => u.instruction && u.citations.length === u.invalid.length).map((u) => u.text);
  const commandsNotInCited = [...new Set(units.flatMap((u) => u.notInCited))];
  const destructive = [...new Set(units.flatMap((u) => u.destructive))];
  const ungroundedInstructions = units
    .filter((u) => u.instruction && (u.invalid.length > 0 || u.citations.length === u.invalid.length || (!u.supported && u.unsupported.length > 0) || u.notInCited.length > 0 || u.destructive.length > 0))
    .map((u) => u.text);
  const cited = new Set(units.flatMap((u) => u.citations));
  const injections = sections.filter((s) => cited.has(s.n)).map((s) => ({ n: s.n, lines: injectedLines(s.text) })).filter((x) => x.lines.length > 0);
  return {
    units,
    supportedShare: claims.length === 0 ? 1 : supported / claims.length,
    invalidCitations,
    unsupportedUnits,
    uncitedInstructions,
    commandsNotInCited,
    destructive,
    ungroundedInstructions,
    injections,
    notCovered: answer.includes(NOT_COVERED),
    ok: invalidCitations.length === 0 && unsupportedUnits.length === 0 && ungroundedInstructions.length === 0 && commandsNotInCited.length === 0,
    verdict: ungroundedInstructions.length > 0 ? 'ungrounded' : 'grounded',
  };
}

function trustedLines(text: string): string {
  const bad = new Set(injectedLines(text));
  return text.split('\n').filter((l) => !bad.has(l.trim())).join('\n');
}

interface RawUnit {
  prose: string;
  code: string;
}

const CITATION = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
const LEADING_CITATIONS = /^(\s*\[\d+(?:\s*,\s*\d+)*\])+/;

type SectionIndex = Map<number, { words: Set<string>; text: string }>;

function checkUnit(u: RawUnit, byN: SectionIndex, threshold: number): UnitCheck {
  const citations = [...new Set([...u.prose.matchAll(CITATION)].flatMap((m) => m[1].split(',').map((x) => Number(x.trim()))))];
  const invalid = citations.filter((n) => !byN.has(n));
  const words = [...new Set(contentWords(`${u.prose.replace(CITATION, ' ')} ${u.code}`))];
  const instruction = u.code.trim() !== '' || isInstruction(u.prose);
  const claim = instruction || words.length >= 3;
  const valid = citations.filter((n) => byN.has(n));
  const overlaps = valid.map((n) => ({ n, o: overlap(words, byN.get(n)!.words) }));
  const unsupported = overlaps.filter((x) => x.o < threshold).map((x) => x.n);
  const best = overlaps.reduce((m, x) => Math.max(m, x.o), 0);
  const text = [u.prose.trim(), u.code.trim()].filter(Boolean).join('\n');
  const inCited = (s: string) => valid.some((n) => byN.get(n)!.text.includes(s));
  const commands = extractCommands(u.prose, u.code);
  const notInCited = valid.length ? commands.filter((c) => !inCited(c)) : [];
  // A destructive command must be in a cited section verbatim; a destructive step in prose ("delete the
  // service with --force") at least needs its destructive words there.
  const destructive = commands.filter((c) => destructivePart(c) && !inCited(c));
  const prose = u.prose.replace(CITATION, ' ').replace(/`[^`]*`/g, ' ');
  const part = instruction && destructive.length === 0 ? destructivePart(prose) : undefined;
  const inCitedAnyCase = (s: string) => valid.some((n) => byN.get(n)!.text.toLowerCase().includes(s.toLowerCase()));
  if (part && !inCitedAnyCase(part)) destructive.push(prose.replace(/\s+/g, ' ').trim());
  return {
    text, citations, invalid, unsupported, instruction, claim: claim && !text.includes(NOT_COVERED),
    supported: overlaps.some((x) => x.o >= threshold), overlap: best, commands, notInCited, destructive,
  };
}

function overlap(words: string[], section: Set<string>): number {
  if (words.length === 0) return 1;
  return words.filter((w) => section.has(w)).length / words.length;
}

/** Splits markdown-ish answer text into sentence / step units, attaching code blocks to their step. */
function splitUnits(answer: string): RawUnit[] {
  const units: RawUnit[] = [];
  // An answer cut off mid-stream can end inside a fence: close it, so its commands are checked as commands.
  const fences = (answer.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) answer = `${answer}\n\`\`\``;
  else {
    // ... or inside inline code on its last line.
    const last = answer.split('\n').at(-1) ?? '';
    if (!/^\s*```/.test(last) && (last.match(/`/g) ?? []).length % 2 === 1) answer = `${answer}\``;
  }
  const parts = answer.split(/^```[^\n]*\n?([\s\S]*?)^```[ \t]*$/m);
  // split() with one capture group alternates: prose, code, prose, code, ...
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const prev = units[units.length - 1];
      if (prev && prev.code === '') prev.code = part;
      else units.push({ prose: '', code: part });
      return;
    }
    for (const line of part.split('\n')) {
      const clean = line.replace(/^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)/, '').trim();
      if (clean === '' || /^#{1,6}\s/.test(line.trim())) continue;
      for (const sentence of clean.split(/(?<=[.!?])\s+(?=[[A-Z`"(*])/)) {
        const lead = LEADING_CITATIONS.exec(sentence);
        let rest = sentence;
        if (lead && units.length > 0) {
          units[units.length - 1].prose += ` ${lead[0].trim()}`;
          rest = sentence.slice(lead[0].length).trim();
        }
        if (rest !== '') units.push({ prose: rest, code: '' });
      }
    }
  });
  return units;
}
