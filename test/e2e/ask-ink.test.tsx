import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Hit, SearchResult } from '../../src/core/runbooks/search.js';
import type { StoredSection } from '../../src/core/runbooks/store.js';
import { AskResult } from '../../src/ui/components/AskResult.js';
import { defaultDeps } from '../../src/cli/deps.js';
import { runCli } from '../../src/cli/run.js';
import { makeIo, MINI_RUNBOOKS, tempDirs } from '../helpers/cli.js';

const section: StoredSection = {
  label: 3,
  hash: 'h',
  title: 'Kafka consumer group lag growing',
  headingPath: ['Remediation'],
  text: '## Remediation\n\nConsumers fall behind when one instance is stuck.\n\n1. Restart the stuck consumer instance.\n2. Scale consumers up to the number of partitions.',
  sources: [
    { file: 'kafka-consumer-lag.md', startLine: 22, endLine: 27, headingPath: ['Remediation'] },
    { file: 'team-b/kafka-copy.md', startLine: 5, endLine: 10, headingPath: ['Remediation'] },
  ],
  meta: 'kafka consumer lag',
};
const hit: Hit = { section, score: 0.8, files: section.sources.map((s) => ({ file: s.file, score: 0.8 })), relevance: 0.71, lexical: 1, dense: 0.64, matched: ['kafka', 'consumer', 'lag'] };

describe('AskResult (Ink)', () => {
  it('shows the citation, the twin source, why it matched, and the steps before the context', () => {
    const result: SearchResult = { query: 'kafka consumer lag', hits: [hit], noMatch: false, best: 0.71 };
    const app = render(<AskResult result={result} root="runbooks" minScore={0.3} />);
    const frame = app.lastFrame() ?? '';
    app.unmount();
    expect(frame).toContain('[1] runbooks/kafka-consumer-lag.md:22-27 › Remediation');
    expect(frame).toContain('also: runbooks/team-b/kafka-copy.md:5-10 › Remediation');
    expect(frame).toContain('why: words "kafka", "consumer", "lag"; meaning 0.64; relevance 0.71');
    expect(frame.indexOf('1. Restart the stuck consumer')).toBeGreaterThan(-1);
    expect(frame.indexOf('1. Restart the stuck consumer')).toBeLessThan(frame.indexOf('Consumers fall behind'));
    expect(frame).not.toContain('## Remediation'); // the citation carries the heading
  });

  it('folds sections past the per-file limit into "more in this file", headings sanitised', () => {
    const other = (label: number, heading: string, line: number): Hit => ({
      ...hit,
      section: { ...section, label, headingPath: [heading], sources: [{ file: 'kafka-consumer-lag.md', startLine: line, endLine: line + 3, headingPath: [heading] }] },
      rank: label,
    });
    const result: SearchResult = { query: 'kafka consumer lag', hits: [{ ...hit, rank: 1 }], collapsed: [other(2, 'Verify\x1b[2J', 30), other(3, 'Escalate', 40)], noMatch: false, best: 0.71 };
    const app = render(<AskResult result={result} root="runbooks" minScore={0.3} />);
    const frame = app.lastFrame() ?? '';
    app.unmount();
    expect(frame).toContain('+ 2 more in this file: Verify');
    expect(frame).toContain('(30-33); Escalate (40-43)');
    expect(frame).toContain('Verify␛[2J (30-33)'); // the escape shown as a control picture, not acted on
  });

  it('says plainly when no runbook covers the question', () => {
    const result: SearchResult = { query: 'sourdough', hits: [], noMatch: true, best: 0.04 };
    const app = render(<AskResult result={result} root="runbooks" minScore={0.3} />);
    expect(app.lastFrame()).toContain('No runbook covers this (best relevance 0.04 is below 0.30).');
    app.unmount();
  });
});

describe('ask on a terminal', () => {
  it('renders the answer with Ink when stdin and stdout are TTYs', async () => {
    const tmp = tempDirs('opsctl-ink-');
    try {
      const cwd = await tmp.withCopy(MINI_RUNBOOKS);
      const { io, stdout, stderr } = makeIo({ cwd });
      Object.assign(io.stdout, { isTTY: true, columns: 120 });
      Object.assign(io.stdin, { isTTY: true });
      const code = await runCli(['ask', 'kafka consumer lag'], defaultDeps(), io);
      const out = stdout();
      expect({ code, stderr: stderr() }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(out).toContain('\x1b['); // terminal control codes: this really is the Ink path, not the plain one
      // eslint-disable-next-line no-control-regex -- stripping ANSI codes is the point
      expect(out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')).toMatch(/\[1\] runbooks\/kafka-consumer-lag\.md:\d+-\d+/);
    } finally {
      await tmp.cleanup();
    }
  });
});
