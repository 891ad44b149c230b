import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { YAMLError } from 'yaml';
import { builtRecord } from '../model/built.ts';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { limitHint, type Limits } from '../model/limits.ts';
import { jsonDepth, lineCol } from '../ingest/json-text.ts';

const load = createRequire(import.meta.url);

// `yaml` (CommonJS, ~70 modules) is required on first use: a build whose only YAML is the
// shipped template's checklist never loads it (see shippedValue).
let yamlLibrary: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlLibrary ??= load('yaml') as typeof Yaml);

/**
 * The shipped templates' YAML files, parsed when auditmark is built (`scripts/shipped-yaml.ts`
 * writes `dist/shipped-yaml.json`: sha256 of the text → the JSON of its value): parsing the
 * checklist definition every build otherwise costs more than the rest of a small build's
 * ingest and enrich. Only files that parse without a problem, hold no alias and whose value
 * survives JSON unchanged are recorded, so a hit is exactly what parsing would return (the
 * depth check runs first, as for any text). Any other text, an edited file included, is parsed;
 * without the file (a build that did not write it) everything is parsed.
 */
const shipped = builtRecord('shipped-yaml.json', (raw) => new Map(Object.entries(raw as Record<string, string>)));
function shippedValue(body: string): { value: unknown } | undefined {
  const json = shipped()?.get(createHash('sha256').update(body).digest('hex'));
  return json === undefined ? undefined : { value: JSON.parse(json) as unknown };
}

/** A parsed YAML/JSON value, or the diagnostics that explain why there is none. */
export type YamlParsed = { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parse a user-written YAML (or JSON) file safely: the `yaml` package with the core schema
 * (no `!!js` tags, no timestamp type, so `2024-01-01` stays the string `"2024-01-01"` under any
 * TZ), duplicate keys rejected, aliases capped by `limits.maxYamlAliases` (billion-laughs).
 * JSON text is nesting-checked before parsing because a flow collection 100,000 levels deep
 * would otherwise exhaust the parser's stack.
 */
export function parseYaml(text: string, file: string, limits: Pick<Limits, 'maxYamlAliases' | 'maxJsonDepth'>): YamlParsed {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depth = jsonDepth(body, limits.maxJsonDepth);
  if (depth.exceededAt !== undefined) {
    const { line, column } = lineCol(body, depth.exceededAt);
    return {
      ok: false,
      diagnostics: [diag('limit/json-depth', 'error', `nesting deeper than the limit maxJsonDepth=${limits.maxJsonDepth}`, {
        file, line, column, expected: `at most ${limits.maxJsonDepth} nested collections`, fix: limitHint('maxJsonDepth'),
      })],
    };
  }
  const known = shippedValue(body);
  if (known) return { ok: true, value: known.value };
  return parseYamlText(body, file, limits);
}

/**
 * {@link parseYaml} after its depth check, always by the `yaml` library (never the shipped-file
 * record): `scripts/shipped-yaml.ts` records its results and the tests compare the two.
 */
export function parseYamlText(body: string, file: string, limits: Pick<Limits, 'maxYamlAliases'>): YamlParsed {
  const doc = yaml().parseDocument(body, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: true,
    merge: false,
    strict: true,
    version: '1.2',
  });
  // Unknown tags (`!!js/function`, `!!python/object`) only warn in `yaml`; here they are errors,
  // because a file using them expects behaviour auditmark will never provide.
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  if (problems.length > 0) return { ok: false, diagnostics: problems.map((e) => fromYamlError(e, file)) };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: limits.maxYamlAliases }) };
  } catch (err) {
    // yaml throws a ReferenceError when resolving aliases would exceed maxAliasCount.
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      diagnostics: [diag('limit/yaml-aliases', 'error', `too many YAML alias expansions (limit maxYamlAliases=${limits.maxYamlAliases}): ${message}`, {
        file, line: 1, column: 1, expected: `at most ${limits.maxYamlAliases} alias expansions`, fix: limitHint('maxYamlAliases'),
      })],
    };
  }
}

function fromYamlError(e: YAMLError, file: string): Diagnostic {
  const pos = e.linePos?.[0];
  const duplicate = e.code === 'DUPLICATE_KEY';
  if (e.code === 'TAG_RESOLVE_FAILED') {
    return diag('yaml/unsupported-tag', 'error', (e.message.split('\n')[0] ?? e.message).replace(/:\s*$/, ''), {
      file, ...(pos ? { line: pos.line, column: pos.col } : {}),
      expected: 'plain YAML values (core schema: strings, numbers, booleans, null, lists, mappings)', fix: 'remove the tag; write the value as a plain string or number',
    });
  }
  // prettyErrors appends a code excerpt after the first line; the first line is the message.
  const first = (e.message.split('\n')[0] ?? e.message).replace(/:\s*$/, '');
  return diag(duplicate ? 'yaml/duplicate-key' : 'yaml/parse-error', 'error', first, {
    file,
    ...(pos ? { line: pos.line, column: pos.col } : {}),
    expected: duplicate ? 'each key once per mapping' : 'valid YAML (or JSON)',
    fix: duplicate ? 'remove or rename the repeated key: the parser will not guess which value you meant' : 'correct the syntax at the given line and column',
  });
}

/**
 * 1-based line and column of the value at a JSON pointer in YAML/JSON text, so schema errors
 * (which carry pointers) can also say where to look in the file. `undefined` when not found.
 */
export function locatePointer(text: string, ptr: string): { line: number; column: number } | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (ptr === '') return { line: 1, column: 1 };
  const doc = yaml().parseDocument(body, { schema: 'core', uniqueKeys: false, merge: false, version: '1.2' });
  const path = ptr.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  if (!node || typeof node !== 'object' || !node.range) return undefined;
  return lineCol(body, node.range[0]);
}

/** Add line and column to diagnostics that carry a JSON pointer into `text`. */
export function withPositions(diagnostics: Diagnostic[], text: string): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.pointer === undefined || d.line !== undefined) return d;
    const pos = locatePointer(text, d.pointer);
    return pos ? { ...d, ...pos } : d;
  });
}
