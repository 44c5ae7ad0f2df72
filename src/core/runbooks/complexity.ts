// The Markdown parser (micromark, under remark) takes quadratic time on a few shapes that no real runbook has:
// 10,000 setext headings took 122 s, `*_` nested 20,000 deep 84 s, a 1 MB nested list over 30 s, all while the
// index lock was held. One linear pass over the lines measures those shapes; a file past a limit is skipped with
// the reason instead of parsed. The limits are far above real runbooks (the largest of ~800 public ones has
// fewer than 100 headings) and each keeps the parse of a file under ~0.5 s here.

/** Setext headings ("Title" over a line of === or ---) per file: 1,000 parse in ~0.4 s, 2,000 in 1.5 s. */
export const MAX_SETEXT = 1_000;
/** `*` and `_` characters in one paragraph (emphasis delimiters): 4,000 parse in ~0.2 s, 40,000 in 84 s. */
export const MAX_DELIMITERS = 4_000;
/** Σ over list items of their nesting depth below the top level: 10,000 parse in ~0.5 s, 36,000 in 3 s. */
export const MAX_NESTED_LIST_WORK = 10_000;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]|$)/;

/** Leading whitespace width, tabs to the next multiple of 4 (as CommonMark counts them). */
function indentOf(ws: string): number {
  let w = 0;
  for (const c of ws) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

/**
 * Why `text` is too complex to parse in reasonable time ("12,000 setext headings > 1,000"), or undefined. Linear in
 * the length of the text. Fenced code is not Markdown to the parser and is not counted.
 */
export function tooComplex(text: string): string | undefined {
  let fence: string | undefined;
  let setext = 0;
  let delimiters = 0;
  let maxDelimiters = 0;
  let nestedWork = 0;
  let prevBlank = true;
  let prevText = false;
  // Indents of the list items that enclose the current line: its nesting depth is their number.
  const listIndents: number[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const blank = line.trim() === '';
    const f = FENCE.exec(line);
    if (fence !== undefined) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      prevText = false;
      continue;
    }
    if (blank) {
      delimiters = 0;
      prevBlank = true;
      prevText = false;
      continue;
    }
    if (prevText && SETEXT.test(line)) setext++;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 42 || c === 95) delimiters++;
    }
    if (delimiters > maxDelimiters) maxDelimiters = delimiters;
    const item = LIST_ITEM.exec(line);
    const indent = indentOf(/^[ \t]*/.exec(line)![0]);
    if (item) {
      while (listIndents.length && listIndents[listIndents.length - 1] >= indent) listIndents.pop();
      nestedWork += listIndents.length;
      listIndents.push(indent);
    } else if (prevBlank && indent === 0) {
      listIndents.length = 0;
    }
    prevBlank = false;
    prevText = !item;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  if (setext > MAX_SETEXT) return `${n(setext)} setext headings > ${n(MAX_SETEXT)}`;
  if (maxDelimiters > MAX_DELIMITERS) return `${n(maxDelimiters)} emphasis delimiters (* and _) in one paragraph > ${n(MAX_DELIMITERS)}`;
  if (nestedWork > MAX_NESTED_LIST_WORK) return `nested lists too deep and long (work ${n(nestedWork)} > ${n(MAX_NESTED_LIST_WORK)})`;
  return undefined;
}
