#!/usr/bin/env node
// Rewrites BENCHMARKS.md from bench/results/*.json. bench/run-all.mjs calls it after the benchmarks; run it alone to
// re-render without re-measuring. Usage: node bench/write-benchmarks.mjs [--results DIR] [--out FILE]
// Text below the NOTES marker in the existing file is kept, so hand-written analysis survives a re-run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOTES = '<!-- Notes below this line are kept when bench/run-all.mjs rewrites the file. -->';

/** Targets from the issues; `at` reads the measured value from a result file. */
const SECTIONS = [
  {
    file: 'retrieval.json',
    title: 'Retrieval (dev set ../shared/data/runbooks, 221 queries, 380 files)',
    note: 'Plain BM25 over whole files (the README baseline): R@1 0.688, R@5 0.891, MRR@10 0.775.',
    rows: [
      ['Recall@1', (r) => r.quality?.recallAt1, '≥', 0.8],
      ['Recall@5', (r) => r.quality?.recallAt5, '≥', 0.97],
      ['MRR@10', (r) => r.quality?.mrrAt10, '≥', 0.88],
      ['MRR@10, mean over 5 LSA seeds (noise: see notes)', (r) => r.seedSpread?.mrrAt10.mean],
      ['MRR@10, lowest of those seeds', (r) => r.seedSpread?.mrrAt10.min],
      ['MRR@10, highest of those seeds', (r) => r.seedSpread?.mrrAt10.max],
      ['`opsctl ask` cold, index built (ms, median)', (r) => r.askColdMs, '≤', 300],
      ['floor: bare `node -e \'\'` start, same runs (ms, median)', (r) => r.bareNodeMs],
      ['full index of 380 files (ms, median)', (r) => r.indexBuildMs, '≤', 5000],
      ['re-index, nothing changed (ms, median)', (r) => r.reindexUnchangedMs, '≤', 500],
    ],
  },
  {
    file: 'logs.json',
    title: 'logs reduce (../shared/data/loghub)',
    rows: [
      ['BGL_2k category recall @5%', (r) => r.quality?.['5%']?.bglCategoryRecall, '≥', 0.92],
      ['BGL_2k category recall @10%', (r) => r.quality?.['10%']?.bglCategoryRecall, '≥', 1],
      ['HDFS_2k anomalous-block recall @5%', (r) => r.quality?.['5%']?.hdfsBlockRecall, '≥', 0.4],
      ['budget respected (share of runs)', (r) => r.budget?.rate, '≥', 1],
      ['throughput, generated log of `--lines` lines (lines/s; last run 15M lines, 2.2 GB)', (r) => r.speed?.linesPerSecond, '≥', 200000],
      ['peak RSS (MB)', (r) => r.speed?.peakRssMB, '≤', 300],
    ],
  },
  {
    file: 'logs-heldout.json',
    title: 'logs reduce, held-out systems (synthetic Zookeeper, Hadoop, Spark, Linux, Mac, Android, HPC, Proxifier, OpenSSH, HealthApp; episodes injected; 5% of tokens)',
    note: 'Command: `npm run build && node bench/logs-heldout.mjs` (20,000 lines per system, 3 seeds, 8 episodes per log). An episode counts as found when one of its lines is kept. Skew: one file of 60,000 lines with 16 episodes next to nine small logs, budget 5% of all of them.',
    rows: [
      ['episode recall, overall', (r) => r.recall?.overall, '≥', 0.92],
      ['episode recall, latency-only (a number far above its template\'s range)', (r) => r.recall?.latency, '≥', 0.6],
      ['episode recall, order-only (two session steps swapped)', (r) => r.recall?.order, '≥', 0.6],
      ['episode recall, new error line', (r) => r.recall?.error],
      ['episode recall, burst', (r) => r.recall?.burst],
      ['skewed multi-file: big file recall kept (multi / single)', (r) => r.skew?.kept, '≥', 0.9],
      ['runs over budget', (r) => r.overBudget, '≤', 0],
    ],
  },
  {
    file: 'eval.json',
    title: '`opsctl eval` on the bundled cases (eval/*.yaml against runbooks/)',
    note: 'Targets are the gate thresholds of the command (`npm run eval:gate`, the last step of `npm test`). Latency is retrieval per query on an open index: the median over runs of each run\'s percentile.',
    // Third element: the metric a gate names; that gate's threshold is the target.
    gated: true,
    rows: [
      ['file Recall@1', (r) => r.report?.summary?.files?.recallAt1, 'files.recallAt1'],
      ['file Recall@5', (r) => r.report?.summary?.files?.recallAt5, 'files.recallAt5'],
      ['file MRR@10', (r) => r.report?.summary?.files?.mrrAt10, 'files.mrrAt10'],
      ['section Recall@1', (r) => r.report?.summary?.sections?.recallAt1, 'sections.recallAt1'],
      ['section Recall@5', (r) => r.report?.summary?.sections?.recallAt5, 'sections.recallAt5'],
      ['refusal precision', (r) => r.report?.summary?.refusal?.precision, 'refusal.precision'],
      ['refusal recall', (r) => r.report?.summary?.refusal?.recall, 'refusal.recall'],
      ['citation validity', (r) => r.report?.summary?.citations?.validity, 'citations.validity'],
      ['required-term coverage (top K retrieved sections)', (r) => r.report?.summary?.requiredTermCoverage, 'requiredTermCoverage'],
      ['latency p50 (ms)', (r) => r.latencyMs?.p50, 'latencyMs.p50'],
      ['latency p95 (ms)', (r) => r.latencyMs?.p95, 'latencyMs.p95'],
    ],
  },
  {
    file: 'index-800.json',
    title: 'Speed at 800 files (both dev collections, replicated; issue 12 item 5) and the checksum cost (issue 17)',
    note: 'Command: `npm run build && node bench/index-800.mjs` (each step a new `opsctl` process; the floor is a bare `node -e \'\'` start alternated with them). The two dev collections hold 382 Markdown files, so they are replicated into distinct copies (prose and heading lines of copy k get a " ck" suffix, so no section is deduplicated away) up to 800 files. CPU time is user + system of the process, less sensitive than wall time to the other jobs on the shared machine. Checksum cost: loading node:zlib and the CRC-32 of every part a cold `ask` reads, in a new process each time.',
    rows: [
      ['files / sections', (r) => (r.files ? `${r.files} / ${r.sections}` : undefined)],
      ['full index, wall (ms, median of 3)', (r) => r.fullIndexMs, '≤', 5000],
      ['full index, CPU (ms, median of 3)', (r) => r.fullIndexCpuMs],
      ['full index, peak RSS (MB)', (r) => r.fullIndexPeakRssMb, '≤', 300],
      ['re-index, nothing changed, wall (ms, median)', (r) => r.reindexUnchangedMs, '≤', 300],
      ['`opsctl ask` cold, wall (ms, median)', (r) => r.askColdMs],
      ['floor: bare `node -e \'\'` start, same runs (ms, median)', (r) => r.bareNodeMs],
      ['cold `ask` ÷ bare Node start', (r) => r.askColdOverBare, '≤', 2.5],
      ['checksums on a cold `ask`, loading node:zlib included (ms, median)', (r) => r.checksumMsColdAsk, '≤', 5],
      ['bytes checksummed on a cold `ask`', (r) => r.checksummedBytes],
      ['reading those parts (ms, median, for scale)', (r) => r.readPartsMsColdAsk],
      ['1-minute load average at start / end', (r) => (r.loadAtStart === undefined ? undefined : `${r.loadAtStart} / ${r.loadAtEnd}`)],
    ],
  },
  {
    file: 'llm-overhead.json',
    title: 'LLM prompt overhead (`ask --llm ollama` against a loopback Ollama, index built)',
    note: 'The floor is a bare `node -e "fetch(...)"` process posting to the same server: Node start-up plus loading its fetch (undici), which the official `ollama` client needs. Prompt tokens are for the eval questions that reach the LLM.',
    rows: [
      ['command start → first request at the backend (ms, median of cold runs)', (r) => r.overhead?.startToRequestMsMedian, '≤', 150],
      ['same, slowest run (ms)', (r) => r.overhead?.startToRequestMsMax],
      ['floor: bare node process → same request (ms, median)', (r) => r.overhead?.bareNodeToRequestMsMedian],
      ['what opsctl adds over the floor (ms, median)', (r) => r.overhead?.opsctlAddsMsMedian],
      ['command start → first answer byte on stdout (ms, median)', (r) => r.overhead?.startToFirstOutputMsMedian],
      ['whole command (ms, median)', (r) => r.overhead?.totalMsMedian],
      ['prompt tokens, median (estimateTokens)', (r) => r.prompt?.tokensMedian],
      ['prompt tokens, p90 / max', (r) => (r.prompt ? `${r.prompt.tokensP90} / ${r.prompt.tokensMax}` : undefined)],
      ['sections per prompt (median)', (r) => r.prompt?.sectionsMedian],
      ['1-minute load average while measuring', (r) => r.loadAverage],
    ],
  },
];

function fmt(v) {
  if (v === undefined || v === null) return 'n/a';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) || Math.abs(v) >= 100) return Math.round(v).toLocaleString('en');
  return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
}
const fmtTarget = (t) => (t >= 1000 ? t.toLocaleString('en') : String(t));
const verdict = (v, op, target) => (op === undefined ? '' : typeof v !== 'number' ? 'not measured' : (op === '≥' ? v >= target : v <= target) ? 'pass' : 'FAIL');

/** Numeric and string leaves of a result, as dotted paths (for result files with no known layout). */
function leaves(obj, prefix = '') {
  if (obj === null || typeof obj !== 'object') return [[prefix, obj]];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Fields of an unknown result file tabled one per row; above this, BENCHMARKS.md points at the file instead. */
const GENERIC_MAX_ROWS = 40;

function table(section, result) {
  const lines = ['| metric | measured | target | result |', '|---|---|---|---|'];
  if (section.generic) {
    const [pattern, op, target] = section.target ?? [/$^/];
    for (const [k, v] of leaves(result).filter(([k]) => k !== 'machine' && !k.startsWith('machine.'))) {
      const gated = typeof v === 'number' && pattern.test(k);
      lines.push(`| ${k} | ${fmt(v)} | ${gated ? `${op} ${fmtTarget(target)}` : ''} | ${gated ? verdict(v, op, target) : ''} |`);
    }
    return lines;
  }
  for (const row of section.rows) {
    const [name, at] = row;
    let [, , op, target] = row;
    if (section.gated) {
      const gate = result.report?.gates?.find((g) => g.metric === row[2]);
      [op, target] = gate ? [gate.gate.startsWith('--max') ? '≤' : '≥', gate.threshold] : [undefined, undefined];
    }
    const v = at(result);
    const shown = / \(ms/.test(name) && typeof v === 'number' && v < 100 ? v.toFixed(1) : fmt(v);
    lines.push(`| ${name} | ${shown} | ${op ? `${op} ${fmtTarget(target)}` : ''} | ${verdict(v, op, target)} |`);
  }
  return lines;
}

/** Renders BENCHMARKS.md from the run summary and the result files present in `resultsDir`. */
export function renderBenchmarks(resultsDir, previous = '') {
  const read = (f) => (existsSync(join(resultsDir, f)) ? JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) : undefined);
  const run = read('run-all.json') ?? { steps: [] };
  const m = run.machine ?? {};
  const out = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (`npm run build && node bench/run-all.mjs`) from bench/results/*.json; do not edit above the notes marker.',
    '',
    `Machine: ${m.cores ?? '?'} cores (${m.cpu ?? 'unknown CPU'}), ${m.memoryGB ?? '?'} GB memory, Node ${m.node ?? '?'}. Run ${m.date ?? 'at an unknown date'}.`,
    `Timings are medians of several runs (each script repeats its measurements).${m.loadAtStart === undefined ? '' : ` The machine is shared: 1-minute load average ${m.loadAtStart} at the start, ${m.loadAtEnd} at the end (2 cores: above 1, timings are inflated).`}`,
    '',
  ];
  const extra = run.steps.filter((s) => s.result && !SECTIONS.some((x) => x.file === s.result)).map((s) => ({ file: s.result, title: s.name, generic: true }));
  for (const section of [...SECTIONS, ...extra]) {
    const result = read(section.file);
    const step = run.steps.find((s) => s.result === section.file);
    if (!result && !step) continue;
    out.push(`## ${section.title}`, '');
    if (step) {
      const runs = step.runs > 1 ? `, run ${step.runs} times` : '';
      out.push(`Command: \`${step.command}\`${runs}${step.exitCode ? ` (exited ${step.exitCode})` : ''}${step.seconds !== undefined ? `; last run took ${step.seconds} s` : ''}.`, '');
    }
    if (!result) {
      out.push('No result file was written.', '');
      continue;
    }
    // A big result without a table of its own here is read in a hand-written section below: point at it rather than
    // dump every field of it (ranking.json alone is a thousand rows); small ones are still tabled field by field.
    if (section.generic && leaves(result).length > GENERIC_MAX_ROWS) {
      out.push(`Results: \`bench/results/${section.file}\`, read in the hand-written sections below the notes marker.`, '');
      continue;
    }
    out.push(...table(section, result), '');
    if (section.note) out.push(section.note, '');
  }
  const notesAt = previous.indexOf(NOTES);
  out.push(notesAt >= 0 ? previous.slice(notesAt).trimEnd() : NOTES);
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = process.argv.slice(2);
  const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
  const resultsDir = resolve(arg('--results', join(here, 'results')));
  const outFile = resolve(arg('--out', join(here, '../BENCHMARKS.md')));
  const previous = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  writeFileSync(outFile, renderBenchmarks(resultsDir, previous));
  console.error(`bench: wrote ${outFile}`);
}
