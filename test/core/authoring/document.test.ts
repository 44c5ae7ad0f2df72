import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildFrontMatter, deriveTags, deriveTitle, serializeDocument, splitDocument, versionOf } from '../../../src/core/authoring/document.js';
import { modeSlug, runbookSlug } from '../../../src/core/authoring/modes.js';

describe('slugs', () => {
  it.each([
    ['database connection leak', 'database_connection_leak', 'database-connection-leak'],
    ['  Load balancer health-check failures! ', 'load_balancer_health_check_failures', 'load-balancer-health-check-failures'],
    ['API Gateway 5xx errors', 'api_gateway_5xx_errors', 'api-gateway-5xx-errors'],
    ['Café/queue  backlog', 'cafe_queue_backlog', 'cafe-queue-backlog'],
    ['!!!', '', ''],
  ])('%j', (mode, stem, file) => {
    expect(modeSlug(mode)).toBe(stem);
    expect(runbookSlug(mode)).toBe(file);
  });
});

describe('front matter', () => {
  const fm = buildFrontMatter({
    title: 'Disk full',
    failureMode: 'disk space exhaustion',
    version: 1,
    generatedAt: new Date('2025-03-01T10:00:00Z'),
    model: 'ollama:llama3.1',
    environmentFile: 'environments/environment_disk_space_exhaustion.json',
    tags: ['disk', 'space'],
  });

  it('has every field, last_reviewed null, in a stable order', () => {
    expect(Object.keys(fm)).toEqual(['title', 'failure_mode', 'version', 'generated_at', 'model', 'environment_file', 'tags', 'last_reviewed']);
    expect(fm.last_reviewed).toBeNull();
    expect(fm.generated_at).toBe('2025-03-01T10:00:00.000Z');
  });

  it('round-trips through serialize and split, with the body line offset', () => {
    const doc = serializeDocument(fm, '# Disk full\n\n## Detection\n');
    const split = splitDocument(doc);
    expect(split.frontMatter).toEqual(fm);
    expect(split.body.trim().split('\n')[0]).toBe('# Disk full');
    const lines = doc.split('\n');
    expect(lines[split.lineOffset + 1]).toBe('# Disk full');
    expect(parse(doc.split('---')[1])).toEqual(fm);
  });

  it.each([
    ['no front matter', '# T\n', { lineOffset: 0, has: false }],
    ['empty front matter', '---\n---\n# T\n', { lineOffset: 2, has: true }],
    ['front matter without trailing body', '---\ntitle: x\n---', { lineOffset: 3, has: true }],
  ])('split: %s', (_n, src, want) => {
    const s = splitDocument(src);
    expect(s.lineOffset).toBe(want.lineOffset);
    expect(s.frontMatter !== undefined).toBe(want.has);
  });

  it('reports broken YAML with its file line instead of throwing', () => {
    const s = splitDocument('---\ntitle: x\ntags: [a, b\n---\n# T\n');
    expect(s.frontMatter).toBeUndefined();
    expect(s.frontMatterError?.line).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ version: 3 }, 3],
    [{ version: '4' }, 4],
    [{ version: 0 }, 1],
    [{ version: 'x' }, 1],
    [undefined, 1],
  ])('versionOf(%j) = %i', (fmIn, v) => {
    expect(versionOf(fmIn as Record<string, unknown> | undefined)).toBe(v);
  });

  it('titles come from the first H1 outside code, else Title Case', () => {
    expect(deriveTitle('```bash\n# not a title\n```\n# PostgreSQL pool exhausted\n', 'x')).toBe('PostgreSQL pool exhausted');
    expect(deriveTitle('## Detection', 'database connection leak')).toBe('Database Connection Leak');
  });

  it('tags: significant words of the mode, then environment tags, deduplicated', () => {
    expect(deriveTags('High memory usage on Kubernetes nodes', ['Kubernetes', 'eks'])).toEqual(['memory', 'kubernetes', 'nodes', 'eks']);
  });
});
