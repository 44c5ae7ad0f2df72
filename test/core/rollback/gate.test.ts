import { describe, expect, it } from 'vitest';
import { decideGate, isYes } from '../../../src/core/rollback/gate.js';

describe('decideGate', () => {
  it.each([
    { dryRun: true, yes: true, canPrompt: true, want: 'dry-run' },
    { dryRun: true, yes: false, canPrompt: false, want: 'dry-run' },
    { dryRun: false, yes: true, canPrompt: false, want: 'approved' },
    { dryRun: false, yes: true, canPrompt: true, want: 'approved' },
    { dryRun: false, yes: false, canPrompt: true, want: 'ask' },
    { dryRun: false, yes: false, canPrompt: false, want: 'refuse' },
  ])('dryRun=$dryRun yes=$yes tty=$canPrompt → $want', ({ want, ...input }) => {
    expect(decideGate(input).kind).toBe(want);
  });

  it('a refusal says how to proceed', () => {
    const d = decideGate({ dryRun: false, yes: false, canPrompt: false });
    expect(d.kind === 'refuse' && d.hint).toMatch(/--yes/);
  });
});

describe('isYes', () => {
  it.each([
    ['y', true], ['Y', true], ['yes', true], [' YES ', true],
    ['', false], ['n', false], ['no', false], ['ye', false], ['yess', false], ['sure', false], ['\u001b', false], ['y n', false],
  ])('%j → %s', (answer, want) => {
    expect(isYes(answer)).toBe(want);
  });
});
