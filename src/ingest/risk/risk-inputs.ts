/**
 * All risk inputs of a build, parsed together: VEX documents, the KEV and EPSS snapshots and
 * OSV advisory exports. Every file is parsed even when another fails, so one run reports every
 * problem. Pure: the bundle reads the files.
 */
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { Limits } from '../../model/limits.ts';
import type { RiskInputs } from '../../model/risk.ts';
import type { RawInput } from '../ingest.ts';
import { parseEpss } from './epss.ts';
import { parseKev } from './kev.ts';
import { parseOsvAdvisories, unzipOsv, type OsvEntry } from './osv-advisories.ts';
import { parseVex } from './vex.ts';

/** An OSV export as read: a zip's bytes, or a folder's record files (with the folder's recorded hash). */
export type RawOsvExport = { file: string; zip: Uint8Array; sha256: string } | { file: string; entries: OsvEntry[]; sha256: string };

/** Risk input files, read but not parsed. */
export interface RawRiskInputs {
  vex?: RawInput[];
  kev?: RawInput;
  epss?: RawInput;
  osv?: RawOsvExport[];
}

/** Parse every risk input; `inputs` holds what parsed. */
export function parseRiskInputs(raw: RawRiskInputs | undefined, limits: Pick<Limits, 'maxInputBytes' | 'maxJsonDepth'>): { inputs: RiskInputs; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const inputs: RiskInputs = { vex: [], osv: [] };
  for (const v of raw?.vex ?? []) {
    const r = parseVex(v.bytes, v.file, limits);
    diagnostics.push(...r.diagnostics);
    if (r.document) inputs.vex.push(r.document);
  }
  if (raw?.kev) {
    const r = parseKev(raw.kev.bytes, raw.kev.file, limits);
    diagnostics.push(...r.diagnostics);
    if (r.catalog) inputs.kev = r.catalog;
  }
  if (raw?.epss) {
    const r = parseEpss(raw.epss.bytes, raw.epss.file, limits);
    diagnostics.push(...r.diagnostics);
    if (r.snapshot) inputs.epss = r.snapshot;
  }
  for (const o of raw?.osv ?? []) {
    let entries: OsvEntry[] | undefined;
    if ('zip' in o) {
      const u = unzipOsv(o.zip, o.file, limits);
      diagnostics.push(...u.diagnostics);
      entries = u.entries;
    } else {
      entries = o.entries;
    }
    if (!entries) continue;
    const r = parseOsvAdvisories(entries, o.file, o.sha256, limits);
    diagnostics.push(...r.diagnostics);
    if (r.advisories) inputs.osv.push(r.advisories);
  }
  return { inputs, diagnostics };
}
