/**
 * A synthetic but realistic compose-style Markdown audit document with `n` findings: a findings
 * index of `n` rows (one per rule group, as the compose contract defines it) and `n` occurrence
 * rows spread over h3 groups, plus the usual summary, scope, OWASP and checklist sections.
 * Deterministic for a given `n`; used by the PDF tests and `benchRender`.
 */
const TOOLS = ['bandit', 'semgrep', 'pip-audit', 'trivy'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const OWASP = ['A01:2021, A01:2025', 'A03:2021, A05:2025', 'A02:2021, A04:2025', 'A06:2021, A03:2025', 'A08:2021, A08:2025', '—'] as const;
const TITLES = [
  'subprocess call with shell=True identified',
  'Possible SQL injection vector through string-based query construction',
  'Use of weak MD5 hash for security',
  'Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data',
  'Requests call without timeout',
  'Probable insecure usage of temp file/directory',
  'Jinja2 templates with autoescape=False (Çelik’s review pending)',
] as const;

/** Markdown text of a document with `n` findings. */
export function syntheticMarkdown(n: number, options: { title?: string; groupSize?: number } = {}): string {
  const title = options.title ?? `Security scan report: synthetic-service (${n} findings)`;
  const groupSize = options.groupSize ?? 25;
  const out: string[] = [];
  out.push('---', `title: "${title}"`, 'classification: Confidential', 'created: "2026-11-20T09:00:00Z"', '---', '');
  out.push(`# ${title}`, '', 'Purpose: release evidence for synthetic-service; every number below is computed from the scanner files.', '');
  const counts = SEVERITIES.map((s, k) => [s, Math.floor(n / SEVERITIES.length) + (k < n % SEVERITIES.length ? 1 : 0)] as const);
  out.push('## Summary', '', 'Overall status: **REMEDIATION REQUIRED**.', '', '| Severity | Open | Waived | Total |', '| --- | ---: | ---: | ---: |');
  for (const [s, c] of counts) out.push(`| ${s} | ${c} | 0 | ${c} |`);
  out.push('', '## Scope and evidence', '');
  for (const t of TOOLS) out.push(`- ${t} run on 2026-11-19 over \`src/\` (sha256 \`${t.length.toString(16).padStart(64, 'a')}\`).`);
  out.push('', 'Reviewers: Zoë Çelik, Łukasz Wróbel, Ana Ştefănescu.', '');
  out.push('## Findings', '', '| Severity | Tool | Rule | Title | OWASP | State | Count |', '| --- | --- | --- | --- | --- | --- | ---: |');
  for (let i = 0; i < n; i++) {
    const sev = SEVERITIES[i % SEVERITIES.length];
    const tool = TOOLS[i % TOOLS.length];
    const state = i % 11 === 0 ? 'open 1, waived 1' : i % 17 === 0 ? 'suppressed 1' : 'open 1';
    out.push(`| ${sev} | ${tool} | R${String(i).padStart(5, '0')} | ${TITLES[i % TITLES.length]} | ${OWASP[i % OWASP.length]} | ${state} | 1 |`);
  }
  out.push('', '## Finding details', '');
  for (let g = 0; g * groupSize < n; g++) {
    const first = g * groupSize;
    out.push(`### Group ${g + 1}: ${TITLES[g % TITLES.length]}`, '', `CWE-${78 + g}. ${TITLES[g % TITLES.length]}; review each occurrence below.`, '');
    out.push('| File | Line | Snippet | Fingerprint |', '| --- | ---: | --- | --- |');
    for (let i = first; i < Math.min(n, first + groupSize); i++) {
      out.push(`| src/module_${i % 97}/handler_${i}.py | ${1 + ((i * 37) % 800)} | \`result_${i} = run(cmd_${i}, shell=True)\` | fp1:occ:${String(i).padStart(6, '0')} |`);
    }
    out.push('');
  }
  out.push('## OWASP Top 10', '', '| Category | Open | Status |', '| --- | ---: | --- |');
  for (const o of OWASP.slice(0, 5)) out.push(`| ${o.split(',')[0]} | ${Math.ceil(n / 6)} | FAIL |`);
  out.push('', '## Checklist', '', '- [x] SEC-01 Dependencies scanned within 30 days', '- [ ] SEC-02 No open high findings', '');
  return out.join('\n') + '\n';
}
