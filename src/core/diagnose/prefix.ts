/** A GitHub "job\tstep\t" prefix and a leading ISO timestamp, which hide where a line really starts. */
const PREFIX = /^(?:[^\t\n]{1,120}\t[^\t\n]{0,200}\t)?(?:\uFEFF)?(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?)?/;

/** A log line without its runner prefix and timestamp. */
export function bareLine(text: string): string {
  return text.replace(PREFIX, '');
}

