import type { IndexResult } from '../core/runbooks/indexer.js';
import type { StaleIndex } from '../core/runbooks/last-good.js';

export function indexSummary(r: IndexResult, indexDir: string, ms: number): string {
  const lines: string[] = [];
  const what = r.upToDate
    ? 'up to date'
    : `${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${r.embedded} sections embedded`;
  lines.push(`indexed ${r.files} files, ${r.sections} sections (${what}), ${r.skipped.length} skipped, ${ms} ms → ${indexDir} [${r.embedder}]`);
  for (const s of r.skipped) lines.push(`  skipped ${s.path}: ${s.reason}`);
  for (const w of r.warnings) lines.push(`  warning ${w.file}: ${w.message}`);
  return `${lines.join('\n')}\n`;
}

/** `opsctl index --json`: schema opsctl.index/v1. */
export function indexJson(r: IndexResult, indexDir: string, ms: number) {
  return {
    schema: 'opsctl.index/v1',
    indexDir,
    embedder: r.embedder,
    files: r.files,
    sections: r.sections,
    upToDate: r.upToDate,
    added: r.added,
    changed: r.changed,
    removed: r.removed,
    embedded: r.embedded,
    skipped: r.skipped.map(({ path, reason }) => ({ path, reason })),
    warnings: r.warnings,
    ms,
  };
}

/** One stderr line: the answer below comes from an index that could not be updated, why, and the fix. */
export function staleNotice(s: StaleIndex): string {
  const when = s.updatedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `opsctl: warning: answering from the last good index (updated ${when}); ${s.reason.replace(/\s+/g, ' ')} — ${s.fix}\n`;
}
