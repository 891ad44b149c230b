import { pointer } from '../model/diagnostics.ts';
import type { Coverage } from '../model/types.ts';
import { FieldCheck, maskInText, maskSecret, pathLocation } from './field-check.ts';
import { isObject, type DraftFinding, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

const COVERAGE: Coverage = { secrets: true, cwe: ['CWE-798'], source: 'gitleaks detects hard-coded credentials (CWE-798: Use of Hard-coded Credentials)' };

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
    f.refuse('gitleaks output must be an array of leaks (or null)', '', 'an array', 'write the report with `gitleaks detect -f json -r <file>`');
    return { runs: [], diagnostics: f.diagnostics };
  }
  const findings: DraftFinding[] = [];
  value.forEach((raw, i) => {
    const base = pointer(i);
    const r = f.item(raw, base);
    if (!r) return;
    const v8 = 'RuleID' in r || 'File' in r;
    // v8 keys are PascalCase, v7 keys lower camelCase; the pointer names the key actually read.
    const at = (k8: string, k7: string): [unknown, string] => {
      const k = v8 ? k8 : k7;
      return [r[k], `${base}/${k}`];
    };
    const file = f.requiredString(...at('File', 'file'));
    const rule = f.requiredString(...at('RuleID', 'rule'));
    if (file === undefined || rule === undefined) return;
    const secret = f.string(...at('Secret', 'offender'));
    const context = f.string(...at('Match', 'line'));
    const description = v8 ? f.string(r.Description, `${base}/Description`) : undefined;
    const commit = f.string(...at('Commit', 'commit'));
    const location = pathLocation(file);
    const { path } = location;
    const line = f.int(...at('StartLine', 'lineNumber'));
    if (line !== undefined) location.startLine = line;
    if (v8) {
      const sc = f.int(r.StartColumn, `${base}/StartColumn`), el = f.int(r.EndLine, `${base}/EndLine`), ec = f.int(r.EndColumn, `${base}/EndColumn`);
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
    const fp = v8 ? f.string(r.Fingerprint, `${base}/Fingerprint`) : undefined;
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
