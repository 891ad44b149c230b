import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { diag, type Diagnostic } from './diagnostics.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Names of the JSON Schemas shipped in `schemas/`. */
export type SchemaName = 'scan' | 'checklist' | 'config' | 'report' | 'diff' | 'manifest' | 'template-manifest' | 'checklist-definition';

const cache = new Map<SchemaName, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** Absolute URL of a shipped schema file. */
export function schemaUrl(name: SchemaName): URL {
  return new URL(`../../schemas/${name}.schema.json`, import.meta.url);
}

/** Load (once) and compile a shipped schema. Reading package files is not user input. */
function validator(name: SchemaName): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
    v = ajv.compile(JSON.parse(readFileSync(schemaUrl(name), 'utf8')));
    cache.set(name, v);
  }
  return v;
}

/**
 * Validate a value against a shipped schema. Returns one diagnostic per problem, each with the
 * JSON pointer of the offending value, what was expected and how to fix it.
 */
export function validateSchema(name: SchemaName, value: unknown, file: string, code = `schema/${name}`): Diagnostic[] {
  const v = validator(name);
  if (v(value)) return [];
  return (v.errors ?? []).slice(0, 20).map((e) => toDiagnostic(e, file, code, name));
}

function toDiagnostic(e: ErrorObject, file: string, code: string, name: SchemaName): Diagnostic {

  let expected = e.message ?? 'a valid value';
  let ptr = e.instancePath;
  if (e.keyword === 'additionalProperties') {
    // Point at the unknown key itself, not at its parent object.
    ptr = `${e.instancePath}/${String(e.params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    expected = 'no such key (unknown keys are errors)';
  }
  if (e.keyword === 'enum') expected = `one of: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  const where = ptr || '/';
  const message = e.keyword === 'additionalProperties' ? `${where}: unknown key "${String(e.params.additionalProperty)}"` : `${where}: ${expected}`;
  return diag(code, 'error', message, {
    file, pointer: ptr, expected, fix: e.keyword === 'additionalProperties' ? `remove or rename the key at ${where} (see schemas/${name}.schema.json for the allowed keys)` : `correct the value at ${where} (see schemas/${name}.schema.json)`,
  });
}
