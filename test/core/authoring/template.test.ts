import { describe, expect, it } from 'vitest';
import { renderTemplate, scanPlaceholders } from '../../../src/core/authoring/template.js';
import { isOpsctlError } from '../../../src/core/errors.js';

const initial = { failure_mode: 'disk full', environment: '{"os":"al2023"}', required_sections: '## Detection' };
const refinement = { ...initial, runbook: '# R', feedback: 'add df -i' };

function errorOf(fn: () => unknown): { message: string; code: string } {
  try {
    fn();
  } catch (e) {
    if (isOpsctlError(e)) return { message: e.message, code: e.code };
    throw e;
  }
  throw new Error('expected an OpsctlError');
}

describe('renderTemplate', () => {
  it.each([
    ['plain', 'Mode {{failure_mode}} on {{environment}}', initial, 'initial', 'Mode disk full on {"os":"al2023"}'],
    ['spaces inside braces', 'Mode {{ failure_mode }} / {{environment}}', initial, 'initial', 'Mode disk full / {"os":"al2023"}'],
    ['repeated placeholder', '{{failure_mode}} {{failure_mode}} {{environment}}', initial, 'initial', 'disk full disk full {"os":"al2023"}'],
    ['refinement', '{{runbook}}\n--\n{{feedback}}', refinement, 'refinement', '# R\n--\nadd df -i'],
  ] as const)('%s', (_name, template, values, kind, expected) => {
    expect(renderTemplate(template, values, { file: 't.txt', kind })).toBe(expected);
  });

  it('never re-expands braces that come from values (a runbook quoting Go templates)', () => {
    const out = renderTemplate('{{runbook}} {{feedback}}', { ...refinement, runbook: "docker inspect -f '{{.State}}' {{feedback}}" }, { file: 't.txt', kind: 'refinement' });
    expect(out).toBe("docker inspect -f '{{.State}}' {{feedback}} add df -i");
  });

  it.each([
    ['unknown placeholder, with file:line', 'line one\n{{failure_mode}} {{environment}}\n{{enviroment}}', initial, 'initial', 't.txt:3: unknown placeholder {{enviroment}}'],
    ['placeholder without a value for this kind', '{{failure_mode}} {{environment}} {{runbook}}', initial, 'initial', 't.txt:1: placeholder {{runbook}} has no value in a initial prompt'],
    ['initial template missing {{environment}}', 'only {{failure_mode}}', initial, 'initial', 't.txt: missing placeholder {{environment}}'],
    ['refinement template missing {{feedback}}', '{{runbook}}', refinement, 'refinement', 't.txt: missing placeholder {{feedback}}'],
  ] as const)('error: %s', (_name, template, values, kind, message) => {
    const err = errorOf(() => renderTemplate(template, values, { file: 't.txt', kind }));
    expect(err.code).toBe('input');
    expect(err.message).toContain(message);
  });

  it('scans placeholders with their line numbers', () => {
    expect(scanPlaceholders('a\n{{x}}\n\n{{ y }}')).toEqual([{ name: 'x', line: 2 }, { name: 'y', line: 4 }]);
  });
});
