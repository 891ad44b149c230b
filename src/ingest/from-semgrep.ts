import { diag, pointer } from '../model/diagnostics.ts';
import { collectCwes, normalizePath } from '../model/normalize-text.ts';
import type { Confidence, NotScanned, Severity, SourceLocation } from '../model/types.ts';
import { FieldCheck } from './field-check.ts';
import { isObject, uniqSorted, type DraftFinding, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

/**
 * Semgrep severities. Legacy words follow Semgrep's own equivalence (INFO = low, WARNING =
 * medium, ERROR = high); the newer LOW…CRITICAL map directly; EXPERIMENT/INVENTORY rules
 * are informational by design.
 */
export const SEMGREP_SEVERITY: Readonly<Record<string, Severity>> = {
  info: 'low', warning: 'medium', error: 'high',
  low: 'low', medium: 'medium', high: 'high', critical: 'critical',
  experiment: 'info', inventory: 'info',
};

const CONFIDENCE: Readonly<Record<string, Confidence>> = { high: 'high', medium: 'medium', low: 'low' };

/** Placeholders Semgrep writes instead of content when not logged in: never a snippet or fingerprint. */
const PLACEHOLDER = /^\s*requires login\s*$/i;

const COVERAGE_SOURCE = 'CWEs named in the metadata of the Semgrep rules that reported results in this run (Semgrep\'s rule set is chosen by the user and its JSON does not list rules without results)';

function detect(v: unknown): number {
  if (!isObject(v) || !('results' in v)) return 0;
  // Bandit also has results + errors; its metrics/generated_at keys rule Semgrep out.
  if ('metrics' in v || 'generated_at' in v) return 0;
  const first = Array.isArray(v.results) ? v.results[0] : undefined;
  if (isObject(first) && 'check_id' in first) return 1;
  const semgrepKeys = 'paths' in v || 'skipped_rules' in v || 'interfile_languages_used' in v;
  // A recognisable Semgrep document whose results is broken is still claimed, so read() can say what is wrong.
  if (!Array.isArray(v.results)) return semgrepKeys && Array.isArray(v.errors) ? 0.7 : 0;
  if (!Array.isArray(v.errors)) return 0;
  return semgrepKeys || 'version' in v ? 0.9 : 0.6;
}

/** Where a Semgrep error points: its `path`, or the first span of a `["PartialParsing", [...]]` type. */
function errorPath(e: Record<string, unknown>): string | undefined {
  if (typeof e.path === 'string') return e.path;
  if (Array.isArray(e.type) && Array.isArray(e.type[1]) && isObject(e.type[1][0]) && typeof e.type[1][0].path === 'string') return e.type[1][0].path;
  const span = Array.isArray(e.spans) ? e.spans[0] : undefined;
  return isObject(span) && typeof span.file === 'string' ? span.file : undefined;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value) || !Array.isArray(value.results)) {
    f.push(diag('ingest/bad-field', 'error', 'Semgrep output has no "results" array', {
      pointer: isObject(value) ? '/results' : '', expected: 'an array at /results', fix: 'write the report with `semgrep --json -o <file>`',
    }));
    return { runs: [], diagnostics: f.diagnostics };
  }
  const findings: DraftFinding[] = [];
  value.results.forEach((raw, i) => {
    const base = pointer('results', i);
    const r = f.item(raw, base);
    if (!r) return;
    const checkId = f.reqStr(r, 'check_id', base);
    const file = f.reqStr(r, 'path', base);
    if (checkId === undefined || file === undefined) return;
    const start = f.optObj(r, 'start', base) ?? {};
    const end = f.optObj(r, 'end', base) ?? {};
    const extra = f.optObj(r, 'extra', base) ?? {};
    const meta = f.optObj(extra, 'metadata', base + '/extra') ?? {};
    const path = normalizePath(file);
    const location: SourceLocation = { path };
    if (path !== file) location.originalPath = file;
    const sl = f.optInt(start, 'line', base + '/start'), sc = f.optInt(start, 'col', base + '/start');
    const el = f.optInt(end, 'line', base + '/end'), ec = f.optInt(end, 'col', base + '/end');
    if (sl !== undefined) location.startLine = sl;
    if (sc !== undefined) location.startColumn = sc;
    if (el !== undefined) location.endLine = el;
    if (ec !== undefined) location.endColumn = ec;
    const lines = f.optStr(extra, 'lines', base + '/extra');
    if (lines !== undefined && lines.trim() !== '' && !PLACEHOLDER.test(lines)) location.snippet = lines;
    const sev = f.severity(extra.severity, SEMGREP_SEVERITY, base + '/extra/severity');
    const cweRaw = meta.cwe;
    const confidence = typeof meta.confidence === 'string' ? CONFIDENCE[meta.confidence.trim().toLowerCase()] : undefined;
    const fp = f.optStr(extra, 'fingerprint', base + '/extra');
    const refs = Array.isArray(meta.references) ? meta.references : typeof meta.references === 'string' ? [meta.references] : [];
    const finding: DraftFinding = {
      tool: 'semgrep', kind: 'code', ruleId: checkId,
      // Rule ids are dotted paths; the last segment is the rule's own name.
      title: checkId.split('.').pop() || checkId,
      message: f.optStr(extra, 'message', base + '/extra') ?? '',
      severity: sev.severity,
      cwe: collectCwes(Array.isArray(cweRaw) ? cweRaw : [cweRaw]),
      aliases: [],
      location,
      references: uniqSorted([...refs.filter((x): x is string => typeof x === 'string'), typeof meta.source === 'string' ? meta.source : undefined]),
      pointer: base,
    };
    if (sev.rawSeverity !== undefined) finding.rawSeverity = sev.rawSeverity;
    if (confidence) finding.confidence = confidence;
    if (fp && !PLACEHOLDER.test(fp)) finding.producerFingerprints = { semgrep: fp };
    if (extra.is_ignored === true) finding.suppressed = { kind: 'nosemgrep' };
    findings.push(finding);
  });
  const notScanned: NotScanned[] = [];
  f.optArr(value, 'errors', '').forEach((raw, i) => {
    const base = pointer('errors', i);
    if (!isObject(raw)) {
      f.bad(base, 'an object', raw, false);
      notScanned.push({ reason: 'Semgrep reported an error it could not describe', pointer: base });
      return;
    }
    const type = typeof raw.type === 'string' ? raw.type : Array.isArray(raw.type) && typeof raw.type[0] === 'string' ? raw.type[0] : 'error';
    const message = typeof raw.message === 'string' ? raw.message.split('\n')[0]?.trim() : undefined;
    const entry: NotScanned = { reason: message ? `${type}: ${message}` : type, pointer: base };
    const p = errorPath(raw);
    if (p) entry.path = normalizePath(p);
    notScanned.push(entry);
  });
  const version = f.optStr(value, 'version', '');
  const seenCwes = collectCwes(findings.flatMap((x) => x.cwe));
  return {
    runs: [{
      tool: version ? { name: 'semgrep', version } : { name: 'semgrep' },
      format: 'semgrep',
      notScanned,
      coverage: { cwe: seenCwes, source: COVERAGE_SOURCE },
      findings,
    }],
    diagnostics: f.diagnostics,
  };
}

/** Semgrep JSON (`semgrep --json`). */
export const fromSemgrep: Reader = {
  id: 'semgrep',
  description: 'Semgrep JSON (`semgrep --json`)',
  detect,
  read,
};
