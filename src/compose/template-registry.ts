/**
 * Versioned templates as data: the manifest type, the `id@range` selector and the choice of
 * one template from an in-memory listing. Reading template folders from disk is the bundle's job
 * (`src/bundle/templates-fs.ts`); everything here is pure.
 */
// The semver functions used, not the whole package (`semver` loads ~50 modules; a build's start-up counts them).
import compareVersions from 'semver/functions/compare.js';
import rcompare from 'semver/functions/rcompare.js';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { parseSelector, selects, type Selector } from '../settings/selector.ts';

/** What a template needs from the build. */
export type TemplateInput = 'scans' | 'checklist' | 'config' | 'baseline';

/** `templates/<id>/<semver>/manifest.json` (`schemas/template-manifest.schema.json`). */
export interface TemplateManifest {
  /** Template id, kebab-case, equal to its folder name. */
  id: string;
  /** Exact semver version, equal to its folder name. */
  version: string;
  description: string;
  /** What the template renders: a build report, a diff, or a release history. */
  kind: 'report' | 'diff' | 'history';
  /** Entry template file, relative to the template folder (e.g. `report.md.njk`). */
  entry: string;
  /** Inputs the template reads. */
  needs: TemplateInput[];
  /** Frontmatter/metadata keys the document carries. */
  sets: string[];
  /** `id@version` of the template this one extends with `{% extends %}`, for documentation and loading order. */
  extends?: string;
  /** Checklist definition shipped with the template, relative to its folder. */
  checklist?: string;
}

/** One template version loaded into memory. */
export interface LoadedTemplate {
  id: string;
  version: string;
  manifest: TemplateManifest;
  /** File contents by path relative to the template folder, with `/` separators. */
  files: Record<string, string>;
  /** Where it was loaded from, for messages only. */
  dir: string;
}

/** A parsed `id@range` selector. */
export type TemplateSelector = Selector;

/** Stable name of a template version, also the prefix of its files in the loader: `id@version`. */
export function templateKey(t: { id: string; version: string }): string {
  return `${t.id}@${t.version}`;
}

/**
 * Parse `security-scan@^1`, `security-scan@1.0.0` or `security-scan` (any version).
 * Returns a diagnostic `template/bad-selector` when the id or the range is not valid.
 */
export function parseTemplateSelector(text: string): { selector?: TemplateSelector; diagnostics: Diagnostic[] } {
  const parsed = parseSelector(text);
  if ('selector' in parsed) return { selector: parsed.selector, diagnostics: [] };
  return {
    diagnostics: [diag('template/bad-selector', 'error', `template selector "${text}": ${parsed.problem}`, {
      expected: '<id>@<semver range>, e.g. security-scan@^1',
      fix: 'use a lower-case template id, optionally followed by @ and a semver range',
    })],
  };
}

/**
 * Pick the highest version of `selector.id` that satisfies `selector.range`. Prereleases are
 * chosen only when the range names one. On no match: `template/not-found` listing what exists.
 */
export function selectTemplate<T extends { id: string; version: string }>(
  available: readonly T[],
  selector: TemplateSelector | string,
): { template?: T; diagnostics: Diagnostic[] } {
  let sel: TemplateSelector;
  if (typeof selector === 'string') {
    const parsed = parseTemplateSelector(selector);
    if (!parsed.selector) return { diagnostics: parsed.diagnostics };
    sel = parsed.selector;
  } else {
    sel = selector;
  }
  const candidates = available
    .filter((t) => selects(sel, t))
    .sort((a, b) => rcompare(a.version, b.version));
  const best = candidates[0];
  if (best) return { template: best, diagnostics: [] };
  const listing = available.map(templateKey).sort().join(', ') || 'none';
  return {
    diagnostics: [diag('template/not-found', 'error', `no template matches ${sel.id}@${sel.range}; available: ${listing}`, {
      expected: `a template ${sel.id} with a version in ${sel.range}`,
      fix: 'pick one of the available id@versions with --template, or add the template to the project template directory',
    })],
  };
}

/** Every template version, sorted by id then version (newest last), as `auditmark templates` lists them. */
export function listTemplates<T extends { id: string; version: string }>(available: readonly T[]): T[] {
  return [...available].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : compareVersions(a.version, b.version)));
}
