/**
 * Reading checklist definitions and checklist state files (YAML or JSON) through the one safe
 * YAML parser, validated by their schemas, with located diagnostics.
 */
import { CHECKLIST_STATE_VERSION, type ChecklistDefinition, type ChecklistState, type Waiver } from '../model/checklist.ts';
import { parseInstant } from '../model/dates.ts';
import { diag, pointer, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { validateSchema } from '../model/schema-validate.ts';
import { parseYaml, withPositions } from './yaml.ts';

/** A parsed file, or why it could not be used. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

function dateDiagnostics(dates: Array<[string | undefined, string]>, file: string, code: 'checklist/invalid-date'): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [value, ptr] of dates) {
    if (value !== undefined && parseInstant(value) === undefined) {
      out.push(diag(code, 'error', `${ptr}: "${value}" is not a real calendar date`, {
        file, pointer: ptr, expected: 'YYYY-MM-DD or an RFC 3339 date-time with offset', fix: 'correct the date',
      }));
    }
  }
  return out;
}

/**
 * Read a checklist state file (YAML or JSON). `schemaVersion` is checked first so that a file
 * written for a newer auditmark, or one without a version, gets one clear message instead of
 * a list of schema errors.
 */
export function parseChecklistState(text: string, file: string, limits: Partial<Limits> = {}): Loaded<ChecklistState> {
  const parsed = parseYaml(text, file, { ...DEFAULT_LIMITS, ...limits });
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, diagnostics: [diag('checklist/invalid', 'error', 'the checklist state must be a mapping with schemaVersion, attestations and waivers', { file, pointer: '', expected: 'a YAML mapping', fix: 'start the file with `schemaVersion: "1.0"`' })] };
  }
  const version = (value as Record<string, unknown>).schemaVersion;
  if (version !== CHECKLIST_STATE_VERSION) {
    const missing = version === undefined;
    const newer = typeof version === 'string' && /^\d+(\.\d+)*$/.test(version) && version.localeCompare(CHECKLIST_STATE_VERSION, undefined, { numeric: true }) > 0;
    const message = missing
      ? 'schemaVersion is missing'
      : newer
        ? `schemaVersion "${version}" is newer than this auditmark reads ("${CHECKLIST_STATE_VERSION}")`
        : `schemaVersion ${JSON.stringify(version)} is not supported`;
    const fix = newer
      ? 'upgrade auditmark, or rewrite the file in format 1.0'
      : typeof version === 'number'
        ? 'quote it: `schemaVersion: "1.0"` (unquoted 1.0 is a number in YAML)'
        : 'add `schemaVersion: "1.0"` at the top of the file';
    return { ok: false, diagnostics: withPositions([diag('checklist/schema-version', 'error', message, { file, pointer: '/schemaVersion', expected: `"${CHECKLIST_STATE_VERSION}"`, fix })], text) };
  }
  const schema = validateSchema('checklist', value, file, 'checklist/invalid');
  if (schema.length > 0) return { ok: false, diagnostics: withPositions(schema, text) };
  const state = value as ChecklistState & { $schema?: string };
  const dates: Array<[string | undefined, string]> = [];
  (state.attestations ?? []).forEach((a, i) => dates.push([a.at, pointer('attestations', i, 'at')], [a.expires, pointer('attestations', i, 'expires')]));
  (state.waivers ?? []).forEach((w, i) => dates.push([w.expires, pointer('waivers', i, 'expires')]));
  const bad = dateDiagnostics(dates, file, 'checklist/invalid-date');
  if (bad.length > 0) return { ok: false, diagnostics: withPositions(bad, text) };
  const duplicates = duplicateWaiverIds(state.waivers ?? [], file);
  if (duplicates.length > 0) return { ok: false, diagnostics: withPositions(duplicates, text) };
  const { $schema: _ignored, ...rest } = state;
  return { ok: true, value: rest };
}

function duplicateWaiverIds(waivers: readonly Waiver[], file: string): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  waivers.forEach((w, i) => {
    if (seen.has(w.id)) out.push(diag('checklist/duplicate-waiver', 'error', `waiver id "${w.id}" is used twice`, { file, pointer: pointer('waivers', i, 'id'), expected: 'unique waiver ids', fix: 'give each waiver its own id' }));
    seen.add(w.id);
  });
  return out;
}

/** Read a checklist definition (YAML or JSON), validated by `schemas/checklist-definition.schema.json`; item ids must be unique. */
export function parseChecklistDefinition(text: string, file: string, limits: Partial<Limits> = {}): Loaded<ChecklistDefinition> {
  const parsed = parseYaml(text, file, { ...DEFAULT_LIMITS, ...limits });
  if (!parsed.ok) return parsed;
  const schema = validateSchema('checklist-definition', parsed.value, file, 'checklist-definition/invalid');
  if (schema.length > 0) return { ok: false, diagnostics: withPositions(schema, text) };
  const def = parsed.value as ChecklistDefinition & { $schema?: string };
  const seen = new Set<string>();
  const dup: Diagnostic[] = [];
  def.items.forEach((item, i) => {
    if (seen.has(item.id)) dup.push(diag('checklist-definition/duplicate-item', 'error', `item id "${item.id}" is defined twice`, { file, pointer: pointer('items', i, 'id'), expected: 'unique item ids', fix: 'rename one of the items' }));
    seen.add(item.id);
  });
  if (dup.length > 0) return { ok: false, diagnostics: withPositions(dup, text) };
  const { $schema: _ignored, ...rest } = def;
  return { ok: true, value: rest };
}
