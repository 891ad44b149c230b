import { ingest } from '../ingest/ingest.ts';
import { hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.ts';
import { SCAN_SCHEMA_VERSION, type ScanDocument } from '../model/types.ts';
import { readScans } from './inputs.ts';

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** Reader id for every file, or `auto` (default). */
  format?: string;
  limits?: Partial<Limits>;
}

/**
 * `auditmark normalize`: raw scanner files to one normalised scan document
 * (`schemas/scan.schema.json`). `document` is absent when any file could not be read.
 */
export function normalize(files: readonly string[], options: NormalizeOptions = {}): { document?: ScanDocument; diagnostics: Diagnostic[] } {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const read = readScans(files, limits);
  const result = ingest(read.scans, { format: options.format ?? 'auto', limits });
  const diagnostics = [...read.diagnostics, ...result.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  return { document: { $schema: 'https://auditmark.dev/schemas/scan-1.1.json', schemaVersion: SCAN_SCHEMA_VERSION, runs: result.runs }, diagnostics };
}

/** The bytes `normalize` prints: stable JSON with two-space indent and a final newline. */
export function scanDocumentText(document: ScanDocument): string {
  return JSON.stringify(document, null, 2) + '\n';
}
