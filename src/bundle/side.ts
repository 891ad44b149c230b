/**
 * Reading one side of a diff (or a `--baseline`): a build output directory (its report.json), a
 * report.json, or scanner files — raw or normalised, several separated by commas.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RawInput } from '../ingest/ingest.ts';
import { parseJson } from '../ingest/json-text.ts';
import { hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import { isReportJson } from '../plan/assemble-report.ts';
import { readScans } from './inputs.ts';

/** A side as read: a parsed JSON document that may be a report.json, or scanner inputs. */
export type ReadSide =
  | { kind: 'json'; file: string; bytes: number; sha256: string; value: unknown; scans: RawInput[] }
  | { kind: 'scans'; scans: RawInput[] };

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Read a side spec. A single file is parsed once here, so the caller can tell a report.json
 * from scanner output without reading it twice; anything else is handed on as raw scans.
 */
export function readSide(spec: string, limits: Limits): { side?: ReadSide; diagnostics: Diagnostic[] } {
  const first = spec.split(',')[0] ?? spec;
  const files = isDirectory(first) ? [join(first, 'report.json')] : spec.split(',').filter(Boolean);
  const read = readScans(files, limits);
  if (hasErrors(read.diagnostics)) return { diagnostics: read.diagnostics };
  const only = read.scans.length === 1 ? read.scans[0]! : undefined;
  if (only) {
    const parsed = parseJson(Buffer.from(only.bytes).toString('utf8').replace(/^\uFEFF/, ''), only.file, limits);
    if (parsed.ok) {
      // A report.json is used as parsed here, so its repeated keys are reported here; any other
      // document is handed to ingest, which parses it again and reports them itself.
      const own = isReportJson(parsed.value) ? parsed.diagnostics : [];
      const diagnostics = [...read.diagnostics, ...own];
      if (hasErrors(own)) return { diagnostics };
      const sha256 = createHash('sha256').update(only.bytes).digest('hex');
      return { side: { kind: 'json', file: only.file, bytes: only.bytes.byteLength, sha256, value: parsed.value, scans: read.scans }, diagnostics };
    }
  }
  return { side: { kind: 'scans', scans: read.scans }, diagnostics: read.diagnostics };
}
