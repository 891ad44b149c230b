/**
 * An OSV advisory export (`--osv`): a zip (osv.dev's `<ecosystem>/all.zip`) or a folder of OSV
 * JSON records. Only what fills severity and CVSS is kept: id, aliases, modified, `severity[]`
 * and GitHub's `database_specific.severity`. Pure: the caller reads the folder; a zip is
 * unpacked here, bounded by `maxInputBytes` for the whole export.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { limitHint, type Limits } from '../../model/limits.ts';
import type { OsvAdvisories, OsvAdvisory } from '../../model/risk.ts';
import { isObject } from '../reader.ts';
import { dayOf, readJsonValue, text } from './json-input.ts';

/** One record file of an export: its name inside the folder or zip, and its bytes. */
export interface OsvEntry {
  name: string;
  bytes: Uint8Array;
}

/** The `.json` entries of a zip, refusing one that unpacks beyond `maxInputBytes` in total. */
export function unzipOsv(bytes: Uint8Array, file: string, limits: Pick<Limits, 'maxInputBytes'>): { entries?: OsvEntry[]; diagnostics: Diagnostic[] } {
  let total = 0;
  let over = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.toLowerCase().endsWith('.json')) return false;
        total += f.originalSize;
        if (total > limits.maxInputBytes) over = true;
        return !over;
      },
    });
  } catch (e) {
    return { diagnostics: [diag('osv/invalid', 'error', `not a readable zip: ${String(e).slice(0, 120)}`, { file, expected: 'a zip of OSV JSON records, or a folder of them', fix: 'pass osv.dev\'s <ecosystem>/all.zip as downloaded, or unpack it and pass the folder' })] };
  }
  if (over) return { diagnostics: [diag('limit/input-size', 'error', `the OSV export unpacks to more than maxInputBytes=${limits.maxInputBytes} bytes`, { file, expected: `at most ${limits.maxInputBytes} bytes of records`, fix: limitHint('maxInputBytes') })] };
  return { entries: Object.keys(files).sort().map((name) => ({ name, bytes: files[name]! })), diagnostics: [] };
}

/** Index the records of one export. `sha256` is of the zip, or of the sorted entry names and hashes of a folder. */
export function parseOsvAdvisories(entries: readonly OsvEntry[], file: string, sha256: string, limits: Pick<Limits, 'maxInputBytes' | 'maxJsonDepth'>): { advisories?: OsvAdvisories; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, OsvAdvisory>();
  const aliasOf = new Map<string, OsvAdvisory>();
  let newest: string | undefined;
  let count = 0;
  for (const e of entries) {
    const where = `${file}/${e.name}`;
    const json = readJsonValue(e.bytes, where, limits, 'osv/invalid');
    if (!json.ok) {
      diagnostics.push(...json.diagnostics);
      continue;
    }
    const r = json.value;
    const id = isObject(r) ? text(r.id) : undefined;
    if (!isObject(r) || id === undefined) {
      diagnostics.push(diag('osv/invalid', 'error', `${e.name} is not an OSV record (no id)`, { file: where, pointer: '/id', expected: 'an OSV record {"id": …, "modified": …}', fix: 'remove files that are not OSV records from the folder' }));
      continue;
    }
    const rec: OsvAdvisory = {
      id,
      aliases: (Array.isArray(r.aliases) ? r.aliases : []).map(text).filter((a): a is string => a !== undefined),
      severity: (Array.isArray(r.severity) ? r.severity : []).filter(isObject).map((s) => ({ type: text(s.type) ?? '', score: text(s.score) ?? '' })).filter((s) => s.type !== '' && s.score !== ''),
      entry: e.name,
    };
    const modified = text(r.modified);
    if (modified !== undefined) {
      rec.modified = modified;
      const day = dayOf(modified);
      if (day !== undefined && (newest === undefined || day > newest)) newest = day;
    }
    const dbSev = isObject(r.database_specific) ? text(r.database_specific.severity) : undefined;
    if (dbSev !== undefined) rec.databaseSeverity = dbSev;
    count++;
    // The first record wins for an id, so an export with duplicates gives the same result every time (entries are sorted).
    if (!byId.has(id.toUpperCase())) byId.set(id.toUpperCase(), rec);
    for (const a of rec.aliases) if (!aliasOf.has(a.toUpperCase())) aliasOf.set(a.toUpperCase(), rec);
  }
  if (diagnostics.some((d) => d.level === 'error')) return { diagnostics };
  // Own ids win over aliases: GHSA-x listed as an alias of PYSEC-y still finds GHSA-x's own record.
  for (const [k, rec] of aliasOf) if (!byId.has(k)) byId.set(k, rec);
  const advisories: OsvAdvisories = { file, sha256, count, byId };
  if (newest !== undefined) advisories.date = newest;
  return { advisories, diagnostics };
}

/** The hash recorded for a folder export: over its sorted entry names and their hashes. */
export function folderSha256(entries: readonly OsvEntry[]): string {
  const h = createHash('sha256');
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(`${e.name}\0${createHash('sha256').update(e.bytes).digest('hex')}\n`);
  }
  return h.digest('hex');
}
