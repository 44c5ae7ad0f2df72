import type { Comparison, GateResult } from '../core/eval/report.js';
import type { CaseResult, EvalRun } from '../core/eval/run.js';
import type { CitationSummary } from '../core/eval/summary.js';

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const ms = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
const cited = (c: CitationSummary) => `${f3(c.validity)} (${c.valid}/${c.total})`;

/** What is wrong with one case, in words; empty when it passed every check. */
export function caseIssues(c: CaseResult): string[] {
  const out: string[] = [];
  if (c.mustRefuse) {
    if (!c.refused) out.push(`answered but should refuse (best relevance ${c.bestRelevance.toFixed(2)}; top: ${c.topFiles.slice(0, 2).join(', ')})`);
  } else {
    if (c.refused) out.push(`refused but should answer (best relevance ${c.bestRelevance.toFixed(2)})`);
    if (c.fileRank === 0) out.push(`expected file not ranked; got ${c.topFiles.slice(0, 3).join(', ')}`);
    else if (c.fileRank !== 1) out.push(`expected file at #${c.fileRank}; above it ${c.topFiles.slice(0, (c.fileRank ?? 1) - 1).join(', ')}`);
    if (c.fileRank !== 0 && (c.sectionRank === 0 || (c.sectionRank ?? 0) > 5)) out.push(c.sectionRank === 0 ? 'expected section not ranked' : `expected section at #${c.sectionRank}`);
    if (c.terms.missing.length) out.push(`missing terms: ${c.terms.missing.join(', ')}`);
  }
  for (const bad of c.citations.filter((x) => !x.valid)) out.push(`invalid citation ${bad.citation}: ${bad.reason}`);
  if (c.llm) {
    if (c.llm.refused !== c.mustRefuse) out.push(c.mustRefuse ? 'LLM answered but should refuse' : 'LLM refused but should answer');
    if (c.llm.faithfulness !== null && c.llm.faithfulness < 1) out.push(`LLM faithfulness ${c.llm.faithfulness.toFixed(2)}`);
    if (!c.mustRefuse && !c.llm.refused && c.llm.terms.missing.length) out.push(`LLM answer misses: ${c.llm.terms.missing.join(', ')}`);
    for (const bad of c.llm.citations.filter((x) => !x.valid)) out.push(`LLM invalid citation ${bad.citation}: ${bad.reason}`);
  }
  return out;
}

function caseLine(c: CaseResult, issues: string[]): string {
  const mark = issues.length ? '✗' : '✓';
  const what = c.mustRefuse ? (c.refused ? 'refused' : 'answered') : `file #${c.fileRank || '-'}  section #${c.sectionRank || '-'}`;
  const head = `  ${mark} ${c.id.padEnd(36)} ${what.padEnd(22)} ${ms(c.latencyMs)}`;
  return [head, ...issues.map((i) => `      ${i}`)].join('\n');
}

export interface EvalTextInput {
  run: EvalRun;
  runbooks: string;
  gates: GateResult[];
  comparison?: Comparison & { against: string };
  /** List every case, not only those with a problem. */
  verbose: boolean;
}

/** Plain-text report: per-case lines (problems only unless verbose), summary, comparison, gates. */
export function evalText(i: EvalTextInput): string {
  const { run } = i;
  const s = run.summary;
  const lines: string[] = [];
  lines.push(`opsctl eval: ${s.cases} cases (${s.answerable} answerable, ${s.mustRefuse} must refuse) against ${i.runbooks} (${run.index.files} files, ${run.index.sections} sections, ${run.index.embedder}${run.llm ? `, LLM ${run.llm}` : ''})`, '');
  const listed = run.cases.map((c) => ({ c, issues: caseIssues(c) })).filter((x) => i.verbose || x.issues.length);
  for (const { c, issues } of listed) lines.push(caseLine(c, issues));
  const clean = run.cases.length - run.cases.filter((c) => caseIssues(c).length).length;
  if (!i.verbose) lines.push(`  ${clean} of ${run.cases.length} cases passed every check${clean ? ' (--verbose lists them)' : ''}`);
  lines.push('', 'Summary', `  ${''.padEnd(20)} ${'R@1'.padStart(6)} ${'R@5'.padStart(6)} ${'MRR@10'.padStart(7)}   (${s.files.n} answerable cases)`);
  for (const [name, r] of [['files', s.files], ['sections', s.sections]] as const) {
    lines.push(`  ${name.padEnd(20)} ${f3(r.recallAt1).padStart(6)} ${f3(r.recallAt5).padStart(6)} ${f3(r.mrrAt10).padStart(7)}`);
  }
  for (const [name, g] of Object.entries(s.bySource ?? {})) {
    for (const [level, r] of [['files', g.files], ['sections', g.sections]] as const) {
      lines.push(`  ${`${name} ${level}`.slice(0, 20).padEnd(20)} ${f3(r.recallAt1).padStart(6)} ${f3(r.recallAt5).padStart(6)} ${f3(r.mrrAt10).padStart(7)}   (${r.n})`);
    }
  }
  lines.push(`  ${'refusals'.padEnd(20)} precision ${f3(s.refusal.precision)}, recall ${f3(s.refusal.recall)} (${s.refusal.correct} of ${s.mustRefuse} refused; ${s.refusal.refused} refusals in all)`);
  lines.push(`  ${'citations valid'.padEnd(20)} ${cited(s.citations)}`);
  lines.push(`  ${'required terms'.padEnd(20)} ${f3(s.requiredTermCoverage)} (in the retrieved sections; ${s.requiredTermMisses} of ${s.requiredTermCases} cases miss some)`);
  lines.push(`  ${'latency'.padEnd(20)} p50 ${ms(s.latencyMs.p50)}, p95 ${ms(s.latencyMs.p95)} (retrieval per query, index open)`);
  if (s.llm) {
    lines.push(`  ${'LLM faithfulness'.padEnd(20)} ${f3(s.llm.faithfulness)} (share of answer sentences supported by a cited section)`);
    lines.push(`  ${'LLM required terms'.padEnd(20)} ${f3(s.llm.requiredTermCoverage)}`);
    lines.push(`  ${'LLM citations valid'.padEnd(20)} ${cited(s.llm.citations)}`);
    lines.push(`  ${'LLM refusals'.padEnd(20)} precision ${f3(s.llm.refusal.precision)}, recall ${f3(s.llm.refusal.recall)}`);
  }
  if (i.comparison) {
    lines.push('', `Compared with ${i.comparison.against}`);
    for (const d of i.comparison.deltas) {
      const delta = d.delta === null ? '' : `${d.delta >= 0 ? '+' : ''}${d.delta.toFixed(3)}`;
      lines.push(`  ${d.metric.padEnd(26)} ${f3(d.previous).padStart(8)} → ${f3(d.current).padStart(8)}  ${delta.padStart(7)}  ${d.change === 'same' || d.change === 'unknown' ? '' : d.change}`.trimEnd());
    }
    if (i.comparison.newlyMissed.length) lines.push(`  now missed at 5: ${i.comparison.newlyMissed.join(', ')}`);
    if (i.comparison.newlyFound.length) lines.push(`  now found at 5: ${i.comparison.newlyFound.join(', ')}`);
  }
  if (i.gates.length) {
    lines.push('', 'Gates');
    for (const g of i.gates) lines.push(`  ${g.pass ? '✓' : '✗'} ${g.gate} ${g.threshold}: ${g.actual === null ? 'not measured' : g.metric.startsWith('latency') ? ms(g.actual) : f3(g.actual)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One stderr line per failed gate, for CI logs. */
export function gateFailures(gates: GateResult[]): string {
  return gates
    .filter((g) => !g.pass)
    .map((g) => `opsctl eval: gate failed: ${g.metric} ${g.actual === null ? 'was not measured' : `= ${Number(g.actual.toFixed(4))}`}, ${g.gate} ${g.threshold}\n`)
    .join('');
}
