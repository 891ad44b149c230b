/**
 * Builds `Report` values by hand for compose tests, independent of `enrich()`: findings are
 * given explicitly and the summary counts are tallied here from them, so a template that
 * printed a wrong field would disagree with these numbers.
 */
import type { Report, ReportFinding, RunSummary } from '../../src/model/report.ts';
import { REPORT_SCHEMA_VERSION, zeroCounts } from '../../src/model/report.ts';

/** A finding with defaults for every field not given. */
export function finding(over: Partial<ReportFinding> & { ruleId: string }): ReportFinding {
  return {
    fingerprint: over.fingerprint ?? `v1:${Buffer.from(over.ruleId + JSON.stringify(over.location ?? over.package ?? '')).toString('hex').padEnd(32, '0').slice(0, 32)}`,
    tool: 'bandit',
    kind: 'code',
    title: over.ruleId,
    message: 'message',
    severity: 'medium',
    cwe: [],
    aliases: [],
    references: [],
    pointer: '/results/0',
    owasp: [],
    status: 'open',
    run: 0,
    ...over,
  };
}

/** A run summary with defaults; counts are filled by `buildReport`. */
export function run(over: Partial<RunSummary> = {}): RunSummary {
  return {
    tool: 'bandit',
    format: 'bandit-json',
    source: { path: 'scans/bandit.json', sha256: 'a'.repeat(64) },
    notScanned: [],
    counts: zeroCounts(),
    total: 0,
    freshness: 'fresh',
    ageDays: 1,
    warnings: [],
    ...over,
  };
}

/** Assemble a report; summary, per-run counts and unmapped list are tallied from the findings. */
export function buildReport(parts: { runs: RunSummary[]; findings: ReportFinding[] } & Partial<Omit<Report, 'runs' | 'findings'>>): Report {
  const { runs, findings, ...rest } = parts;
  const bySeverity = zeroCounts();
  const openBySeverity = zeroCounts();
  const byTool: Record<string, number> = {};
  const countedRuns = runs.map((r) => ({ ...r, counts: zeroCounts(), total: 0 }));
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    if (f.status === 'open') openBySeverity[f.severity] += 1;
    byTool[f.tool] = (byTool[f.tool] ?? 0) + 1;
    const r = countedRuns[f.run]!;
    r.counts[f.severity] += 1;
    r.total += 1;
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata: {
      title: 'Security scan report',
      purpose: 'Security scan results',
      description: 'Security validation before deployment',
      project: 'demo-app',
      documentVersion: '1.0',
      documentStatus: 'Final',
      classification: 'Internal',
      language: 'en',
      created: '2026-01-02T03:04:05Z',
      template: { id: 'security-scan', version: '1.0.0' },
      auditmarkVersion: '0.1.0',
      documentId: 'doc-0123456789abcdef',
      ...rest.metadata,
    },
    status: rest.status ?? { overall: 'VALIDATED', reasons: [{ code: 'validated', args: { runs: runs.length, findings: findings.length, waived: 0, suppressed: 0, openBelowThreshold: 0 } }] },
    runs: countedRuns,
    findings,
    summary: {
      total: findings.length,
      open: findings.filter((f) => f.status === 'open').length,
      waived: findings.filter((f) => f.status === 'waived').length,
      suppressed: findings.filter((f) => f.status === 'suppressed').length,
      bySeverity,
      openBySeverity,
      byTool,
    },
    owasp: rest.owasp ?? {
      editions: ['2021', '2025'],
      rows: [],
      unmapped: findings.filter((f) => f.owasp.length === 0).map((f) => f.fingerprint),
      data: [],
    },
    ...(rest.checklist ? { checklist: rest.checklist } : {}),
    waivers: rest.waivers ?? [],
    recommendations: rest.recommendations ?? [],
    ...(rest.nextScanDue ? { nextScanDue: rest.nextScanDue } : {}),
    inputs: rest.inputs ?? runs.map((r) => ({ path: r.source.path, sha256: r.source.sha256, kind: 'scan' as const })),
  };
}
