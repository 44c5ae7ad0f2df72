import { describe, expect, it } from 'vitest';
import { checkGrounding, contentWords, isInstruction } from '../../../src/core/answer/grounding.js';
import { NOT_COVERED } from '../../../src/core/answer/prompt.js';

const sections = [
  { n: 1, text: 'To roll back the api service, run aws ecs update-service --cluster prod --service api --task-definition api:41, then watch the deployment until it is stable.' },
  { n: 2, text: 'Check the 5xx rate of the load balancer on the ALB dashboard in CloudWatch before and after the change.' },
];

describe('checkGrounding', () => {
  it('accepts an answer whose every claim cites a section that supports it', () => {
    const answer = [
      'Roll back the api service to the previous task definition [1].',
      '',
      '1. Run the rollback [1]:',
      '```bash',
      'aws ecs update-service --cluster prod --service api --task-definition api:41',
      '```',
      '2. Check the 5xx rate on the ALB dashboard. [2]',
    ].join('\n');
    const r = checkGrounding(answer, sections);
    expect(r.ok).toBe(true);
    expect(r.supportedShare).toBe(1);
    expect(r.units).toHaveLength(3);
    // The code block belongs to the step that introduced it, and the trailing "[2]" to the sentence before.
    expect(r.units[1].text).toContain('aws ecs update-service');
    expect(r.units[1].citations).toEqual([1]);
    expect(r.units[2].citations).toEqual([2]);
  });

  it.each([
    ['out-of-range citation', 'Roll back the api service [3].', { invalidCitations: [3], uncited: 1, unsupported: 0 }],
    ['citation of an unrelated section', 'Increase the memory of the cache cluster [2].', { invalidCitations: [], uncited: 0, unsupported: 1 }],
    ['uncited imperative step', 'Restart the database primary.', { invalidCitations: [], uncited: 1, unsupported: 0 }],
    ['uncited inline command', 'The fix is `kubectl delete pod api-0` on the node.', { invalidCitations: [], uncited: 1, unsupported: 0 }],
    ['uncited fenced command', '```\nsudo reboot\n```', { invalidCitations: [], uncited: 1, unsupported: 0 }],
    ['"First, …" imperative', 'First, drain the node.', { invalidCitations: [], uncited: 1, unsupported: 0 }],
  ])('flags an %s', (_name, answer, want) => {
    const r = checkGrounding(answer, sections);
    expect(r.ok).toBe(false);
    expect(r.invalidCitations).toEqual(want.invalidCitations);
    expect(r.uncitedInstructions).toHaveLength(want.uncited);
    expect(r.unsupportedUnits).toHaveLength(want.unsupported);
    expect(r.supportedShare).toBe(0);
  });

  it('accepts [n, m] lists and supports a unit when one of its citations does', () => {
    const r = checkGrounding('Watch the deployment of the api service until it is stable [1, 2].', sections);
    expect(r.units[0].citations).toEqual([1, 2]);
    expect(r.units[0].supported).toBe(true);
    expect(r.units[0].unsupported).toEqual([2]);
    expect(r.unsupportedUnits).toEqual([]);
  });

  it('computes the share of supported claims and ignores short filler', () => {
    const answer = 'Sure. Roll back the api service [1]. Restart the database primary. Check the ALB dashboard for 5xx [2].';
    const r = checkGrounding(answer, sections);
    expect(r.units.filter((u) => u.claim)).toHaveLength(3);
    expect(r.supportedShare).toBeCloseTo(2 / 3);
  });

  it('treats the refusal sentence as not a claim', () => {
    const r = checkGrounding(NOT_COVERED, sections);
    expect(r.notCovered).toBe(true);
    expect(r.supportedShare).toBe(1);
    expect(r.ok).toBe(true);
  });

  it('honours a custom threshold', () => {
    const answer = 'Roll back the api service and page the database team lead [1].';
    expect(checkGrounding(answer, sections, { threshold: 0.2 }).units[0].supported).toBe(true);
    expect(checkGrounding(answer, sections, { threshold: 0.9 }).units[0].supported).toBe(false);
  });

  it('is deterministic', () => {
    const answer = 'Roll back the api service [1]. Restart it.';
    expect(checkGrounding(answer, sections)).toEqual(checkGrounding(answer, sections));
  });
});

describe('contentWords / isInstruction', () => {
  it('drops stop words, keeps flags and identifiers, strips plural/-ing suffixes', () => {
    expect(contentWords('Restarting the services with --force-new-deployment on api:41')).toEqual(['restart', 'servic', 'force-new-deployment', 'api', '41']);
  });

  it.each([
    ['Restart the pods.', true],
    ['**Scale** the service to 4 tasks.', true],
    ['You should drain the node first.', true],
    ['Then, run `make deploy`.', true],
    ['The service restarts automatically.', false],
    ['This alarm fires when CPU is high.', false],
  ])('%j -> %s', (text, want) => {
    expect(isInstruction(text)).toBe(want);
  });
});

describe('stemming', () => {
  it('maps inflections of one word to one stem', () => {
    for (const group of [['scale', 'scaled', 'scales', 'scaling'], ['service', 'services'], ['restart', 'restarted', 'restarting', 'restarts']]) {
      expect(new Set(group.flatMap((w) => contentWords(w))).size).toBe(1);
    }
  });
});
