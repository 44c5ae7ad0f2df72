export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
}

/** A hunk separator standing for unchanged lines that were folded away. */
export interface DiffGap {
  kind: 'gap';
  count: number;
}

/**
 * Line diff by longest common subsequence. Runbooks are a few hundred lines, so the O(n·m) table is small;
 * past ~4M cells it degrades to "all removed, all added" rather than stall the terminal.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) return [...a.map((text) => ({ kind: 'del' as const, text })), ...b.map((text) => ({ kind: 'add' as const, text }))];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] });
      i += 1;
      j += 1;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: 'del', text: a[i++] });
    else out.push({ kind: 'add', text: b[j++] });
  }
  while (i < n) out.push({ kind: 'del', text: a[i++] });
  while (j < m) out.push({ kind: 'add', text: b[j++] });
  return out;
}

/** Keeps `context` unchanged lines around each change and folds the rest into gaps. */
export function foldDiff(lines: DiffLine[], context = 2): Array<DiffLine | DiffGap> {
  const near = lines.map(() => false);
  lines.forEach((l, idx) => {
    if (l.kind === 'same') return;
    for (let k = Math.max(0, idx - context); k <= Math.min(lines.length - 1, idx + context); k += 1) near[k] = true;
  });
  const out: Array<DiffLine | DiffGap> = [];
  let gap = 0;
  lines.forEach((l, idx) => {
    if (near[idx]) {
      if (gap) out.push({ kind: 'gap', count: gap });
      gap = 0;
      out.push(l);
    } else gap += 1;
  });
  if (gap) out.push({ kind: 'gap', count: gap });
  return out;
}

/** Counts of added and removed lines, for a one-line summary. */
export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.kind === 'add').length, removed: lines.filter((l) => l.kind === 'del').length };
}
