import { readFileSync } from 'node:fs';
import { reportIncident } from '../../src/core/incidents/report.js';
import { resolveIncident } from '../../src/core/incidents/resolve.js';
import type { IncidentStore } from '../../src/core/ports.js';

export interface DedupLine {
  phase: number;
  kind: 'report' | 'resolve';
  service?: string;
  failure: string;
  at?: string;
  text?: string;
  resolution?: string;
}

export interface DedupScore {
  reports: number;
  failures: number;
  services: number;
  precision: number;
  recall: number;
  /** Resolved failures whose first later report came back as a regression of an incident of that failure. */
  regressionsCaught: number;
  regressionsExpected: number;
  misses: string[];
}

export function readDedupSet(path: string): DedupLine[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as DedupLine);
}

/**
 * Replays a labelled set into a store at `threshold` and scores it: pairwise precision and recall of "same
 * incident" (a regression counts as the incident it came back from) against "same failure" labels, and the
 * regressions caught. A resolve line resolves the open incidents holding reports of that failure.
 */
export async function scoreDedup(store: IncidentStore, lines: DedupLine[], threshold: number): Promise<DedupScore> {
  const root = new Map<number, number>();
  const labelsOf = new Map<number, string[]>();
  const predicted: Array<{ label: string; cluster: number }> = [];
  const pending = new Set<string>();
  const misses: string[] = [];
  let caught = 0;
  let expected = 0;
  for (const l of lines) {
    if (l.kind === 'resolve') {
      pending.add(l.failure);
      expected++;
      for (const [id, labels] of labelsOf) {
        const inc = await store.get(id);
        if (inc?.status === 'open' && labels.includes(l.failure)) await resolveIncident(store, id, { text: l.resolution ?? 'fixed', by: 'dedup-set', at: new Date(l.at ?? Date.now()) });
      }
      continue;
    }
    const r = await reportIncident(store, { service: l.service!, text: l.text!, source: 'ingest', who: 'dedup-set', at: new Date(l.at!), threshold });
    const id = r.incident.id;
    if (r.status !== 'existing') root.set(id, r.previous ? root.get(r.previous.id) ?? r.previous.id : id);
    labelsOf.set(id, [...(labelsOf.get(id) ?? []), l.failure]);
    predicted.push({ label: l.failure, cluster: root.get(id) ?? id });
    if (pending.has(l.failure)) {
      pending.delete(l.failure);
      const prevLabels = r.previous ? labelsOf.get(r.previous.id) ?? [] : [];
      if (r.status === 'regression' && prevLabels.includes(l.failure)) caught++;
      else misses.push(`${l.failure}: ${r.status}`);
    }
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    for (let j = i + 1; j < predicted.length; j++) {
      const same = predicted[i].label === predicted[j].label;
      const together = predicted[i].cluster === predicted[j].cluster;
      if (same && together) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  }
  const reports = lines.filter((l) => l.kind === 'report');
  return {
    reports: reports.length,
    failures: new Set(reports.map((l) => l.failure)).size,
    services: new Set(reports.map((l) => l.service)).size,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    regressionsCaught: caught,
    regressionsExpected: expected,
    misses,
  };
}
