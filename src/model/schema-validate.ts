import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadBuilt } from './built.ts';
import { diag, type Diagnostic } from './diagnostics.ts';

/** Names of the JSON Schemas shipped in `schemas/`. */
export type SchemaName = 'scan' | 'checklist' | 'config' | 'report' | 'diff' | 'history' | 'manifest' | 'template-manifest' | 'checklist-definition';

const cache = new Map<SchemaName, ValidateFunction>();

// The schemas are compiled when auditmark is built, not when it runs: `npm run build` writes
// each one's standalone Ajv validator to dist/schema-validators/<name>.cjs
// (scripts/schema-validators.ts: the options and why). Compiling at run time cost more than
// the rest of a small build (Ajv's compiler, the 2020-12 meta-schema, the code generation).
// `require` (see built.ts) keeps validation synchronous and loads only the schemas a run uses.

/** A shipped schema's validator, loaded once, on first use. */
function validator(name: SchemaName): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = loadBuilt(`schema-validators/${name}.cjs`) as ValidateFunction;
    cache.set(name, v);
  }
  return v;
}

/**
 * Validate a value against a shipped schema. Returns one diagnostic per problem, each with the
 * JSON pointer of the offending value, what was expected and how to fix it.
 */
export function validateSchema(name: SchemaName, value: unknown, file: string, code: SchemaCode = `schema/${name}`): Diagnostic[] {
  const v = validator(name);
  if (v(value)) return [];
  return (v.errors ?? []).slice(0, 20).map((e) => toDiagnostic(e, file, code, name));
}

/** The codes a schema failure can be reported with: `schema/<name>`, or the caller's own (config/invalid, …). */
export type SchemaCode = `schema/${SchemaName}` | 'config/invalid' | 'checklist/invalid' | 'checklist-definition/invalid' | 'template/bad-manifest';

function toDiagnostic(e: ErrorObject, file: string, code: SchemaCode, name: SchemaName): Diagnostic {

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
