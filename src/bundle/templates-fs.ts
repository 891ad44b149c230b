/**
 * Read template folders (`<dir>/<id>/<semver>/manifest.json` + files) into memory for the pure
 * compose stage. The shipped `templates/` directory comes first; a project-local directory may
 * add ids or new versions, and extend shipped templates with `{% extends "id@version/file" %}`.
 */
import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// The semver functions used, not the whole package (`semver` loads ~50 modules; a build's start-up counts them).
import valid from 'semver/functions/valid.js';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { validateSchema } from '../model/schema-validate.ts';
import { listTemplates, templateKey, type LoadedTemplate, type TemplateManifest } from '../compose/template-registry.ts';

/** The shipped templates directory of this package. */
export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Template files larger than this are not templates; refuse before reading them. */
const MAX_TEMPLATE_FILE_BYTES = 2 * 1024 * 1024;

function entries(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every regular file under `dir`, as `/`-separated relative paths; symlinks are not followed. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of entries(d)) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

function loadOne(dir: string, id: string, version: string, diagnostics: Diagnostic[]): LoadedTemplate | undefined {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    diagnostics.push(diag('template/bad-manifest', 'error', `cannot read template manifest: ${(e as Error).message}`, {
      file: manifestPath, expected: 'a JSON manifest (schemas/template-manifest.schema.json)', fix: 'add or correct manifest.json in the template folder',
    }));
    return undefined;
  }
  const problems = validateSchema('template-manifest', manifest, manifestPath, 'template/bad-manifest');
  if (problems.length) {
    diagnostics.push(...problems);
    return undefined;
  }
  const m = manifest as TemplateManifest;
  if (m.id !== id || m.version !== version) {
    diagnostics.push(diag('template/bad-manifest', 'error', `manifest says ${m.id}@${m.version} but the folder is ${id}/${version}`, {
      file: manifestPath, pointer: m.id !== id ? '/id' : '/version', expected: `id "${id}" and version "${version}"`, fix: 'make the manifest id and version equal to the folder names',
    }));
    return undefined;
  }
  const files: Record<string, string> = {};
  for (const rel of listFiles(dir)) {
    const full = join(dir, rel);
    const size = statSync(full).size;
    if (size > MAX_TEMPLATE_FILE_BYTES) {
      diagnostics.push(diag('template/file-too-large', 'error', `template file is ${size} bytes; at most ${MAX_TEMPLATE_FILE_BYTES} are read`, {
        file: full, expected: 'a template, partial or data file', fix: 'remove large files from the template folder',
      }));
      continue;
    }
    files[rel] = readFileSync(full, 'utf8');
  }
  if (files[m.entry] === undefined) {
    diagnostics.push(diag('template/bad-manifest', 'error', `entry file "${m.entry}" does not exist`, {
      file: manifestPath, pointer: '/entry', expected: 'a file of the template folder', fix: 'correct entry or add the file',
    }));
    return undefined;
  }
  return { id, version, manifest: m, files, dir };
}

/**
 * Load every template version under `dirs`, in order. A later directory may add ids and
 * versions; the same `id@version` twice is an error (`template/duplicate`) and the first wins.
 * A missing directory is an error only when it is not the first (the shipped one always exists).
 */
export function loadTemplates(dirs: readonly string[]): { templates: LoadedTemplate[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const templates: LoadedTemplate[] = [];
  const seen = new Map<string, string>();
  for (const root of dirs) {
    let ids: Dirent[];
    try {
      ids = entries(root).filter((e) => e.isDirectory());
    } catch (e) {
      diagnostics.push(diag('template/dir-unreadable', 'error', `cannot read template directory: ${(e as Error).message}`, {
        file: root, expected: 'a directory of <id>/<semver>/ template folders', fix: 'correct templatesDir in the config',
      }));
      continue;
    }
    for (const idDir of ids) {
      if (idDir.name.startsWith('.') || idDir.name.startsWith('_')) continue;
      for (const vDir of entries(join(root, idDir.name)).filter((e) => e.isDirectory())) {
        const dir = join(root, idDir.name, vDir.name);
        if (valid(vDir.name) !== vDir.name) {
          diagnostics.push(diag('template/bad-version', 'error', `template folder "${vDir.name}" is not a semver version`, {
            file: dir, expected: 'a folder named like 1.0.0', fix: 'rename the folder to the exact template version',
          }));
          continue;
        }
        const t = loadOne(dir, idDir.name, vDir.name, diagnostics);
        if (!t) continue;
        const key = templateKey(t);
        const first = seen.get(key);
        if (first !== undefined) {
          diagnostics.push(diag('template/duplicate', 'error', `${key} exists in ${first} and ${dir}; the first is used`, {
            file: dir, expected: 'each id@version once', fix: 'give the project template a new id or version, and extend the shipped one',
          }));
          continue;
        }
        seen.set(key, dir);
        templates.push(t);
      }
    }
  }
  const keys = new Set(templates.map(templateKey));
  for (const t of templates) {
    if (t.manifest.extends && !keys.has(t.manifest.extends)) {
      diagnostics.push(diag('template/missing-base', 'error', `${templateKey(t)} extends ${t.manifest.extends}, which is not loaded`, {
        file: join(t.dir, 'manifest.json'), pointer: '/extends', expected: `one of: ${[...keys].sort().join(', ')}`, fix: 'correct extends or add the base template',
      }));
    }
  }
  return { templates, diagnostics };
}

/** `auditmark templates`: every template version in the shipped and the given directories, sorted by id then version. */
export function listTemplateDirs(dirs: readonly string[]): { templates: LoadedTemplate[]; diagnostics: Diagnostic[] } {
  const loaded = loadTemplates([SHIPPED_TEMPLATES_DIR, ...dirs]);
  return { templates: listTemplates(loaded.templates), diagnostics: loaded.diagnostics };
}
