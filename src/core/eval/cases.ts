import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { OpsctlError } from '../errors.js';
import type { AlarmInfo } from '../ports.js';

/** One evaluation case, normalised from YAML or JSON Lines. */
export interface EvalCase {
  id: string;
  /** The file it came from, for error messages and per-case output. */
  source: string;
  question: string;
  /** A CloudWatch alarm as `ask --alarm` would see it; the query is built the same way. */
  alarm?: AlarmInfo;
  /** Runbook paths relative to the runbooks dir; any one of them found counts as a hit. */
  files: string[];
  /** Optional headings; a section hit needs one of them somewhere in the hit's heading path. */
  headings: string[];
  /** Terms the retrieved text (or the LLM answer) must contain, case-insensitively. */
  requiredTerms: string[];
  /** Nothing in the runbooks covers it: the right outcome is a refusal. */
  mustRefuse: boolean;
  /** Dataset lines only: the part of the collection it belongs to (its `source`, else the expected file's top folder). */
  group?: string;
}

const CASE_KEYS = new Set(['id', 'question', 'alarm', 'expect', 'required_terms', 'must_refuse']);
/** Keys of a dev-set query line that eval reads; other keys (anchors, provenance, notes) are ignored with one warning. */
const DATASET_KEYS = new Set(['id', 'query', 'expected', 'also_relevant', 'expected_heading', 'also_relevant_headings', 'source', 'must_refuse']);
const EXPECT_KEYS = new Set(['files', 'headings']);
const ALARM_KEYS = new Set(['name', 'description', 'metricName', 'namespace', 'dimensions', 'stateReason', 'statistic', 'threshold', 'comparison', 'state']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(v: unknown, fail: (m: string) => never, what: string): string[] {
  if (v === undefined) return [];
  // YAML reads `[504]` as a number; a term or heading that is a number is still meant as text.
  const items = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'number' ? String(x) : x));
  if (items.some((x) => typeof x !== 'string' || x.trim() === '')) fail(`${what} must be a list of non-empty strings`);
  return (items as string[]).map((s) => s.trim());
}

function toAlarm(v: unknown, fail: (m: string) => never): AlarmInfo {
  if (typeof v === 'string' && v.trim()) return { name: v.trim(), dimensions: [] };
  if (!isObj(v) || typeof v.name !== 'string' || !v.name.trim()) fail('alarm must be an alarm name or a mapping with a name');
  const a = v as Obj;
  const unknown = Object.keys(a).filter((k) => !ALARM_KEYS.has(k));
  if (unknown.length) fail(`unknown alarm key "${unknown[0]}" (known: ${[...ALARM_KEYS].join(', ')})`);
  const dims = a.dimensions === undefined ? [] : a.dimensions;
  if (!Array.isArray(dims) || dims.some((d) => !isObj(d) || typeof d.name !== 'string')) fail('alarm.dimensions must be a list of {name, value}');
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  return {
    name: (a.name as string).trim(),
    description: str('description'),
    metricName: str('metricName'),
    namespace: str('namespace'),
    stateReason: str('stateReason'),
    dimensions: (dims as Obj[]).map((d) => ({ name: String(d.name), value: String(d.value ?? '') })),
  };
}

/**
 * Validates and normalises one raw case. `where` names the file and position for messages. Also accepts a
 * line of the dev-set protocol (`query`, `expected`, `also_relevant`), so dataset query files load the same way.
 */
export function normaliseCase(raw: unknown, source: string, where: string, ignored?: Set<string>): EvalCase {
  const label = isObj(raw) && typeof raw.id === 'string' ? `case "${raw.id}"` : where;
  const fail = (m: string): never => {
    throw new OpsctlError('input', `${source}: ${label}: ${m}`, 'fix the case (format: README "opsctl eval")');
  };
  if (!isObj(raw)) fail('a case must be a mapping');
  const c = raw as Obj;
  if (typeof c.query === 'string') return datasetCase(c, source, where, fail, ignored);
  const unknown = Object.keys(c).filter((k) => !CASE_KEYS.has(k));
  if (unknown.length) fail(`unknown key "${unknown[0]}" (known: id, question, alarm, expect, required_terms, must_refuse)`);
  if (typeof c.id !== 'string' || !c.id.trim()) fail('missing "id"');
  if (c.question !== undefined && (typeof c.question !== 'string' || !c.question.trim())) fail('"question" must be non-empty text');
  const alarm = c.alarm === undefined ? undefined : toAlarm(c.alarm, fail);
  if (c.question === undefined && !alarm) fail('needs a "question" or an "alarm"');
  if (c.must_refuse !== undefined && typeof c.must_refuse !== 'boolean') fail('"must_refuse" must be true or false');
  const mustRefuse = c.must_refuse === true;
  if (c.expect !== undefined && !isObj(c.expect)) fail('"expect" must be a mapping with "files" (and optionally "headings")');
  const expect = (c.expect ?? {}) as Obj;
  const badKey = Object.keys(expect).find((k) => !EXPECT_KEYS.has(k));
  if (badKey) fail(`unknown key "expect.${badKey}" (known: files, headings)`);
  const files = stringList(expect.files, fail, 'expect.files');
  const headings = stringList(expect.headings, fail, 'expect.headings');
  if (mustRefuse && files.length) fail('a must_refuse case cannot expect files');
  if (!mustRefuse && !files.length) fail('needs expect.files (or must_refuse: true)');
  if (headings.length && !files.length) fail('expect.headings needs expect.files');
  const requiredTerms = stringList(c.required_terms, fail, 'required_terms');
  return { id: (c.id as string).trim(), source, question: typeof c.question === 'string' ? c.question.trim() : '', alarm, files, headings, requiredTerms, mustRefuse };
}

/**
 * A line of the dev-set protocol: `query`, `expected`, `also_relevant`, and for section-level collections
 * `expected_heading` / `also_relevant_headings`. Keys eval does not read are collected in `ignored` (not refused):
 * published query files carry provenance fields of their own.
 */
function datasetCase(c: Obj, source: string, where: string, fail: (m: string) => never, ignored?: Set<string>): EvalCase {
  for (const k of Object.keys(c)) if (!DATASET_KEYS.has(k)) ignored?.add(k);
  if (!(c.query as string).trim()) fail('"query" must be non-empty text');
  if (c.must_refuse === true) {
    return { id: typeof c.id === 'string' ? c.id : `${source}:${where.replace(/^line /, '')}`, source, question: (c.query as string).trim(), files: [], headings: [], requiredTerms: [], mustRefuse: true, group: typeof c.source === 'string' ? c.source : 'refusal' };
  }
  if (typeof c.expected !== 'string' || !c.expected) fail('a dataset line needs "expected"');
  const expected = c.expected as string;
  const also = stringList(c.also_relevant, fail, 'also_relevant');
  const heading = c.expected_heading === null ? [] : stringList(c.expected_heading, fail, 'expected_heading');
  const headings = heading.length ? [...heading, ...stringList(c.also_relevant_headings, fail, 'also_relevant_headings')] : [];
  const group = typeof c.source === 'string' && c.source.trim() ? c.source.trim() : expected.includes('/') ? expected.split('/')[0] : '.';
  const id = typeof c.id === 'string' ? c.id : `${source}:${where.replace(/^line /, '')}`;
  return { id, source, question: c.query as string, files: [expected, ...also], headings, requiredTerms: [], mustRefuse: false, group };
}

/** Parses a YAML document `{cases: [...]}` (or a bare list of cases). */
export function parseYamlCases(text: string, source: string): EvalCase[] {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.pos?.[0] === undefined ? undefined : text.slice(0, e.pos[0]).split('\n').length;
    throw new OpsctlError('input', `${source}${line ? `:${line}` : ''}: invalid YAML (${e.message.split('\n')[0]})`, 'fix the YAML syntax');
  }
  const data: unknown = doc.toJS();
  const list = Array.isArray(data) ? data : isObj(data) ? data.cases : undefined;
  if (!Array.isArray(list)) throw new OpsctlError('input', `${source}: expected a mapping with a "cases" list`, 'see README "opsctl eval" for the case format');
  return list.map((raw, i) => normaliseCase(raw, source, `case #${i + 1}`));
}

/** Parses JSON Lines: one case (or one dev-set query line) per non-empty line. */
export function parseJsonlCases(text: string, source: string, ignored?: Set<string>): EvalCase[] {
  const cases: EvalCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new OpsctlError('input', `${source}:${i + 1}: invalid JSON (${(e as Error).message})`, 'one JSON object per line');
    }
    cases.push(normaliseCase(raw, source, `line ${i + 1}`, ignored));
  });
  return cases;
}

/**
 * Reads case files (by extension: .jsonl/.ndjson/.json as JSON Lines, otherwise YAML); ids must be unique across all.
 * Keys of dataset lines that eval does not use are reported once through `warn` (one line for all files).
 */
export function loadCases(files: Array<{ path: string; display: string }>, warn?: (line: string) => void): EvalCase[] {
  const ignored = new Set<string>();
  const all: EvalCase[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new OpsctlError('input', `cannot read ${f.display}${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : ''}`, 'pass case files (YAML or JSON Lines), e.g. opsctl eval eval/alb.yaml');
    }
    const cases = /\.(jsonl|ndjson|json)$/i.test(f.path) ? parseJsonlCases(text, f.display, ignored) : parseYamlCases(text, f.display);
    for (const c of cases) {
      const prev = seen.get(c.id);
      if (prev) throw new OpsctlError('input', `${f.display}: case "${c.id}" is defined twice (also in ${prev})`, 'case ids must be unique');
      seen.set(c.id, f.display);
      all.push(c);
    }
  }
  if (!all.length) throw new OpsctlError('input', 'no eval cases found', 'pass case files with at least one case');
  if (ignored.size) warn?.(`opsctl eval: ignoring keys eval does not use: ${[...ignored].sort().join(', ')}`);
  return all;
}
