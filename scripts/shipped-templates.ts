/**
 * Compile and lint the shipped templates (`templates/<id>/<version>/**\/*.njk`) once, when
 * auditmark is built, into `dist/shipped-templates.json`, which `src/compose/environment.ts`
 * consults before compiling a template file. `npm run build` runs this after `tsc`. The code is
 * Nunjucks' own compiler output for the file's name and text with the environment's options
 * (`NUNJUCKS_OPTIONS`), exactly what the environment would compile at run time; only files that
 * lint clean are recorded as clean. `tests/unit/shipped-templates.test.ts` checks that the
 * record is complete and current, and that documents compose the same with it and without it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../src/bundle/templates-fs.ts';
import { lintCleanKey, NUNJUCKS_OPTIONS, shippedTemplateKey, type ShippedTemplateRecord } from '../src/compose/environment.ts';
import { lintTemplate } from '../src/compose/lint.ts';
import { templateKey } from '../src/compose/template-registry.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where the record goes (`src/compose/environment.ts` reads it from here, in src/ and dist/ alike). */
export const SHIPPED_TEMPLATES_FILE = join(ROOT, 'dist/shipped-templates.json');

/** The record of every shipped template file: its compiled code, and whether it lints clean. */
export function shippedTemplateRecord(): ShippedTemplateRecord {
  const { templates, diagnostics } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
  if (diagnostics.length) throw new Error(`the shipped templates do not load: ${diagnostics.map((d) => d.message).join('; ')}`);
  const env = new nunjucks.Environment([], NUNJUCKS_OPTIONS);
  const compiled: Record<string, string> = {};
  const lintClean = new Set<string>();
  for (const t of templates) {
    for (const [path, src] of Object.entries(t.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!path.endsWith('.njk')) continue;
      const name = `${templateKey(t)}/${path}`;
      // The wrapper receives the list of compiled templates (@types/nunjucks says one): the code of this one.
      const wrapper = (out: unknown) => (out as Array<{ template: string }>)[0]!.template;
      compiled[shippedTemplateKey(name, src)] = nunjucks.precompileString(src, { name, env, wrapper: wrapper as never });
      if (lintTemplate(src, name).length === 0) lintClean.add(lintCleanKey(src));
    }
  }
  return { compiled, lintClean: [...lintClean].sort() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(SHIPPED_TEMPLATES_FILE), { recursive: true });
  writeFileSync(SHIPPED_TEMPLATES_FILE, JSON.stringify(shippedTemplateRecord()) + '\n');
}
