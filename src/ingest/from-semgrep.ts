import { pointer } from '../model/diagnostics.ts';
import { collectCwes } from '../model/normalize-text.ts';
import type { Severity } from '../model/types.ts';
import { FieldCheck, confidenceOf, errorsAsNotScanned, pathLocation } from './field-check.ts';
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
    f.refuse('Semgrep output has no "results" array', isObject(value) ? '/results' : '', 'an array at /results', 'write the report with `semgrep --json -o <file>`');
    return { runs: [], diagnostics: f.diagnostics };
  }
  const findings: DraftFinding[] = [];
  value.results.forEach((raw, i) => {
    const base = pointer('results', i);
    const r = f.item(raw, base);
    if (!r) return;
    const checkId = f.requiredString(r.check_id, `${base}/check_id`);
    const file = f.requiredString(r.path, `${base}/path`);
    if (checkId === undefined || file === undefined) return;
    const start = f.object(r.start, `${base}/start`) ?? {};
    const end = f.object(r.end, `${base}/end`) ?? {};
    const extra = f.object(r.extra, `${base}/extra`) ?? {};
    const meta = f.object(extra.metadata, `${base}/extra/metadata`) ?? {};
    const location = pathLocation(file);
    const sl = f.int(start.line, `${base}/start/line`), sc = f.int(start.col, `${base}/start/col`);
    const el = f.int(end.line, `${base}/end/line`), ec = f.int(end.col, `${base}/end/col`);
    if (sl !== undefined) location.startLine = sl;
    if (sc !== undefined) location.startColumn = sc;
    if (el !== undefined) location.endLine = el;
    if (ec !== undefined) location.endColumn = ec;
    const lines = f.string(extra.lines, `${base}/extra/lines`);
    if (lines !== undefined && lines.trim() !== '' && !PLACEHOLDER.test(lines)) location.snippet = lines;
    const sev = f.severity(extra.severity, SEMGREP_SEVERITY, `${base}/extra/severity`, 'Semgrep');
    const cweRaw = meta.cwe;
    const confidence = confidenceOf(meta.confidence);
    const fp = f.string(extra.fingerprint, `${base}/extra/fingerprint`);
    const refs = Array.isArray(meta.references) ? meta.references : typeof meta.references === 'string' ? [meta.references] : [];
    const finding: DraftFinding = {
      tool: 'semgrep', kind: 'code', ruleId: checkId,
      // Rule ids are dotted paths; the last segment is the rule's own name.
      title: checkId.split('.').pop() || checkId,
      message: f.string(extra.message, `${base}/extra/message`) ?? '',
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
    // `nosemgrep` is a developer's decision written in the code: an in-source suppression without review state.
    if (extra.is_ignored === true) finding.suppressions = [{ kind: 'nosemgrep' }];
    findings.push(finding);
  });
  const notScanned = errorsAsNotScanned(f, value.errors, '/errors', 'Semgrep', (e) => {
    const type = typeof e.type === 'string' ? e.type : Array.isArray(e.type) && typeof e.type[0] === 'string' ? e.type[0] : 'error';
    const message = typeof e.message === 'string' ? e.message.split('\n')[0]?.trim() : undefined;
    return { reason: message ? `${type}: ${message}` : type, path: errorPath(e) };
  });
  const version = f.string(value.version, '/version');
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
