/**
 * The Nunjucks environment compose renders with. Templates are trusted code (like a
 * Makefile); the data they render is not. So: one pass (data is only ever a value, never
 * compiled), `throwOnUndefined` (a misspelt field is an error, not an empty cell), no HTML
 * autoescape (the wrong escaper for Markdown, and nothing to escape: every printed value is a
 * placeholder, see `values.ts`, enforced by `lint.ts`), and an in-memory loader that can only
 * see the loaded template files.
 */
import { createHash } from 'node:crypto';
import nunjucks from 'nunjucks';
import { builtRecord } from '../model/built.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { lintTemplate } from './lint.ts';
import { valueFilters, type ValueTable } from './values.ts';
import { templateKey, type LoadedTemplate } from './template-registry.ts';

/**
 * Resolve a template name. Names are `<id>@<version>/<path>` (e.g.
 * `security-scan@1.0.0/_partials/run.njk`). Inside a template, a name without `@` in its first
 * segment is relative to the root of the including template's folder, and `./x` / `../x` to the
 * including file's directory; nothing resolves outside the loaded templates.
 * Returns `undefined` when the name cannot name a loaded file.
 */
export function resolveTemplateName(name: string, parent?: string): string | undefined {
  if (name.includes('\\') || name.includes('\0')) return undefined;
  const first = name.split('/')[0] ?? '';
  let key: string;
  let rest: string[];
  if (first.includes('@')) {
    key = first;
    rest = name.split('/').slice(1);
  } else {
    if (!parent || name.startsWith('/')) return undefined;
    const parts = parent.split('/');
    key = parts[0] ?? '';
    const dir = name.startsWith('./') || name.startsWith('../') ? parts.slice(1, -1) : [];
    rest = [...dir, ...name.split('/')];
  }
  const out: string[] = [];
  for (const seg of rest) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.length ? `${key}/${out.join('/')}` : undefined;
}

/** The environment's options; `scripts/shipped-templates.ts` compiles the shipped templates with the same ones. */
export const NUNJUCKS_OPTIONS: nunjucks.ConfigureOptions = { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true };

/** The key of a template file in the shipped-template record: its name (compiled code names it) and its text. */
export function shippedTemplateKey(name: string, source: string): string {
  return createHash('sha256').update(`${name}\u0000${source}`).digest('hex');
}

/** The key of a template file's text in the record's lint-clean list (the lint reads the text alone). */
export function lintCleanKey(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** What `scripts/shipped-templates.ts` records when auditmark is built. */
export interface ShippedTemplateRecord {
  /** {@link shippedTemplateKey} → the JavaScript Nunjucks compiles that file to, with {@link NUNJUCKS_OPTIONS}. */
  compiled: Record<string, string>;
  /** {@link lintCleanKey} of every shipped template file that lints clean. */
  lintClean: string[];
}

/**
 * The shipped templates compiled and linted when auditmark is built (`dist/shipped-templates.json`):
 * Nunjucks compiling them (187 ms) and the raw-output lint (75 ms) were a third of composing a
 * 1,000-finding report, on every build. A file is taken from the record only when its name and
 * text are exactly those recorded, so an edited or user template is compiled and linted as
 * before; the code is what Nunjucks itself would compile at run time, turned into a function the
 * way Nunjucks does (`new Function`). Without the file (a build that did not write it),
 * everything is compiled.
 */
const shippedRecord = builtRecord('shipped-templates.json', (raw) => {
  const r = raw as ShippedTemplateRecord;
  return { compiled: new Map(Object.entries(r.compiled)), lintClean: new Set(r.lintClean) };
});

/** An in-memory Nunjucks loader over loaded template versions. */
class MemoryLoader implements nunjucks.ILoader {
  private readonly sources = new Map<string, string>();
  cache: Record<string, unknown> = {};

  constructor(templates: readonly LoadedTemplate[]) {
    for (const t of templates) {
      const prefix = templateKey(t);
      for (const [path, src] of Object.entries(t.files)) this.sources.set(`${prefix}/${path}`, src);
    }
  }

  getSource(name: string): nunjucks.LoaderSource {
    const src = this.sources.get(name);
    // Nunjucks turns a null source into "template not found: <name>".
    if (src === undefined) return null as unknown as nunjucks.LoaderSource;
    const code = shippedRecord()?.compiled.get(shippedTemplateKey(name, src));
    if (code !== undefined) return { src: { type: 'code', obj: new Function(code)() }, path: name, noCache: false } as unknown as nunjucks.LoaderSource;
    return { src, path: name, noCache: false };
  }

  isRelative(name: string): boolean {
    return !(name.split('/')[0] ?? '').includes('@');
  }

  resolve(parent: string, name: string): string {
    // An unresolvable name maps to a key no template can have, so lookup fails cleanly.
    return resolveTemplateName(name, parent) ?? `\0unresolvable/${name}`;
  }
}

const lintCache = new Map<string, Diagnostic[]>();

/**
 * Build the compose environment over the given templates (the selected one and what it
 * extends), its value filters writing into `values`. Every template file is linted first; any
 * problem means no environment.
 */
export function createEnvironment(templates: readonly LoadedTemplate[], values: ValueTable): { environment: nunjucks.Environment; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const t of templates) {
    for (const [path, src] of Object.entries(t.files)) {
      if (!path.endsWith('.njk')) continue;
      const file = `${t.dir.replace(/\/$/, '')}/${path}`;
      const key = `${file}\u0000${src}`;
      let found = lintCache.get(key);
      if (!found) {
        found = shippedRecord()?.lintClean.has(lintCleanKey(src)) ? [] : lintTemplate(src, file);
        lintCache.set(key, found);
      }
      diagnostics.push(...found);
    }
  }
  const environment = new nunjucks.Environment(new MemoryLoader(templates), NUNJUCKS_OPTIONS);
  for (const [name, fn] of Object.entries(valueFilters(values))) environment.addFilter(name, fn as (...args: unknown[]) => string);
  return { environment, diagnostics };
}

const LOCATION = /\(([^()]*)\)(?:\s*\[Line (\d+)(?:, Column (\d+))?\])?/g;

/** Find the first line of `source` that mentions `needle`, 1-based. */
function lineOf(source: string | undefined, needle: string): number | undefined {
  if (!source || !needle) return undefined;
  const i = source.split('\n').findIndex((l) => l.includes(needle));
  return i === -1 ? undefined : i + 1;
}

/**
 * Turn a Nunjucks error into `template/render-error` naming the innermost template file and
 * its line. Nunjucks reports a chain `(entry) ... (partial) [Line n, Column m]`; the last
 * name is where the error is. Where Nunjucks gives no line (a missing include or filter),
 * the line is found by searching that file for the missing name.
 */
export function renderErrorDiagnostic(error: unknown, name: string, templates: readonly LoadedTemplate[]): Diagnostic {
  const text = error instanceof Error ? error.message : String(error);
  let where = name;
  let line: number | undefined;
  let column: number | undefined;
  for (const m of text.matchAll(LOCATION)) {
    if (!m[1] || !m[1].includes('@')) continue;
    where = m[1];
    line = m[2] ? Number(m[2]) : undefined;
    column = m[3] ? Number(m[3]) : undefined;
  }
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  let cause = (lines[lines.length - 1] ?? text).replace(/^(?:Template render error:\s*)?(?:\([^()]*\)\s*(?:\[[^\]]*\])?)?\s*/, '').replace(/^(Error|TypeError):\s*/, '');
  const key = where.split('/')[0] ?? '';
  const tmpl = templates.find((t) => templateKey(t) === key);
  const rel = where.slice(key.length + 1);
  const source = tmpl?.files[rel];
  const missingTemplate = /template not found: (?:\0unresolvable\/)?(.*)$/.exec(cause);
  if (missingTemplate) {
    cause = `template not found: ${missingTemplate[1]} (only files of the loaded templates can be included or extended)`;
    line ??= lineOf(source, missingTemplate[1]!);
  }
  if (/attempted to output null or undefined value/.test(cause)) {
    cause = 'a value printed here is undefined or null (a misspelt field name, or an optional field used without {% if %})';
  }
  const missingFilter = /filter not found: (\S+)/.exec(cause);
  if (missingFilter) line ??= lineOf(source, missingFilter[1]!);
  const file = tmpl ? `${tmpl.dir.replace(/\/$/, '')}/${rel}` : where;
  return diag('template/render-error', 'error', `${where}${line ? `:${line}` : ''}: ${cause || 'template error'}`, {
    file, line, column,
    expected: 'a template that renders with every referenced field present',
    fix: 'check the field names against docs/templates.md (the context variables) and the template syntax at that line',
  });
}
