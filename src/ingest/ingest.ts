import { createHash } from 'node:crypto';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../model/limits.ts';
import { fingerprintRun } from '../model/fingerprint.ts';
import { sortedFindingOrder } from '../model/order.ts';
import { truncateField } from '../model/normalize-text.ts';
import type { Finding, ScanRun } from '../model/types.ts';
import { decodeInput, parseJson } from './json-text.ts';
import { detectFormat, readerById } from './detect.ts';
import { READERS } from './readers.ts';
import type { DraftFinding, DraftRun } from './reader.ts';

/** How users force a reader, named in messages. */
const FORMAT_FLAGS = '--format (normalize) or --format-in (build)';

/** One raw input: its path as given and its bytes. Reading the file is the caller's effect. */
export interface RawInput {
  file: string;
  bytes: Uint8Array;
}

/** Options for {@link ingest}; all optional. */
export interface IngestOptions {
  /** Reader id, or `auto` (default) to detect per file. */
  format?: string;
  limits?: Partial<Limits>;
}

/** Result of ingesting several files: the runs that could be read and every diagnostic. */
export interface IngestResult {
  runs: ScanRun[];
  diagnostics: Diagnostic[];
}

/**
 * Turn raw scanner files into normalised runs. Pure: bytes in, data out. Each file is handled
 * on its own, so one bad file is reported while the others still complete.
 */
export function ingest(inputs: readonly RawInput[], options: IngestOptions = {}): IngestResult {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const runs: ScanRun[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const input of inputs) {
    // The same bytes given twice would double every count without anyone noticing.
    const digest = sha256Hex(input.bytes);
    const first = seen.get(digest);
    if (first !== undefined) {
      diagnostics.push(diag('input/duplicate', 'warning', `same content as ${first}; read once`, {
        file: input.file, fix: 'pass each scanner output once',
      }));
      continue;
    }
    seen.set(digest, input.file);
    const r = ingestOne(input, digest, options.format ?? 'auto', limits);
    runs.push(...r.runs);
    diagnostics.push(...r.diagnostics);
  }
  const total = runs.reduce((n, r) => n + r.findings.length, 0);
  if (total > limits.maxFindings) {
    diagnostics.push(diag('limit/findings', 'error', `${total} findings exceed the limit maxFindings=${limits.maxFindings}`, {
      file: inputs.map((i) => i.file).join(', '), expected: `at most ${limits.maxFindings} findings`, fix: limitHint('maxFindings'),
    }));
  }
  return { runs, diagnostics };
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Readers of formats written as JSON lines: the only ones a file of several JSON values may go to. */
const LINE_READERS = READERS.filter((r) => r.jsonLines === true);

function ingestOne(input: RawInput, sha256: string, format: string, limits: Limits): IngestResult {
  const { file, bytes } = input;
  const fail = (d: Diagnostic): IngestResult => ({ runs: [], diagnostics: [d] });
  if (bytes.length > limits.maxInputBytes) {
    return fail(diag('limit/input-size', 'error', `file is ${bytes.length} bytes, over the limit maxInputBytes=${limits.maxInputBytes}`, {
      file, expected: `at most ${limits.maxInputBytes} bytes`, fix: limitHint('maxInputBytes'),
    }));
  }
  const decoded = decodeInput(bytes, file);
  if (!decoded.ok) return fail(decoded.diagnostic);
  const explicit = format !== 'auto' ? readerById(format) : undefined;
  if (format !== 'auto' && !explicit) {
    return fail(diag('usage/unknown-format', 'error', `unknown scanner format "${format}"`, {
      file, expected: `one of: auto, ${READERS.map((r) => r.id).join(', ')}`, fix: `pass one of the listed ids to ${FORMAT_FLAGS}, or omit it to auto-detect`,
    }));
  }
  if (decoded.text.trim() === '') {
    // An empty capture is as likely a crashed scanner as a clean one; only an explicit
    // --format says "this tool ran and wrote nothing".
    if (explicit) {
      return {
        runs: [finish({ tool: { name: explicit.id }, format: explicit.id, notScanned: [], findings: [], coverage: explicit.coverage }, file, sha256, limits).run],
        diagnostics: [diag('input/empty-accepted', 'warning', `empty file taken as a ${explicit.id} run with no findings because the format was forced`, { file })],
      };
    }
    return fail(diag('input/empty', 'error', 'the file is empty: no scan result to read', {
      file, line: 1, column: 1, expected: 'scanner JSON output',
      fix: `check the scanner ran (a crash also leaves an empty file); if it truly found nothing, force the format (${FORMAT_FLAGS} <tool>) to accept an empty file as zero findings`,
    }));
  }
  // Several JSON values one per line are JSON lines only for a format that is written that way.
  const acceptLines = (records: readonly unknown[]) => (explicit ? explicit.jsonLines === true : detectFormat(records, file, LINE_READERS).reader !== undefined);
  const parsed = parseJson(decoded.text, file, limits, { acceptLines });
  if (!parsed.ok) return fail(parsed.diagnostic);
  // An ambiguous document (a key repeated with different values) is not read at all.
  if (hasErrors(parsed.diagnostics)) return { runs: [], diagnostics: parsed.diagnostics };
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (parsed.stripped) {
    diagnostics.push(diag('input/noise-stripped', 'warning',
      `text around the JSON was ignored (${parsed.stripped.before} line(s) before, ${parsed.stripped.after} after): stdout and stderr were captured together`, {
        file, line: 1, column: 1, fix: 'write the scanner output with its own -o/--output option so logs stay out of it',
      }));
  }
  const detection = explicit ? { reader: explicit, candidates: [] } : detectFormat(parsed.value, file, parsed.lines ? LINE_READERS : READERS);
  const reader = detection.reader;
  if (!reader) {
    const shape = parsed.value === null ? 'the literal null' : Array.isArray(parsed.value) ? 'an array' : typeof parsed.value === 'object' ? `an object with keys ${Object.keys(parsed.value as object).slice(0, 6).join(', ')}` : `a ${typeof parsed.value}`;
    return fail(diag('input/unknown-format', 'error', `not a recognised scanner output (found ${shape})`, {
      file, pointer: '', expected: `output of one of: ${READERS.map((r) => r.id).join(', ')}`,
      fix: parsed.value === null ? `a literal null is written by gitleaks 7 and old Trivy when nothing was found: force the format with ${FORMAT_FLAGS} gitleaks|trivy` : `force the format with ${FORMAT_FLAGS} <id> if the tool is supported, or convert the output to the normalised scan JSON (schemas/scan.schema.json)`,
    }));
  }
  const result = reader.read(parsed.lines ? { file, value: parsed.value, limits, lines: parsed.lines } : { file, value: parsed.value, limits });
  diagnostics.push(...result.diagnostics.map((d) => locate(d, file, parsed.lines !== undefined)));
  const runs = result.runs.map((r) => {
    const done = finish({ ...r, coverage: r.coverage ?? reader.coverage }, file, sha256, limits);
    diagnostics.push(...done.diagnostics);
    return done.run;
  });
  return { runs, diagnostics };
}

/**
 * A reader's diagnostic with the file filled in; for JSON lines also the line, which the record
 * pointer names (`/41/...` is line 42, see `recordPointer`).
 */
function locate(d: Diagnostic, file: string, jsonLines: boolean): Diagnostic {
  const out = d.file === undefined ? { ...d, file } : d;
  if (!jsonLines || out.line !== undefined || out.pointer === undefined) return out;
  const m = /^\/(\d+)(?:\/|$)/.exec(out.pointer);
  return m ? { ...out, line: Number(m[1]) + 1 } : out;
}

function capFields(f: DraftFinding, max: number): DraftFinding {
  // Most findings are far below the limit: copying them all would only feed the GC.
  if (f.title.length <= max && f.message.length <= max && (f.location?.snippet ?? '').length <= max) return f;
  const out = { ...f, title: truncateField(f.title, max), message: truncateField(f.message, max) };
  if (f.location?.snippet !== undefined) out.location = { ...f.location, snippet: truncateField(f.location.snippet, max) };
  return out;
}

/**
 * Two code findings with the same fingerprint basis at the very same place are the tool reporting
 * one problem twice (or a merged file). Both are kept, told apart by the occurrence suffix in a
 * deterministic order, and the user is warned so the count is not silently inflated. Only the
 * groups of findings that share a basis are looked at (`repeats`, in occurrence order).
 */
function duplicateWarnings(findings: readonly Finding[], repeats: readonly number[][], order: readonly number[], file: string): Diagnostic[] {
  const out: Array<[number, Diagnostic]> = [];
  for (const group of repeats) {
    // One basis means one tool, rule, path and code, and a group is in occurrence order (line,
    // then column): findings at the very same place are next to each other.
    let first: Finding | undefined;
    for (const i of group) {
      const f = findings[i]!;
      // Dependency, secret and config findings legitimately repeat per resource, image or commit
      // (Trivy k8s, gitleaks history); only a code finding reported twice at one place is suspect.
      if (f.kind !== 'code') continue;
      if (!first || first.location?.startLine !== f.location?.startLine || first.location?.startColumn !== f.location?.startColumn) {
        first = f;
        continue;
      }
      if (first.message !== f.message) continue;
      out.push([i, diag('ingest/duplicate-fingerprint', 'warning', `finding ${f.pointer} repeats ${first.pointer} (same rule, place, code and message); both are kept as ${first.fingerprint} and ${f.fingerprint}`, {
        file, pointer: f.pointer, fix: 'de-duplicate the scanner output if the repetition is not intended (e.g. a file scanned twice)',
      })]);
    }
  }
  if (out.length === 0) return [];
  // In the findings' stable order, whatever the grouping: each input index's place in `order`.
  const position = new Uint32Array(findings.length);
  for (let k = 0; k < order.length; k++) position[order[k]!] = k;
  return out.sort((a, b) => position[a[0]]! - position[b[0]]!).map(([, d]) => d);
}

/** Attach source, cap field sizes, assign fingerprints and sort into the stable order. */
function finish(run: DraftRun, file: string, sha256: string, limits: Limits): { run: ScanRun; diagnostics: Diagnostic[] } {
  const capped = run.findings.map((f) => capFields(f, limits.maxFieldLength));
  const { fingerprints, repeats } = fingerprintRun(capped);
  // The drafts are this call's own (a reader's fresh objects, or copies made by capFields), so
  // the fingerprint is set on them instead of copying 100,000 objects once more.
  const withFingerprints = capped.map((f, i) => {
    const out = f as Finding;
    out.fingerprint = fingerprints[i]!;
    return out;
  });
  const order = sortedFindingOrder(withFingerprints);
  const findings = order.map((i) => withFingerprints[i]!);
  const diagnostics = duplicateWarnings(withFingerprints, repeats, order, file);
  const out: ScanRun = { ...run, source: run.source ?? { path: file, sha256 }, findings };
  if (out.coverage === undefined) delete out.coverage;
  return { run: out, diagnostics };
}
