import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTerminalSafe, safeJson, sanitizeForTerminal, streamSanitizer } from '../../../src/core/safety/sanitize.js';

const ESC = '\x1b';
const BEL = '\x07';
/** Attacks seen in model output, runbooks and logs: each must reach a terminal inert. */
const ATTACKS = {
  'OSC 52 (writes the clipboard)': `${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=${BEL}`,
  'OSC 8 (hidden link)': `${ESC}]8;;https://evil.example/${ESC}\\click here${ESC}]8;;${ESC}\\`,
  'OSC 0 (window title)': `${ESC}]0;pwned${BEL}`,
  'ESC[8m (hides what follows)': `${ESC}[8m`,
  'DCS': `${ESC}P1$r0m${ESC}\\`,
  'C1 CSI (8-bit)': '\u009b8m',
  'C1 OSC (8-bit)': '\u009d0;title\u009c',
  'cursor up + erase line': `${ESC}[1A${ESC}[2K`,
  'carriage return overwrite': 'rm -rf /tmp/cache\rls -la           ',
  'backspaces': 'safe\b\b\b\bevil',
  'bidi override': 'echo \u202eexe.nioj\u202c',
};
// eslint-disable-next-line no-control-regex -- the property under test
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('sanitizeForTerminal', () => {
  it.each(Object.entries(ATTACKS))('defuses %s', (_name, attack) => {
    const out = sanitizeForTerminal(`before ${attack} after`);
    expect(out).not.toMatch(CONTROL);
    expect(out).not.toContain('\r');
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
    expect(isTerminalSafe(out)).toBe(true);
  });

  it('makes the escape visible instead of silently dropping it', () => {
    expect(sanitizeForTerminal(`${ESC}]0;pwned${BEL}`)).toBe('␛]0;pwned␇');
    expect(sanitizeForTerminal('\u009b8m')).toBe('<U+009B>8m');
  });

  it('keeps newlines and tabs, turns CRLF into a newline, and leaves ordinary Unicode alone', () => {
    expect(sanitizeForTerminal('a\tb\r\nc\nd — ✓ ⚠ [1] café')).toBe('a\tb\nc\nd — ✓ ⚠ [1] café');
  });
});

describe('streamSanitizer', () => {
  it('an escape split across two deltas does not pass', () => {
    const s = streamSanitizer();
    const out = s.push('answer ') + s.push(ESC) + s.push(']52;c;ZXZpbA==') + s.push(BEL) + s.push(' end\r') + s.push('\nnext') + s.end();
    expect(out).toBe('answer ␛]52;c;ZXZpbA==␇ end\nnext');
  });

  it('any split of any text gives the same bytes as sanitising it whole (property)', () => {
    const alphabet = fc.constantFrom('a', ' ', '\n', '\t', '\r', ESC, BEL, '[', ']', '8', 'm', '\u009b', '\u202e', '✓');
    fc.assert(
      fc.property(fc.array(fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join('')), { maxLength: 12 }), (deltas) => {
        const s = streamSanitizer();
        const out = deltas.map((d) => s.push(d)).join('') + s.end();
        expect(out).toBe(sanitizeForTerminal(deltas.join('')));
        expect(out).not.toMatch(CONTROL);
      }),
      { numRuns: 500 },
    );
  });
});

describe('safeJson', () => {
  it('escapes C0, C1 and bidi controls (JSON.stringify leaves C1 raw) and round-trips', () => {
    const value = { answer: `x${ESC}]52;c;AA==${BEL}\u009b8m\u202e` };
    const text = safeJson(value);
    expect(JSON.stringify(value)).toContain('\u009b'); // why safeJson exists
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('\\u001b]52');
    expect(text).toContain('\\u009b8m');
    expect(JSON.parse(text)).toEqual(value);
  });
});
