import banditRules from '../../data/bandit-rules.json' with { type: 'json' };
import { pointer } from '../model/diagnostics.ts';
import { normalizeCwe, normalizePath } from '../model/normalize-text.ts';
import type { Coverage, Severity, SourceLocation } from '../model/types.ts';
import { FieldCheck, confidenceOf, errorsAsNotScanned } from './field-check.ts';
import { isObject, type DraftFinding, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

/** Bandit's issue severities, mapped one to one; Bandit's own `UNDEFINED` is our `unknown`. */
export const BANDIT_SEVERITY: Readonly<Record<string, Severity>> = { high: 'high', medium: 'medium', low: 'low', undefined: 'unknown' };

const RULES: Readonly<Record<string, { name: string; cwe: string }>> = banditRules.rules;

/** CWE of a Bandit test id from Bandit's documented rule metadata (`data/bandit-rules.json`), if known. */
export function banditRuleCwe(testId: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(RULES, testId) ? RULES[testId]?.cwe : undefined;
}

const COVERAGE: Coverage = {
  cwe: [...new Set(Object.values(RULES).map((r) => r.cwe))].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))),
  source: `Bandit ${banditRules.banditVersion} rule set (data/bandit-rules.json: ${banditRules.source})`,
};

/**
 * Remove the line-number prefixes Bandit puts in `code` (`"44     enabled: …"`: the number and
 * one space, the rest is the source's own indentation). With `from`/`to`, keep only the flagged
 * lines: Bandit adds context lines around them, and a fingerprint must not change when a
 * neighbouring line does. Falls back to every line when no prefix matches the range.
 */
export function stripBanditCode(code: string, from?: number, to?: number): string {
  const lines = code.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map((l) => {
    const m = /^(\d+)(?:\t| |$)/.exec(l);
    return m ? { n: Number(m[1]), text: l.slice(m[0].length) } : { n: undefined, text: l };
  });
  const flagged = from === undefined ? [] : lines.filter((l) => l.n !== undefined && l.n >= from && l.n <= (to ?? from));
  return (flagged.length > 0 ? flagged : lines).map((l) => l.text).join('\n');
}

function detect(v: unknown): number {
  if (!isObject(v)) return 0;
  const keys = ['results', 'metrics', 'generated_at', 'errors'].filter((k) => k in v).length;
  if (keys < 3 || !('results' in v)) return 0;
  const first = Array.isArray(v.results) ? v.results[0] : undefined;
  if (isObject(first) && ('test_id' in first || 'issue_severity' in first)) return 1;
  return isObject(v.metrics) && '_totals' in v.metrics ? 0.95 : 0.8;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value) || !Array.isArray(value.results)) {
    f.refuse('Bandit output has no "results" array', isObject(value) ? '/results' : '', 'an array at /results', 'write the report with `bandit -f json -o <file>`');
    return { runs: [], diagnostics: f.diagnostics };
  }
  let version: string | undefined;
  const findings: DraftFinding[] = [];
  value.results.forEach((raw, i) => {
    const base = pointer('results', i);
    const r = f.item(raw, base);
    if (!r) return;
    const testId = f.requiredString(r.test_id, `${base}/test_id`);
    const file = f.requiredString(r.filename, `${base}/filename`);
    const line = f.requiredLine(r.line_number, `${base}/line_number`);
    if (testId === undefined || file === undefined || line === undefined) return;
    const colOffset = f.int(r.col_offset, `${base}/col_offset`, 0);
    const endColOffset = f.int(r.end_col_offset, `${base}/end_col_offset`, 0);
    const lineRange = f.array(r.line_range, `${base}/line_range`).filter((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0);
    const code = f.string(r.code, `${base}/code`);
    const moreInfo = f.string(r.more_info, `${base}/more_info`);
    version ??= moreInfo ? /\/en\/(\d+\.\d+(?:\.\d+)?[^/]*)\//.exec(moreInfo)?.[1] : undefined;
    const path = normalizePath(file);
    const location: SourceLocation = { path, startLine: line };
    if (path !== file) location.originalPath = file;
    // Bandit's col_offset is Python's 0-based AST offset; its own SARIF writes col_offset + 1.
    if (colOffset !== undefined) location.startColumn = colOffset + 1;
    const endLine = lineRange.length > 0 ? Math.max(...lineRange) : undefined;
    if (endLine !== undefined && endLine >= line) location.endLine = endLine;
    if (endColOffset !== undefined && endColOffset > 0) location.endColumn = endColOffset + 1;
    if (code !== undefined) {
      const snippet = stripBanditCode(code, line, location.endLine ?? line);
      if (snippet.trim() !== '') location.snippet = snippet;
    }
    const sev = f.severity(r.issue_severity, BANDIT_SEVERITY, `${base}/issue_severity`, 'Bandit');
    const confidence = confidenceOf(r.issue_confidence);
    const issueCwe = f.object(r.issue_cwe, `${base}/issue_cwe`);
    const fileCwe = issueCwe ? normalizeCwe(issueCwe.id) : undefined;
    const inferred = fileCwe ? undefined : banditRuleCwe(testId);
    const testName = f.string(r.test_name, `${base}/test_name`);
    const text = f.string(r.issue_text, `${base}/issue_text`) ?? '';
    const finding: DraftFinding = {
      tool: 'bandit',
      kind: 'code',
      ruleId: testId,
      title: testName ?? RULES[testId]?.name ?? testId,
      message: text,
      severity: sev.severity,
      cwe: fileCwe ? [fileCwe] : inferred ? [inferred] : [],
      aliases: [],
      location,
      references: moreInfo ? [moreInfo] : [],
      pointer: base,
    };
    if (sev.rawSeverity !== undefined) finding.rawSeverity = sev.rawSeverity;
    if (confidence) finding.confidence = confidence;
    if (inferred) finding.cweInferred = true;
    findings.push(finding);
  });
  const notScanned = errorsAsNotScanned(f, value.errors, '/errors', 'Bandit', (e, at) => {
    const path = f.string(e.filename, `${at}/filename`);
    return { reason: f.string(e.reason, `${at}/reason`) ?? 'Bandit reported an error for this file', path };
  });
  const generatedAt = f.string(value.generated_at, '/generated_at');
  return {
    runs: [{
      tool: version ? { name: 'bandit', version } : { name: 'bandit' },
      format: 'bandit',
      ...(generatedAt ? { startedAt: generatedAt } : {}),
      notScanned,
      coverage: COVERAGE,
      findings,
    }],
    diagnostics: f.diagnostics,
  };
}

/** Bandit JSON (`bandit -f json`), every version from 2020 on. */
export const fromBandit: Reader = {
  id: 'bandit',
  description: 'Bandit JSON (`bandit -f json`)',
  detect,
  coverage: COVERAGE,
  read,
};
