import { diag, pointer } from '../model/diagnostics.ts';
import { normalizePath } from '../model/normalize-text.ts';
import type { Coverage, SourceLocation } from '../model/types.ts';
import { FieldCheck } from './field-check.ts';
import { isObject, type DraftFinding, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

const COVERAGE: Coverage = { secrets: true, cwe: ['CWE-798'], source: 'gitleaks detects hard-coded credentials (CWE-798: Use of Hard-coded Credentials)' };

/** gitleaks writes this instead of the secret under `--redact`; it is not secret and stays as is. */
const REDACTED = 'REDACTED';

/**
 * Mask a secret for reports: at most its first 4 characters (and never more than a quarter of
 * it, so short secrets reveal almost nothing) followed by `…`. Counts code points, so an emoji
 * is never cut in half.
 */
export function maskSecret(secret: string): string {
  if (secret === REDACTED) return secret;
  const chars = Array.from(secret);
  const keep = Math.min(4, Math.floor(chars.length / 4));
  return chars.slice(0, keep).join('') + '…';
}

/**
 * The flagged text with every occurrence of the secret masked. If the secret is unknown or does
 * not occur literally (gitleaks may have decoded it), the text cannot be proven clean, so it is
 * dropped rather than shown.
 */
export function maskInText(text: string | undefined, secret: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!secret || secret === REDACTED) return secret === REDACTED ? text : undefined;
  if (!text.includes(secret)) return undefined;
  return text.split(secret).join(maskSecret(secret));
}

function detect(v: unknown): number {
  if (!Array.isArray(v) || v.length === 0 || !isObject(v[0])) return 0;
  const first = v[0];
  if ('RuleID' in first && ('Secret' in first || 'Match' in first || 'StartLine' in first)) return 1;
  if ('offender' in first && ('rule' in first || 'leakURL' in first)) return 1;
  return 0;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  const run = (findings: DraftFinding[]) => ({ tool: { name: 'gitleaks' }, format: 'gitleaks', notScanned: [], coverage: COVERAGE, findings });
  // gitleaks 7 writes the literal `null` when it found nothing (v8 writes `[]`).
  if (value === null) return { runs: [run([])], diagnostics: [] };
  if (!Array.isArray(value)) {
    f.push(diag('ingest/bad-field', 'error', 'gitleaks output must be an array of leaks (or null)', {
      pointer: '', expected: 'an array', fix: 'write the report with `gitleaks detect -f json -r <file>`',
    }));
    return { runs: [], diagnostics: f.diagnostics };
  }
  const findings: DraftFinding[] = [];
  value.forEach((raw, i) => {
    const base = pointer(i);
    const r = f.item(raw, base);
    if (!r) return;
    const v8 = 'RuleID' in r || 'File' in r;
    const file = f.reqStr(r, v8 ? 'File' : 'file', base);
    const rule = f.reqStr(r, v8 ? 'RuleID' : 'rule', base);
    if (file === undefined || rule === undefined) return;
    const secret = f.optStr(r, v8 ? 'Secret' : 'offender', base);
    const context = f.optStr(r, v8 ? 'Match' : 'line', base);
    const description = v8 ? f.optStr(r, 'Description', base) : undefined;
    const commit = f.optStr(r, v8 ? 'Commit' : 'commit', base);
    const path = normalizePath(file);
    const location: SourceLocation = { path };
    if (path !== file) location.originalPath = file;
    const line = f.optInt(r, v8 ? 'StartLine' : 'lineNumber', base);
    if (line !== undefined) location.startLine = line;
    if (v8) {
      const sc = f.optInt(r, 'StartColumn', base), el = f.optInt(r, 'EndLine', base), ec = f.optInt(r, 'EndColumn', base);
      if (sc !== undefined) location.startColumn = sc;
      if (el !== undefined) location.endLine = el;
      if (ec !== undefined) location.endColumn = ec;
    }
    const snippet = maskInText(context, secret);
    if (snippet !== undefined) location.snippet = snippet;
    const title = description?.trim() || rule;
    const where = commit && /^[0-9a-f]{7,}$/i.test(commit) && !/^0+$/.test(commit) ? ` (commit ${commit.slice(0, 12)})` : '';
    const finding: DraftFinding = {
      tool: 'gitleaks', kind: 'secret', ruleId: rule, title,
      message: `${title}: hard-coded credential (${secret ? maskSecret(secret) : 'value not reported'}) committed in ${path}${where}. Revoke and rotate it: deleting it from the code does not delete it from the history.`,
      // gitleaks has no severity: a leaked credential is exploitable as found, so every leak is high.
      severity: 'high',
      cwe: ['CWE-798'],
      aliases: [],
      location,
      references: [],
      pointer: base,
    };
    const fp = v8 ? f.optStr(r, 'Fingerprint', base) : undefined;
    if (fp) finding.producerFingerprints = { gitleaks: fp };
    findings.push(finding);
  });
  return { runs: [run(findings)], diagnostics: f.diagnostics };
}

/** gitleaks JSON: v7 lowercase keys (or `null`), v8 PascalCase keys (or `[]`). Secrets are always masked. */
export const fromGitleaks: Reader = {
  id: 'gitleaks',
  description: 'gitleaks JSON (`gitleaks detect -f json`, v7 and v8; secrets masked)',
  detect,
  nullFileHint: /gitleaks/i,
  coverage: COVERAGE,
  read,
};
