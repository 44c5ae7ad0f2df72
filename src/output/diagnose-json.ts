import type { Diagnosis } from '../core/diagnose/diagnose.js';
import type { Evidence, RejectedEvidence } from '../core/diagnose/evidence.js';
import type { DiagnosisGrounding } from '../core/diagnose/grounding.js';
import type { RunbookRef } from '../core/diagnose/runbooks.js';

/** `opsctl diagnose --json` (documented in README: "diagnose JSON"). */
export interface DiagnoseJsonV1 {
  schema: 'opsctl.diagnose/v1';
  /** dependency | permission | timeout | oom | config | test-failure | network | unknown (heuristic). */
  category: string;
  root_cause: string;
  fix: string;
  yaml_patch?: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  components: string[];
  /** Every item points at kept lines: `lines` is "a-b" in `source`. */
  evidence: Evidence[];
  next_steps: string[];
  runbooks: RunbookRef[];
  /** used: the diagnosis came from the model; error: why it did not when one was asked for. */
  llm: { used: boolean; model?: string; error?: string; rejected_evidence?: RejectedEvidence[] };
  reduced: { kept: number; inputLines: number; budget: number; used: number };
  /** Added (still v1, --llm only): the model's commands checked against the log and the runbooks; exit 13 when ungrounded. */
  grounding?: DiagnosisGrounding;
}

export function diagnoseJson(d: Diagnosis): DiagnoseJsonV1 {
  return {
    schema: 'opsctl.diagnose/v1',
    category: d.category,
    root_cause: d.root_cause,
    fix: d.fix,
    ...(d.yaml_patch ? { yaml_patch: d.yaml_patch } : {}),
    severity: d.severity,
    components: d.components,
    evidence: d.evidence,
    next_steps: d.next_steps,
    runbooks: d.runbooks.map(({ text: _text, ...r }) => r),
    llm: {
      used: d.llm.used,
      ...(d.llm.id ? { model: d.llm.id } : {}),
      ...(d.llm.error ? { error: d.llm.error } : {}),
      ...(d.llm.rejectedEvidence ? { rejected_evidence: d.llm.rejectedEvidence } : {}),
    },
    reduced: d.reduced,
    ...(d.grounding ? { grounding: d.grounding } : {}),
  };
}
