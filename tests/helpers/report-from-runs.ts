import { readFileSync } from 'node:fs';
import { ingest } from '../../src/ingest/ingest.ts';
import { REPORT_SCHEMA_VERSION, zeroCounts, type Report, type ReportFinding } from '../../src/model/report.ts';
import type { Finding, ScanRun } from '../../src/model/types.ts';

/**
 * A minimal Report around scan runs, for diff/SARIF/summary tests that must not depend on the
 * enrich stage's policy: every finding open, no OWASP mapping, status from open severities.
 */
export function reportFromRuns(runs: ScanRun[], meta: Partial<Report['metadata']> = {}, extra: (f: Finding, run: number) => Partial<ReportFinding> = () => ({})): Report {
  const findings: ReportFinding[] = runs.flatMap((r, run) => r.findings.map((f) => ({ ...f, owasp: [], status: 'open' as const, run, ...extra(f, run) })));
  const bySeverity = zeroCounts();
  const openBySeverity = zeroCounts();
  const byTool: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    if (f.status === 'open') openBySeverity[f.severity]++;
    byTool[f.tool] = (byTool[f.tool] ?? 0) + 1;
  }
  const open = findings.filter((f) => f.status === 'open').length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata: {
      title: 'Security audit — demo', purpose: 'test', description: 'test', project: 'demo', documentVersion: '1.0', documentStatus: 'draft',
      classification: 'INTERNAL', language: 'en', created: '2026-01-01T00:00:00Z', template: { id: 'security-scan', version: '1.0.0' },
      auditmarkVersion: '0.1.0', documentId: 'doc-current', license: 'CC-BY-4.0', ...meta,
    },
    status: { overall: openBySeverity.critical + openBySeverity.high > 0 ? 'REMEDIATION REQUIRED' : open > 0 ? 'CONDITIONAL' : 'VALIDATED', reasons: [] },
    runs: runs.map((r) => {
      const counts = zeroCounts();
      for (const f of r.findings) counts[f.severity]++;
      const s: Report['runs'][number] = { tool: r.tool.name, format: r.format, source: r.source, notScanned: r.notScanned, counts, total: r.findings.length, freshness: 'undated', warnings: [] };
      if (r.tool.version) s.version = r.tool.version;
      return s;
    }),
    findings,
    summary: { total: findings.length, open, waived: findings.filter((f) => f.status === 'waived').length, suppressed: findings.filter((f) => f.status === 'suppressed').length, bySeverity, openBySeverity, byTool },
    owasp: { editions: ['2021'], rows: [], unmapped: [], data: [] },
    waivers: [],
    recommendations: [],
    inputs: runs.map((r) => ({ path: r.source.path, sha256: r.source.sha256, kind: 'scan' as const })),
  };
}

/** Ingest files (as bytes or paths) and fail loudly on error diagnostics. */
export function runsFrom(files: Array<{ file: string; bytes?: Uint8Array | string }>): ScanRun[] {
  const inputs = files.map((f) => ({ file: f.file, bytes: typeof f.bytes === 'string' ? new TextEncoder().encode(f.bytes) : f.bytes ?? readFileSync(f.file) }));
  const { runs, diagnostics } = ingest(inputs);
  const errors = diagnostics.filter((d) => d.level === 'error');
  if (errors.length) throw new Error(`ingest failed: ${JSON.stringify(errors)}`);
  return runs;
}
