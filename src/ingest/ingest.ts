import { createHash } from 'node:crypto';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../model/limits.ts';
import { assignFingerprints, parseFingerprint } from '../model/fingerprint.ts';
import { sortFindings } from '../model/order.ts';
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
    const digest = createHash('sha256').update(input.bytes).digest('hex');
    const first = seen.get(digest);
    if (first !== undefined) {
      diagnostics.push(diag('input/duplicate', 'warning', `same content as ${first}; read once`, {
        file: input.file, fix: 'pass each scanner output once',
      }));
      continue;
    }
    seen.set(digest, input.file);
    const r = ingestOne(input, options.format ?? 'auto', limits);
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

function ingestOne(input: RawInput, format: string, limits: Limits): IngestResult {
  const { file, bytes } = input;
  const fail = (d: Diagnostic): IngestResult => ({ runs: [], diagnostics: [d] });
  if (bytes.length > limits.maxInputBytes) {
    return fail(diag('limit/input-size', 'error', `file is ${bytes.length} bytes, over the limit maxInputBytes=${limits.maxInputBytes}`, {
      file, expected: `at most ${limits.maxInputBytes} bytes`, fix: limitHint('maxInputBytes'),
    }));
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
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
        runs: [finish({ tool: { name: explicit.id }, format: explicit.id, notScanned: [], findings: [], coverage: explicit.coverage }, file, sha256, limits)],
        diagnostics: [diag('input/empty-accepted', 'warning', `empty file taken as a ${explicit.id} run with no findings because the format was forced`, { file })],
      };
    }
    return fail(diag('input/empty', 'error', 'the file is empty: no scan result to read', {
      file, line: 1, column: 1, expected: 'scanner JSON output',
      fix: `check the scanner ran (a crash also leaves an empty file); if it truly found nothing, force the format (${FORMAT_FLAGS} <tool>) to accept an empty file as zero findings`,
    }));
  }
  const parsed = parseJson(decoded.text, file, limits);
  if (!parsed.ok) return fail(parsed.diagnostic);
  const diagnostics: Diagnostic[] = [];
  if (parsed.stripped) {
    diagnostics.push(diag('input/noise-stripped', 'warning',
      `text around the JSON was ignored (${parsed.stripped.before} line(s) before, ${parsed.stripped.after} after): stdout and stderr were captured together`, {
        file, line: 1, column: 1, fix: 'write the scanner output with its own -o/--output option so logs stay out of it',
      }));
  }
  const detection = explicit ? { reader: explicit, candidates: [] } : detectFormat(parsed.value, file);
  const reader = detection.reader;
  if (!reader) {
    const shape = parsed.value === null ? 'the literal null' : Array.isArray(parsed.value) ? 'an array' : typeof parsed.value === 'object' ? `an object with keys ${Object.keys(parsed.value as object).slice(0, 6).join(', ')}` : `a ${typeof parsed.value}`;
    return fail(diag('input/unknown-format', 'error', `not a recognised scanner output (found ${shape})`, {
      file, pointer: '', expected: `output of one of: ${READERS.map((r) => r.id).join(', ')}`,
      fix: parsed.value === null ? `a literal null is written by gitleaks 7 and old Trivy when nothing was found: force the format with ${FORMAT_FLAGS} gitleaks|trivy` : `force the format with ${FORMAT_FLAGS} <id> if the tool is supported, or convert the output to the normalised scan JSON (schemas/scan.schema.json)`,
    }));
  }
  const result = reader.read({ file, value: parsed.value, limits });
  diagnostics.push(...result.diagnostics.map((d) => ({ ...d, file: d.file ?? file })));
  const runs = result.runs.map((r) => finish({ ...r, coverage: r.coverage ?? reader.coverage }, file, sha256, limits));
  for (const run of runs) diagnostics.push(...duplicateWarnings(run, file));
  return { runs, diagnostics };
}

function capFields(f: DraftFinding, max: number): DraftFinding {
  // Most findings are far below the limit: copying them all would only feed the GC.
  if (f.title.length <= max && f.message.length <= max && (f.location?.snippet ?? '').length <= max) return f;
  const out = { ...f, title: truncateField(f.title, max), message: truncateField(f.message, max) };
  if (f.location?.snippet !== undefined) out.location = { ...f.location, snippet: truncateField(f.location.snippet, max) };
  return out;
}

/**
 * Two findings with the same fingerprint basis at the very same place are the tool reporting
 * one problem twice (or a merged file). Both are kept, told apart by the occurrence suffix in
 * a deterministic order, and the user is warned so the count is not silently inflated.
 */
function duplicateWarnings(run: ScanRun, file: string): Diagnostic[] {
  const seen = new Map<string, Finding>();
  const out: Diagnostic[] = [];
  for (const f of run.findings) {
    // Dependency, secret and config findings legitimately repeat per resource, image or commit
    // (Trivy k8s, gitleaks history); only a code finding reported twice at one place is suspect.
    if (f.kind !== 'code') continue;
    const { version, basis } = parseFingerprint(f.fingerprint);
    const key = `${version}:${basis}\u0000${f.location?.path ?? ''}\u0000${f.location?.startLine ?? ''}\u0000${f.location?.startColumn ?? ''}`;
    const first = seen.get(key);
    if (!first) { seen.set(key, f); continue; }
    if (first.message !== f.message) continue;
    out.push(diag('ingest/duplicate-fingerprint', 'warning', `finding ${f.pointer} repeats ${first.pointer} (same rule, place, code and message); both are kept as ${first.fingerprint} and ${f.fingerprint}`, {
      file, pointer: f.pointer, fix: 'de-duplicate the scanner output if the repetition is not intended (e.g. a file scanned twice)',
    }));
  }
  return out;
}

/** Attach source, cap field sizes, assign fingerprints and sort into the stable order. */
function finish(run: DraftRun, file: string, sha256: string, limits: Limits): ScanRun {
  const capped = run.findings.map((f) => capFields(f, limits.maxFieldLength));
  const findings: Finding[] = sortFindings(assignFingerprints(capped));
  const out: ScanRun = { ...run, source: run.source ?? { path: file, sha256 }, findings };
  if (out.coverage === undefined) delete out.coverage;
  return out;
}
