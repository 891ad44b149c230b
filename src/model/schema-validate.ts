import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { diag, type Diagnostic } from './diagnostics.ts';
import checklistDefinitionSchema from '../../schemas/checklist-definition.schema.json' with { type: 'json' };
import checklistSchema from '../../schemas/checklist.schema.json' with { type: 'json' };
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import diffSchema from '../../schemas/diff.schema.json' with { type: 'json' };
import historySchema from '../../schemas/history.schema.json' with { type: 'json' };
import manifestSchema from '../../schemas/manifest.schema.json' with { type: 'json' };
import reportSchema from '../../schemas/report.schema.json' with { type: 'json' };
import scanSchema from '../../schemas/scan.schema.json' with { type: 'json' };
import templateManifestSchema from '../../schemas/template-manifest.schema.json' with { type: 'json' };

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Names of the JSON Schemas shipped in `schemas/`. */
export type SchemaName = 'scan' | 'checklist' | 'config' | 'report' | 'diff' | 'history' | 'manifest' | 'template-manifest' | 'checklist-definition';

const cache = new Map<SchemaName, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** The shipped schemas, loaded as JSON modules (package data, never user input). */
const SCHEMAS: Record<SchemaName, object> = {
  scan: scanSchema, checklist: checklistSchema, config: configSchema, report: reportSchema, diff: diffSchema, history: historySchema,
  manifest: manifestSchema, 'template-manifest': templateManifestSchema, 'checklist-definition': checklistDefinitionSchema,
};

/** Compile a shipped schema once, on first use. */
function validator(name: SchemaName): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
    v = ajv.compile(SCHEMAS[name]);
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
