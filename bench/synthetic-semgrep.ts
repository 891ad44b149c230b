/**
 * A synthetic Semgrep 1.x JSON report with `n` findings of `n` distinct rules (the shape of a
 * registry-wide scan of a monorepo: every rule fires once). Rule ids, CWEs, OWASP tags,
 * severities and files vary; deterministic for a given `n`. Used by the bench's "distinct
 * rules" scenarios, where the document has one rule group per finding.
 */
import { rng } from './rng.ts';

const LANGS = ['python', 'javascript', 'go', 'java', 'ruby'] as const;
const AREAS = ['security.audit', 'security.injection', 'lang.security', 'security.crypto', 'security.deserialization'] as const;
const SEVERITIES = ['ERROR', 'WARNING', 'INFO', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
const CWES = [
  "CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
  "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
  "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
  'CWE-327: Use of a Broken or Risky Cryptographic Algorithm',
  'CWE-502: Deserialization of Untrusted Data',
  "CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
  'CWE-798: Use of Hard-coded Credentials',
  'CWE-918: Server-Side Request Forgery (SSRF)',
] as const;
const OWASP = ['A03:2021 - Injection', 'A02:2021 - Cryptographic Failures', 'A08:2021 - Software and Data Integrity Failures', 'A01:2021 - Broken Access Control', 'A10:2021 - Server-Side Request Forgery (SSRF)'] as const;

/** Semgrep JSON text with `n` findings, each of its own rule. */
export function syntheticSemgrep(n: number, seed = 7): string {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const files = Array.from({ length: Math.max(5, Math.ceil(n / 20)) }, (_, i) => `services/svc_${i % 37}/pkg_${i}/handler.${pick(['py', 'js', 'go', 'java', 'rb'])}`);
  const results = [];
  for (let i = 0; i < n; i++) {
    const lang = LANGS[i % LANGS.length]!;
    const rule = `${lang}.${AREAS[i % AREAS.length]}.rule-${String(i).padStart(5, '0')}.check-${i % 97}`;
    const line = 1 + Math.floor(r() * 900);
    const cwe = pick(CWES);
    results.push({
      check_id: rule,
      path: pick(files),
      start: { line, col: 5, offset: line * 40 },
      end: { line: line + 1, col: 30, offset: line * 40 + 65 },
      extra: {
        engine_kind: 'OSS',
        is_ignored: false,
        lines: `    value_${i} = request.args.get("q")\n    run_${i % 13}(value_${i})`,
        message: `Rule ${i} (${cwe.split(':')[0]}): untrusted input from request.args reaches run_${i % 13}() without validation.`,
        severity: pick(SEVERITIES),
        metadata: { category: 'security', confidence: pick(['LOW', 'MEDIUM', 'HIGH']), cwe: [cwe], owasp: [pick(OWASP)], references: [`https://example.invalid/rules/${i}`] },
        fingerprint: 'requires login',
      },
    });
  }
  return JSON.stringify({ errors: [], paths: { scanned: files }, results, version: '1.100.0' });
}
