import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRunbook, sectionOf } from '../../../src/core/authoring/lint.js';
import { GOOD_BODY, GOOD_FRONT_MATTER } from './fixtures.js';

const good = GOOD_FRONT_MATTER + GOOD_BODY;
const rules = (src: string) => lintRunbook(src).map((p) => `${p.line}:${p.rule}`);

describe('lintRunbook', () => {
  it('passes a complete runbook', () => {
    expect(lintRunbook(good)).toEqual([]);
  });

  it.each([
    ['no front matter', GOOD_BODY, ['1:front-matter']],
    ['front matter without title', '---\ntags: [a]\n---\n' + GOOD_BODY, ['1:front-matter-title']],
    ['front matter with empty tags, at the tags line', '---\ntitle: T\ntags: []\n---\n' + GOOD_BODY, ['3:front-matter-tags']],
    ['broken YAML, at its line', '---\ntitle: T\ntags: [a\n---\n' + GOOD_BODY, ['3:front-matter']],
    ['missing Verification, anchored at the H1', good.replace('## Verification', '## Afterwards'), ['6:section-verification']],
    ['empty section, at its heading', good.replace('DatabaseConnections above 1200 on orders-prod.\n', ''), ['10:section-empty']],
    ['no command: only a json block', good.replace(/```sql[\s\S]*?```/, '```json\n{}\n```').replace(/```bash[\s\S]*?```/, 'restart it'), ['6:code-command']],
    ['only comments in code', good.replace(/```sql[\s\S]*?```/, 'Look at pg_stat_activity.').replace(/```bash[\s\S]*?```/, '```bash\n# restart it\n```'), ['6:code-command']],
    ['unclosed fence (truncated)', good + '\n```bash\nkubectl get pods\n', [`${good.split('\n').length + 1}:unclosed-fence`]],
  ])('%s', (_name, src, expected) => {
    expect(rules(src)).toEqual(expected);
  });

  it('accepts synonyms at any heading level >= 2, and Rollback for Escalation', () => {
    const src = good
      .replace('## Detection', '### 1. Symptoms')
      .replace('## Remediation', '## Mitigation')
      .replace('## Verification', '#### Step 4: Validation')
      .replace('## Escalation', '## Rollback');
    expect(lintRunbook(src)).toEqual([]);
  });

  it('does not count H1 headings or headings inside code blocks', () => {
    const src = good.replace('## Verification', '# Verification').replace('```bash\n', '```bash\n## Verification\n');
    expect(rules(src)).toContain('6:section-verification');
  });

  it.each([
    ['Detection', 'detection'],
    ['2. Investigation steps', 'investigation'],
    ['Mitigation', 'remediation'],
    ['Roll back the last deploy', 'escalation'],
    ['Confirm the spike and its shape', undefined],
    ['Fix 502s caused by keep-alive', undefined],
  ])('sectionOf(%j) = %j', (text, id) => {
    expect(sectionOf(text)).toBe(id);
  });

  // The bundled runbooks are written by another engineer; lint is the CI gate they must pass.
  const dir = join(import.meta.dirname, '../../../runbooks');
  const bundled = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md') : [];
  if (bundled.length === 0) console.warn('lint.test: no bundled runbooks in runbooks/ yet; that check is skipped');
  it.skipIf(bundled.length === 0).each(bundled)('bundled runbook %s passes lint', (f) => {
    expect(lintRunbook(readFileSync(join(dir, f), 'utf8'))).toEqual([]);
  });
});
