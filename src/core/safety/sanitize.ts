/**
 * The one terminal sanitiser for untrusted text (model output, runbook text, log lines, AWS strings, what the
 * user typed) on its way to a terminal.
 *
 * Why "make visible" rather than "strip": a terminal acts on control characters. ESC (and the 8-bit C1
 * introducers CSI U+009B, OSC U+009D, DCS U+0090...) start sequences that write the clipboard (OSC 52), set the
 * window title (OSC 0), plant hidden links (OSC 8) or hide the text after them (ESC[8m). Replacing the
 * introducer with a printable picture (ESC → ␛) defuses every such sequence at once, without having to parse
 * where it ends, and shows the reader that something was there. Because the mapping is per character, it is
 * also safe on a stream cut at any point: half a sequence in one delta cannot combine with the next.
 * Kept as is: `\n` and `\t`. `\r\n` becomes `\n`; a lone `\r` (which would let text overwrite its own line)
 * becomes ␍. Bidirectional overrides (which reorder what a command appears to say) are shown as <U+202E>.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, visible);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (Unicode control pictures)
  if (code === 0x7f) return '\u2421'; // ␡
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** True when `text` holds nothing the sanitiser would change. */
export function isTerminalSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !UNSAFE.test(text) && !text.includes('\r');
}

/**
 * A sanitiser for streamed text (LLM deltas). Each character is mapped on its own, so a sequence split across
 * deltas cannot pass; only a trailing `\r` is held back one delta, to turn `\r` + `\n` into a plain newline.
 */
export function streamSanitizer(): { push(delta: string): string; end(): string } {
  let held = '';
  return {
    push(delta) {
      const text = held + delta;
      held = text.endsWith('\r') ? '\r' : '';
      return sanitizeForTerminal(held ? text.slice(0, -1) : text);
    },
    end() {
      const rest = held;
      held = '';
      return sanitizeForTerminal(rest);
    },
  };
}

// JSON.stringify escapes C0 controls but writes DEL, C1 controls and bidi overrides raw; a terminal showing
// the JSON would act on them.
const JSON_RAW = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text for stdout with every control character escaped: JSON.stringify's output, plus \uXXXX escapes for
 * what it leaves raw (these characters can only occur inside strings, where the escape means the same).
 */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
