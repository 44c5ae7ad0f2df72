import type { Diagnosis } from '../core/diagnose/diagnose.js';

const indent = (text: string, pad: string) => text.split('\n').map((l) => `${pad}${l}`).join('\n');

/** Plain-text diagnosis (no escape codes): what failed, the fix, the evidence lines, runbooks and next steps. */
export function diagnoseText(d: Diagnosis): string {
  const out: string[] = [];
  const how = d.llm.used ? `by ${d.llm.id}` : 'heuristic';
  if (d.evidence.length === 0) {
    out.push(`No evidence of a failure in ${d.reduced.inputLines} lines (kept ${d.reduced.kept} after reduction).`);
    return `${out.join('\n')}\n`;
  }
  out.push(`Category: ${d.category} (${how}) · severity ${d.severity}`);
  out.push(`Root cause: ${d.root_cause}`);
  out.push(`Fix: ${d.fix}`);
  if (d.yaml_patch) out.push('YAML patch:', indent(d.yaml_patch, '    '));
  if (d.components.length) out.push(`Components: ${d.components.join(', ')}`);
  out.push('', 'Evidence:');
  for (const e of d.evidence) out.push(`  ${e.source}:${e.lines}`, indent(e.text, '    '));
  if (d.llm.rejectedEvidence?.length) {
    out.push('', `Dropped ${d.llm.rejectedEvidence.length} evidence item(s) from the model that do not match the log:`);
    for (const r of d.llm.rejectedEvidence) out.push(`  ${r.source}:${r.lines} (${r.reason})`);
  }
  out.push('', 'Runbooks:');
  if (d.runbooks.length === 0) out.push('  (none relevant)');
  for (const r of d.runbooks) out.push(`  ${r.citation}  (relevance ${r.relevance.toFixed(2)})`);
  if (d.next_steps.length) {
    out.push('', 'Next steps:');
    d.next_steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  }
  const g = d.grounding;
  if (g && !g.ok) {
    out.push('');
    // Plain text: the caller adds colour to the ✗ lines on a terminal.
    for (const c of g.destructive) out.push(`✗ DESTRUCTIVE, not in the log or the matched runbooks: ${c}`);
    if (g.notInSources.length) out.push('⚠ unsupported (check these against the runbook before acting):');
    for (const c of g.notInSources) out.push(`  - not in the log or the matched runbooks: \`${c}\``);
  }
  if (g?.injections.length) out.push('', `⚠ text addressed to the model in the log or the runbooks (possible prompt injection): "${g.injections[0]}"`);
  if (d.llm.error) out.push('', `LLM not used: ${d.llm.error}`);
  out.push('', `Reduced ${d.reduced.inputLines} lines to ${d.reduced.kept} (${d.reduced.used}/${d.reduced.budget} tokens).`);
  return `${out.join('\n')}\n`;
}
