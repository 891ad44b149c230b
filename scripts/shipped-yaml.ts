/**
 * Parse the shipped templates' YAML files (`templates/**\/*.yaml`) once, when auditmark is
 * built, into `dist/shipped-yaml.json` (sha256 of the text → JSON of its value), which
 * `src/settings/yaml.ts` consults before loading the `yaml` library. `npm run build` runs this
 * after `tsc`. A file is recorded only when recording cannot change a result: it parses without
 * a problem, holds no alias (so `maxYamlAliases` cannot matter) and its value comes back from
 * JSON deep-equal (no `.inf`, `.nan` or `-0`). `tests/unit/shipped-yaml.test.ts` checks that
 * every shipped YAML file is recorded and that the record equals parsing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, visit } from 'yaml';
import { DEFAULT_LIMITS } from '../src/model/limits.ts';
import { parseYamlText } from '../src/settings/yaml.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where the record goes (`src/settings/yaml.ts` reads it from here, in src/ and dist/ alike). */
export const SHIPPED_YAML_FILE = join(ROOT, 'dist/shipped-yaml.json');

/** Every YAML file of the shipped templates, as repository-relative paths. */
export function shippedYamlFiles(): string[] {
  return readdirSync(join(ROOT, 'templates'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f)).map((f) => `templates/${f.split('\\').join('/')}`).sort();
}

/** Whether a text holds an alias (`*name`), found by the YAML parser itself. */
function hasAlias(text: string): boolean {
  let found = false;
  visit(parseDocument(text, { version: '1.2' }), { Alias: () => { found = true; return visit.BREAK; } });
  return found;
}

/** The record: sha256 → JSON text, for every shipped YAML file that may be recorded. */
export function shippedYamlRecord(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of shippedYamlFiles()) {
    const text = readFileSync(join(ROOT, rel), 'utf8');
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const parsed = parseYamlText(body, rel, DEFAULT_LIMITS);
    if (!parsed.ok || hasAlias(body)) continue;
    const json = JSON.stringify(parsed.value);
    if (json === undefined || !isDeepStrictEqual(JSON.parse(json), parsed.value)) continue;
    out[createHash('sha256').update(body).digest('hex')] = json;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(SHIPPED_YAML_FILE), { recursive: true });
  writeFileSync(SHIPPED_YAML_FILE, JSON.stringify(shippedYamlRecord(), null, 1) + '\n');
}
