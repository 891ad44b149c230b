import type { Diagnostic } from '../model/diagnostics.ts';
import type { Limits } from '../model/limits.ts';
import type { Coverage, Finding, ScanRun } from '../model/types.ts';

/** A finding as a reader produces it; `ingest` assigns the fingerprint. */
export type DraftFinding = Omit<Finding, 'fingerprint'>;

/** A run as a reader produces it; `ingest` adds `source`, fingerprints and the stable order. */
export interface DraftRun extends Omit<ScanRun, 'findings' | 'source'> {
  findings: DraftFinding[];
  /**
   * Only the normalised-scan reader sets this: a run re-read from `auditmark normalize` output
   * keeps the raw scanner file as its evidence. Other readers leave it out and ingest fills it.
   */
  source?: ScanRun['source'];
}

/** What a reader is given: the parsed JSON value plus context. Pure data, no fs. */
export interface ReaderInput {
  /** The file path as the user gave it (for diagnostics). */
  file: string;
  /** The parsed JSON value (any shape: object, array, or `null`); for JSON lines, the array of records. */
  value: unknown;
  limits: Limits;
  /**
   * Set when the file was read as JSON lines (only for readers with `jsonLines`): the 1-based
   * line of each record of `value`. Build record pointers with {@link recordPointer}.
   */
  lines?: readonly number[];
}

/**
 * The JSON pointer of record `i` of a reader's input. For JSON lines the file is taken as the
 * array of its lines, so `/41` is line 42 (a pointer that leads straight to the line, whatever
 * log lines or blank lines come before it); for a JSON array it is the array index.
 */
export function recordPointer(input: Pick<ReaderInput, 'lines'>, i: number): string {
  return `/${input.lines ? input.lines[i]! - 1 : i}`;
}

/** What a reader returns. A reader never throws on bad data: it returns diagnostics. */
export interface ReaderResult {
  runs: DraftRun[];
  diagnostics: Diagnostic[];
}

/** One scanner format. Registered in `src/ingest/readers.ts`. */
export interface Reader {
  /** Stable id, used by `--format` (e.g. `bandit`, `sarif`, `npm-audit`). */
  id: string;
  /** Human description for `--help` and the README table. */
  description: string;
  /**
   * How sure this reader is that `value` is its format: 0 = not mine, 1 = certain.
   * Must look only at shape/keys, never throw, and be cheap.
   */
  detect(value: unknown): number;
  /**
   * File-name patterns used only to break ties on content with no shape (`null`): a gitleaks 7
   * or Trivy legacy run that found nothing writes the literal `null`.
   */
  nullFileHint?: RegExp;
  /** What the tool can detect, for OWASP coverage (from the tool's documented rule metadata). */
  coverage?: Coverage;
  /**
   * True for tools that write one JSON value per line (TruffleHog `--json`, Nuclei `-jsonl`).
   * Only these may get several documents in one file: `detect` and `read` then receive the
   * array of records (and `read` their lines); every other format refuses such a file.
   */
  jsonLines?: boolean;
  read(input: ReaderInput): ReaderResult;
}

/** Type guard for plain JSON objects. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An array or `[]`. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Unique, sorted, non-empty strings. */
export function uniqSorted(values: ReadonlyArray<string | undefined | null>): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))].sort();
}
