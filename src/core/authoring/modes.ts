import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsctlError } from '../errors.js';
import type { TemplateKind } from './template.js';

/** Where failure-mode data lives: prompt templates and environment descriptions. */
export interface AuthoringDirs {
  templatesDir: string;
  environmentsDir: string;
}

export interface ModeInfo {
  /** File-name form, e.g. "database_connection_leak". */
  slug: string;
  /** Human form, e.g. "database connection leak". */
  name: string;
  hasInitial: boolean;
  hasRefinement: boolean;
  /** Environment file for the mode, or undefined when it falls back to environment.json. */
  environmentFile?: string;
}

/** "Database connection-leak!" → "database_connection_leak": the template file stem of a failure mode. */
export function modeSlug(failureMode: string): string {
  return failureMode
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** "Database connection leak" → "database-connection-leak": the runbook file stem. */
export function runbookSlug(failureMode: string): string {
  return modeSlug(failureMode).replace(/_/g, '-');
}

/** Known modes are the `<mode>_initial.txt` / `<mode>_refinement.txt` files in the templates dir (defaults excluded). */
export function listModes(dirs: AuthoringDirs): ModeInfo[] {
  if (!existsSync(dirs.templatesDir)) {
    throw new OpsctlError('input', `prompt templates directory not found: ${dirs.templatesDir}`, 'pass --templates-dir or run from a checkout that has prompt-templates/');
  }
  const slugs = new Set<string>();
  for (const f of readdirSync(dirs.templatesDir)) {
    const m = /^(.+)_(initial|refinement)\.txt$/.exec(f);
    if (m && m[1] !== 'default') slugs.add(m[1]);
  }
  return [...slugs].sort().map((slug) => {
    const env = join(dirs.environmentsDir, `environment_${slug}.json`);
    return {
      slug,
      name: slug.replace(/_/g, ' '),
      hasInitial: existsSync(join(dirs.templatesDir, `${slug}_initial.txt`)),
      hasRefinement: existsSync(join(dirs.templatesDir, `${slug}_refinement.txt`)),
      environmentFile: existsSync(env) ? env : undefined,
    };
  });
}

/**
 * The template stem for a failure mode: its own slug when templates exist for it, else the one known mode whose
 * words all appear in it or contain all of its words ("high memory usage on kubernetes nodes" →
 * high_memory_usage), else its own slug (which then falls back to the default templates).
 */
export function canonicalMode(dirs: AuthoringDirs, failureMode: string): string {
  const slug = modeSlug(failureMode);
  const known = listModes(dirs);
  if (known.some((m) => m.slug === slug)) return slug;
  const words = new Set(slug.split('_'));
  const matches = known.filter((m) => {
    const own = m.slug.split('_');
    return (own.length >= 2 && own.every((w) => words.has(w))) || (words.size >= 2 && [...words].every((w) => own.includes(w)));
  });
  return matches.length === 1 ? matches[0].slug : slug;
}

export interface ResolvedTemplate {
  path: string;
  text: string;
  /** True when the mode is unknown and the default template is used. */
  isDefault: boolean;
}

/**
 * Picks the template for a failure mode: `<mode>_<kind>.txt`, or `default_<kind>.txt` when the mode is
 * unknown. A known mode (it has the other template) missing this one is an error, not a silent fallback.
 */
export function resolveTemplate(dirs: AuthoringDirs, failureMode: string, kind: TemplateKind): ResolvedTemplate {
  const slug = canonicalMode(dirs, failureMode);
  const own = join(dirs.templatesDir, `${slug}_${kind}.txt`);
  if (slug && existsSync(own)) return { path: own, text: readText(own), isDefault: false };
  const known = listModes(dirs);
  const mode = known.find((m) => m.slug === slug);
  if (mode) {
    throw new OpsctlError('input', `failure mode "${mode.name}" has no ${kind} template: ${own} is missing`, `add ${slug}_${kind}.txt (copy default_${kind}.txt as a start)`);
  }
  const fallback = join(dirs.templatesDir, `default_${kind}.txt`);
  if (!existsSync(fallback)) {
    throw new OpsctlError('input', `no template for "${failureMode}" and no default: ${fallback} is missing`, `known modes: ${known.map((m) => m.name).join(', ') || 'none'}`);
  }
  return { path: fallback, text: readText(fallback), isDefault: true };
}

/** The environment file for a mode: `--environment-file`, else `environment_<mode>.json`, else `environment.json`. */
export function resolveEnvironmentFile(dirs: AuthoringDirs, failureMode: string, override?: string): string {
  if (override) {
    if (!existsSync(override)) throw new OpsctlError('input', `environment file not found: ${override}`, 'check the --environment-file path');
    return override;
  }
  const own = join(dirs.environmentsDir, `environment_${existsSync(dirs.templatesDir) ? canonicalMode(dirs, failureMode) : modeSlug(failureMode)}.json`);
  if (existsSync(own)) return own;
  const fallback = join(dirs.environmentsDir, 'environment.json');
  if (!existsSync(fallback)) throw new OpsctlError('input', `no environment file: neither ${own} nor ${fallback} exists`, 'pass --environment-file');
  return fallback;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new OpsctlError('input', `cannot read ${path}: ${(e as Error).message}`, 'check the file permissions', { cause: e });
  }
}
