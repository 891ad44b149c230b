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
  const where = e.instancePath || '/';
  let expected = e.message ?? 'a valid value';
  if (e.keyword === 'additionalProperties') expected = `no key "${String(e.params.additionalProperty)}" (unknown keys are errors)`;
  if (e.keyword === 'enum') expected = `one of: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  return diag(code, 'error', `${where}: ${expected}`, {
    file, pointer: e.instancePath, expected, fix: `correct the value at ${where} (see schemas/${name}.schema.json)`,
  });
}
