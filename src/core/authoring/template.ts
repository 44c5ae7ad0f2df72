import { OpsctlError } from '../errors.js';

/** Every placeholder a prompt template may use. Anything else is a typo and fails loudly. */
export const PLACEHOLDERS = [
  'failure_mode',
  'environment',
  'environment_file',
  'required_sections',
  'runbook',
  'feedback',
  'version',
  'date',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateKind = 'initial' | 'refinement';

/** Placeholders a template of each kind must contain, or the user's input would silently never reach the LLM. */
export const REQUIRED_BY_KIND: Record<TemplateKind, Placeholder[]> = {
  initial: ['failure_mode', 'environment'],
  refinement: ['runbook', 'feedback'],
};

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

export interface PlaceholderUse {
  name: string;
  line: number;
}

/** Lists the `{{name}}` placeholders in a template with their 1-based line numbers. */
export function scanPlaceholders(template: string): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  for (const m of template.matchAll(TOKEN)) {
    const line = template.slice(0, m.index).split('\n').length;
    uses.push({ name: m[1], line });
  }
  return uses;
}

/**
 * Renders a prompt template. Fails with an OpsctlError naming the placeholder (and `file:line`) when the
 * template uses an unknown one, uses one that has no value here, or lacks one its kind requires.
 */
export function renderTemplate(
  template: string,
  values: Partial<Record<Placeholder, string>>,
  opts: { file: string; kind: TemplateKind },
): string {
  const uses = scanPlaceholders(template);
  const known = new Set<string>(PLACEHOLDERS);
  for (const use of uses) {
    if (!known.has(use.name)) {
      throw new OpsctlError(
        'input',
        `${opts.file}:${use.line}: unknown placeholder {{${use.name}}}`,
        `placeholders are: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      );
    }
    if (values[use.name as Placeholder] === undefined) {
      throw new OpsctlError(
        'input',
        `${opts.file}:${use.line}: placeholder {{${use.name}}} has no value in a ${opts.kind} prompt`,
        `remove it from the template; ${opts.kind} prompts can use ${Object.keys(values).map((p) => `{{${p}}}`).join(', ')}`,
      );
    }
  }
  const used = new Set(uses.map((u) => u.name));
  for (const required of REQUIRED_BY_KIND[opts.kind]) {
    if (!used.has(required)) {
      throw new OpsctlError(
        'input',
        `${opts.file}: missing placeholder {{${required}}} (a ${opts.kind} template must contain it)`,
        `add {{${required}}} where its text belongs in the prompt`,
      );
    }
  }
  // One pass, so a value that itself contains "{{...}}" (a runbook quoting Go templates) is never re-expanded.
  return template.replace(TOKEN, (_m, name: string) => values[name as Placeholder] as string);
}
