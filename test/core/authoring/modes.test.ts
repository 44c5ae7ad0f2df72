import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalMode, listModes, resolveEnvironmentFile, resolveTemplate } from '../../../src/core/authoring/modes.js';
import { loadEnvironment } from '../../../src/core/authoring/environment.js';
import { renderTemplate } from '../../../src/core/authoring/template.js';
import { REQUIRED_SECTIONS_TEXT } from '../../../src/core/authoring/generate.js';

const ROOT = join(import.meta.dirname, '../../..');
const bundled = { templatesDir: join(ROOT, 'prompt-templates'), environmentsDir: join(ROOT, 'environments') };
const SIX = ['api_gateway_5xx_errors', 'database_connection_leak', 'disk_space_exhaustion', 'high_memory_usage', 'load_balancer_health_check_failures', 'rabbitmq_queue_backlog'];

function scratch(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-modes-'));
  mkdirSync(join(dir, 't'));
  mkdirSync(join(dir, 'e'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { templatesDir: join(dir, 't'), environmentsDir: join(dir, 'e') };
}

describe('bundled failure modes', () => {
  it('lists the six modes, each with both templates and its own environment', () => {
    const modes = listModes(bundled);
    expect(modes.map((m) => m.slug)).toEqual(SIX);
    for (const m of modes) {
      expect(m.hasInitial && m.hasRefinement).toBe(true);
      expect(m.environmentFile).toContain(`environment_${m.slug}.json`);
    }
  });

  it.each([...SIX, 'default'])('%s: both templates render with the real environment', (slug) => {
    const mode = slug === 'default' ? 'split brain in etcd' : slug.replace(/_/g, ' ');
    const env = loadEnvironment(resolveEnvironmentFile(bundled, mode));
    expect(env.tags.length).toBeGreaterThan(0);
    const common = { failure_mode: mode, environment: env.text, environment_file: env.path, required_sections: REQUIRED_SECTIONS_TEXT, version: '2', date: '2025-01-01' };
    const initial = resolveTemplate(bundled, mode, 'initial');
    expect(initial.isDefault).toBe(slug === 'default');
    const prompt = renderTemplate(initial.text, common, { file: initial.path, kind: 'initial' });
    expect(prompt).toContain(mode);
    expect(prompt).toContain(env.text);
    const refinement = resolveTemplate(bundled, mode, 'refinement');
    const refined = renderTemplate(refinement.text, { ...common, runbook: '# RUNBOOK BODY', feedback: 'FEEDBACK TEXT' }, { file: refinement.path, kind: 'refinement' });
    expect(refined).toContain('# RUNBOOK BODY');
    expect(refined).toContain('FEEDBACK TEXT');
  });

  it.each([
    ['high memory usage on kubernetes nodes', 'high_memory_usage'],
    ['Database connection leak', 'database_connection_leak'],
    ['api gateway', 'api_gateway_5xx_errors'],
    ['etcd split brain', 'etcd_split_brain'],
  ])('canonicalMode(%j) = %s', (mode, slug) => {
    expect(canonicalMode(bundled, mode)).toBe(slug);
  });
});

describe('resolution and fallbacks', () => {
  it('an unknown mode uses the default template and environment.json', () => {
    const dirs = scratch({ 't/default_initial.txt': 'D', 'e/environment.json': '{}' });
    expect(resolveTemplate(dirs, 'weird thing', 'initial')).toMatchObject({ text: 'D', isDefault: true });
    expect(resolveEnvironmentFile(dirs, 'weird thing')).toBe(join(dirs.environmentsDir, 'environment.json'));
  });

  it('a known mode missing one template is an error naming the file, not a silent fallback', () => {
    const dirs = scratch({ 't/disk_full_initial.txt': 'I', 't/default_refinement.txt': 'D' });
    expect(() => resolveTemplate(dirs, 'disk full', 'refinement')).toThrow(/failure mode "disk full" has no refinement template: .*disk_full_refinement\.txt is missing/);
  });

  it('no default template: the error lists the known modes', () => {
    const dirs = scratch({ 't/disk_full_initial.txt': 'I' });
    expect(() => resolveTemplate(dirs, 'other', 'initial')).toThrow(/no template for "other" and no default/);
  });

  it('--environment-file overrides, and must exist', () => {
    const dirs = scratch({ 'e/environment.json': '{}', 'mine.json': '{"a":1}' });
    const mine = join(dirs.environmentsDir, '..', 'mine.json');
    expect(resolveEnvironmentFile(dirs, 'x', mine)).toBe(mine);
    expect(() => resolveEnvironmentFile(dirs, 'x', mine + '.nope')).toThrow('environment file not found');
  });

  it.each([
    ['trailing comma', '{\n  "a": 1,\n}', /env\.json:3:1: invalid JSON/],
    ['empty file', '', /env\.json:1:1: invalid JSON \(Unexpected end of JSON input\)/],
    ['an array', '[1]', /env\.json:1:1: an environment file must be a JSON object/],
  ])('invalid environment JSON (%s) says where', (_n, text, message) => {
    const dirs = scratch({ 'env.json': text });
    expect(() => loadEnvironment(join(dirs.templatesDir, '..', 'env.json'))).toThrow(message);
  });
});
