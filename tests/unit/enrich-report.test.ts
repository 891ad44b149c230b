import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/model/schema-validate.ts';
import { FIXTURES, build, loadRuns, shippedDefinition, state } from '../helpers/enrich-fixtures.ts';

const both = loadRuns(FIXTURES.bandit, FIXTURES.pipAudit);
const banditOnly = loadRuns(FIXTURES.bandit);
const row = (r: ReturnType<typeof build>, id: string) => r.report.owasp.rows.find((x) => x.id === id)!;

describe('enrich: the Report model', () => {
  it('validates against schemas/report.schema.json and keeps every input finding', () => {
    const r = build(both, { checklist: { definition: shippedDefinition() } });
    expect(validateSchema('report', JSON.parse(JSON.stringify(r.report)), 'report.json')).toEqual([]);
    const inputFingerprints = both.flatMap((run) => run.findings.map((f) => f.fingerprint)).sort();
    expect(r.report.findings.map((f) => f.fingerprint).sort()).toEqual(inputFingerprints);
    expect(r.report.summary.total).toBe(18);
    expect(r.report.summary.byTool).toEqual({ bandit: 3, 'pip-audit': 15 });
    expect(r.report.runs.map((x) => x.total)).toEqual([3, 15]);
    // the fixture's own counts: bandit 2 MEDIUM + 1 LOW; pip-audit gives no severity
    expect(r.report.summary.bySeverity).toEqual({ critical: 0, high: 0, medium: 2, low: 1, info: 0, unknown: 15 });
    for (const f of r.report.findings) expect(r.report.runs[f.run]?.tool).toBe(f.tool);
  });

  it('maps dependency findings to A06:2021 and A03:2025 and lists unmapped findings', () => {
    const r = build(both);
    for (const f of r.report.findings.filter((x) => x.tool === 'pip-audit')) expect(f.owasp).toEqual(['A06:2021', 'A03:2025']);
    // B104 is CWE-605, in no Top 10 list: listed as unmapped, not hidden
    const b104 = r.report.findings.filter((f) => f.ruleId === 'B104').map((f) => f.fingerprint).sort();
    expect([...r.report.owasp.unmapped].sort()).toEqual(b104);
    const b110 = r.report.findings.find((f) => f.ruleId === 'B110')!;
    expect(b110.owasp).toEqual(['A10:2025']);
  });

  it('reports only the configured editions', () => {
    const r = build(both, { config: { owasp: ['2025'] } });
    expect(r.report.owasp.editions).toEqual(['2025']);
    expect(r.report.owasp.rows).toHaveLength(10);
    expect(r.report.findings.find((f) => f.tool === 'pip-audit')?.owasp).toEqual(['A03:2025']);
  });

  it('gives PASS only with coverage evidence, naming the tool; nothing covering → NOT ASSESSED', () => {
    const r = build(banditOnly);
    // Bandit's rule set covers CWE-89 (B608) → A03:2021; it ran and found nothing there.
    expect(row(r, 'A03:2021')).toMatchObject({ status: 'PASS', coveredBy: ['bandit'] });
    // No tool that ran covers logging failures.
    expect(row(r, 'A09:2021')).toMatchObject({ status: 'NOT ASSESSED', coveredBy: [] });
    // No SCA tool ran: vulnerable components were not assessed.
    expect(row(r, 'A06:2021').status).toBe('NOT ASSESSED');
    // An open low finding (B110, CWE-703) → WARN with its count.
    expect(row(r, 'A10:2025')).toMatchObject({ status: 'WARN', open: expect.objectContaining({ low: 1 }) });
  });

  it('counts open and accepted findings per category; blocking severities make it FAIL', () => {
    const r = build(both);
    expect(row(r, 'A06:2021')).toMatchObject({ status: 'WARN', coveredBy: ['pip-audit'], open: expect.objectContaining({ unknown: 15 }), accepted: 0 });
    const strict = build(both, { config: { policy: { blockingSeverities: ['critical', 'high', 'unknown'] } } });
    expect(row(strict, 'A03:2025').status).toBe('FAIL');
    const b110 = both[0]!.findings.find((f) => f.ruleId === 'B110')!;
    const waived = build(banditOnly, { checklist: { state: state(`schemaVersion: "1.0"\nwaivers:\n  - { id: W, fingerprint: "${b110.fingerprint}", justification: j, approver: a, expires: 2026-01-01 }\n`) } });
    expect(row(waived, 'A10:2025')).toMatchObject({ status: 'WARN', accepted: 1, open: expect.objectContaining({ low: 0 }) });
  });

  it('lets an accepted pass attestation cover a category and names the item', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: error-monitoring, status: pass, by: ops, at: 2025-07-20 }\n`);
    const r = build(banditOnly, { checklist: { definition: shippedDefinition(), state: s } });
    // Attested, with who and when: distinct from scanned.
    expect(row(r, 'A09:2021')).toMatchObject({ status: 'PASS', coverage: 'attested', coveredBy: ['error-monitoring'], scans: [], attestations: [{ item: 'error-monitoring', status: 'pass', by: 'ops', at: '2025-07-20' }] });
    expect(row(r, 'A09:2021').checklistItems).toEqual(['error-monitoring', 'security-monitoring']);
    const stale = build(banditOnly, { now: '2026-06-01T00:00:00Z', checklist: { definition: shippedDefinition(), state: s } });
    expect(row(stale, 'A09:2021').status).toBe('NOT ASSESSED');
  });
});

describe('OWASP coverage: only a fresh, complete scan or an accepted attestation gives PASS', () => {
  it('a fresh, complete run covering the category is "scanned"', () => {
    const r = build(banditOnly);
    expect(row(r, 'A03:2021')).toMatchObject({ status: 'PASS', coverage: 'scanned', scans: [{ run: 0, tool: 'bandit', freshness: 'fresh', ageDays: 18, notScanned: 0 }] });
  });

  it('the same run older than policy.maxScanAgeDays is stale: WARN, never PASS', () => {
    const r = build(banditOnly, { now: '2025-09-01T00:00:00Z' });
    expect(row(r, 'A03:2021')).toMatchObject({ status: 'WARN', coverage: 'stale', scans: [{ tool: 'bandit', freshness: 'stale', ageDays: 49 }] });
    expect(r.report.owasp.rows.filter((x) => x.status === 'PASS')).toEqual([]);
    // A wider policy makes the same evidence fresh again.
    expect(row(build(banditOnly, { now: '2025-09-01T00:00:00Z', config: { policy: { maxScanAgeDays: 60 } } }), 'A03:2021').status).toBe('PASS');
  });

  it('a run that skipped packages is partial: WARN with the skipped count, never PASS', () => {
    // pip-audit skipped 5 packages (real fixture): vulnerable components are only partly assessed.
    const pip = loadRuns(FIXTURES.pipAudit);
    const onlyPip = { ...pip[0]!, findings: [] };
    const r = build([onlyPip]);
    expect(row(r, 'A06:2021')).toMatchObject({ status: 'WARN', coverage: 'partial', scans: [{ tool: 'pip-audit', freshness: 'undated', notScanned: 5 }] });
    expect(r.report.runs[0]!.warnings).toContainEqual({ code: 'scan-partial', args: { notScanned: 5 } });
  });

  it('a category only attested not applicable is N/A, never PASS; an accepted pass attestation is PASS "attested"', () => {
    const s = state(`schemaVersion: "1.0"\nattestations:\n  - { item: error-monitoring, status: not-applicable, by: ops, at: 2025-07-20 }\n  - { item: security-monitoring, status: not-applicable, by: ops, at: 2025-07-20 }\n`);
    const r = build(banditOnly, { checklist: { definition: shippedDefinition(), state: s } });
    expect(row(r, 'A09:2021')).toMatchObject({ status: 'N/A', coverage: 'not-applicable', coveredBy: [] });
    expect(row(r, 'A09:2021').attestations.map((a) => a.status)).toEqual(['not-applicable', 'not-applicable']);
    const items = r.report.checklist!.items.filter((i) => i.id.endsWith('-monitoring'));
    expect(items.map((i) => i.status)).toEqual(['not-applicable', 'not-applicable']);
  });

  it('a stale scan cannot make an automatic checklist item pass: it is stale, and the overall status says so', () => {
    const r = build(banditOnly, { now: '2025-09-01T00:00:00Z', checklist: { definition: shippedDefinition() } });
    const sql = r.report.checklist!.items.find((i) => i.id === 'sql-injection-protection')!;
    expect(sql).toMatchObject({ basis: 'automatic', status: 'stale', reason: { code: 'rule-pass-stale', args: { matched: 0, maxCount: 0, tools: ['bandit'], staleTools: ['bandit'], maxScanAgeDays: 30 } } });
    const stale = r.report.status.reasons.find((x) => x.code === 'checklist-stale');
    expect(stale?.code === 'checklist-stale' && stale.args.items).toContain('sql-injection-protection');
    expect(build(banditOnly, { checklist: { definition: shippedDefinition() } }).report.checklist!.items.find((i) => i.id === 'sql-injection-protection')!.status).toBe('pass');
  });

  it('a partial scan cannot make an automatic checklist item pass', () => {
    const pip = loadRuns(FIXTURES.pipAudit);
    const r = build([{ ...pip[0]!, findings: [] }], { checklist: { definition: shippedDefinition() } });
    const deps = r.report.checklist!.items.find((i) => i.id === 'dependencies-no-high-cves')!;
    expect(deps).toMatchObject({ status: 'partial', reason: { code: 'rule-pass-partial', args: { matched: 0, partialTools: ['pip-audit'], notScanned: 5 } } });
    expect(r.report.status.reasons).toContainEqual({ code: 'checklist-partial', args: { items: ['dependencies-no-high-cves', 'dependencies-no-known-vulnerabilities'] } });
    expect(r.report.status.overall).not.toBe('VALIDATED');
  });

  it('an automatic rule records every condition and the open findings its severity threshold left out', () => {
    const r = build(banditOnly, { checklist: { definition: shippedDefinition() } });
    const code = r.report.checklist!.items.find((i) => i.id === 'code-scanned-bandit')!;
    expect(code.rule).toEqual({ tools: ['bandit'], kinds: ['code'], severityAtLeast: 'medium', maxCount: 0 });
    // 2 medium B104 are counted; the 1 low B110 meets every condition but the threshold.
    const low = banditOnly[0]!.findings.filter((f) => f.severity === 'low').map((f) => f.fingerprint);
    expect(code.evaluation).toEqual({ tools: ['bandit'], runs: [0], matched: 2, maxCount: 0, belowThreshold: low });
  });
});

describe('overall status', () => {
  const b104Waiver = state(`schemaVersion: "1.0"\nwaivers:\n  - { id: RISK-B104, ruleId: B104, tool: bandit, justification: "binds inside the container only", approver: CISO, expires: 2025-12-31 }\n`);

  it('is CONDITIONAL for open medium and unknown-severity findings and coverage gaps, with numbers', () => {
    const r = build(both);
    expect(r.report.status.overall).toBe('CONDITIONAL');
    expect(r.report.status.reasons).toContainEqual({ code: 'findings-warning', args: { count: 2, bySeverity: { critical: 0, high: 0, medium: 2, low: 0, info: 0, unknown: 0 } } });
    expect(r.report.status.reasons).toContainEqual({ code: 'findings-unknown-severity', args: { count: 15 } });
    expect(r.report.status.reasons).toContainEqual({ code: 'runs-partial', args: { runs: 1, notScanned: r.report.runs.find((x) => x.notScanned.length > 0)!.notScanned.length, tools: [r.report.runs.find((x) => x.notScanned.length > 0)!.tool] } });
  });

  it('is REMEDIATION REQUIRED when the policy makes those findings blocking', () => {
    const r = build(banditOnly, { config: { policy: { blockingSeverities: ['critical', 'high', 'medium'] } } });
    expect(r.report.status.overall).toBe('REMEDIATION REQUIRED');
    expect(r.report.status.reasons[0]).toEqual({ code: 'findings-blocking', args: { count: 2, bySeverity: { critical: 0, high: 0, medium: 2, low: 0, info: 0, unknown: 0 } } });
  });

  it('is VALIDATED only when nothing blocks or warns, and says what remains', () => {
    const r = build(banditOnly, { checklist: { state: b104Waiver } });
    expect(r.report.status.overall).toBe('VALIDATED');
    expect(r.report.status.reasons).toEqual([{ code: 'validated', args: { runs: 1, findings: 3, waived: 2, suppressed: 0, openBelowThreshold: 1 } }]);
  });

  it('drops to CONDITIONAL when the scan is older than policy.maxScanAgeDays', () => {
    const r = build(banditOnly, { now: '2025-09-01T00:00:00Z', checklist: { state: b104Waiver } });
    expect(r.report.status.overall).toBe('CONDITIONAL');
    expect(r.report.runs[0]).toMatchObject({ freshness: 'stale', ageDays: 49 });
    expect(r.report.runs[0]?.warnings).toContainEqual({ code: 'scan-stale', args: { ageDays: 49, maxScanAgeDays: 30 } });
    expect(r.report.status.reasons).toContainEqual({ code: 'runs-stale', args: { tools: ['bandit'], maxScanAgeDays: 30 } });
  });

  it('is CONDITIONAL with pending checklist items and when no scan was given', () => {
    const pending = build(banditOnly, { checklist: { definition: shippedDefinition(), state: b104Waiver } });
    expect(pending.report.status.overall).toBe('CONDITIONAL');
    // 28 items: 18 manual ones without attestation, plus the 2 dependency rules no SCA tool assessed.
    const pendingReason = pending.report.status.reasons.find((s) => s.code === 'checklist-pending');
    expect(pendingReason?.code === 'checklist-pending' && pendingReason.args.items).toHaveLength(20);
    const none = build([]);
    expect(none.report.status).toEqual({ overall: 'CONDITIONAL', reasons: [{ code: 'no-scans', args: {} }] });
  });
});

describe('computed fields', () => {
  it('derives nextScanDue from the latest scan time plus the cadence, or from now', () => {
    // bandit generated_at 2025-07-13T11:53:14Z + 30 days
    expect(build(banditOnly).report.nextScanDue).toBe('2025-08-12');
    expect(build(banditOnly, { config: { policy: { scanCadenceDays: 7 } } }).report.nextScanDue).toBe('2025-07-20');
    // pip-audit writes no time: the build time is the base
    expect(build(loadRuns(FIXTURES.pipAudit), { now: '2025-08-01T10:00:00Z' }).report.nextScanDue).toBe('2025-08-31');
  });

  it('recommends upgrades with the fixing version and the advisory count', () => {
    const r = build(both);
    expect(r.report.recommendations).toContainEqual({ code: 'upgrade-package', args: { package: 'transformers', version: '4.48.3', target: '4.52.1', fixes: 5, unfixed: [] } });
    expect(r.report.recommendations).toContainEqual({ code: 'mitigate-package', args: { package: 'torch', version: '2.7.1', advisories: ['GHSA-887c-mr87-cxwp'] } });
  });

  it('fills metadata from settings, the injected clock and the inputs', () => {
    const r = build(both, { config: { license: 'MIT', copyright: { holder: 'ACME', years: '2025' } } });
    expect(r.report.metadata).toMatchObject({
      title: 'Security audit — proof-sketcher', created: '2025-08-01T00:00:00.000Z', license: 'MIT', copyright: 'Copyright (c) 2025 ACME',
      template: { id: 'security-scan', version: '1.0.0' }, classification: 'Internal', language: 'en',
    });
    expect(r.report.metadata.documentId).toMatch(/^[0-9a-f]{16}$/);
    expect(build(both).report.metadata.documentId).toBe(r.report.metadata.documentId);
    expect(build(banditOnly).report.metadata.documentId).not.toBe(r.report.metadata.documentId);
    expect(r.report.owasp.data.map((d) => d.license)).toEqual(['CC BY-SA 4.0', 'CC BY-SA 4.0']);
  });

  it('is deterministic and independent of the machine time zone', () => {
    const probe = new URL('../helpers/enrich-tz-probe.ts', import.meta.url).pathname;
    const run = (tz: string) => execFileSync(process.execPath, ['--import', 'tsx', probe], { env: { ...process.env, TZ: tz }, encoding: 'utf8', cwd: new URL('../../', import.meta.url).pathname });
    const tokyo = run('Asia/Tokyo');
    expect(run('America/Los_Angeles')).toBe(tokyo);
    expect(run('UTC')).toBe(tokyo);
    const report = JSON.parse(tokyo).report;
    // 2025-08-01 is the last valid day of both the waiver and the attestation, in UTC.
    expect(report.waivers[0].state).toBe('active');
    expect(report.checklist.items.find((i: { id: string }) => i.id === 'backup-automation').status).toBe('pass');
    expect(report.checklist.items.find((i: { id: string }) => i.id === 'error-monitoring').attestation.at).toBe('2025-02-01T23:30:00-05:00');
  });
});

describe('the example state file', () => {
  it('parses and evaluates as documented in docs/enrich.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseChecklistState } = await import('../../src/settings/checklist.ts');
    const text = readFileSync(new URL('../fixtures/enrich/checklist-state.yaml', import.meta.url), 'utf8');
    const parsed = parseChecklistState(text, 'checklist-state.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const hash = (await import('node:crypto')).createHash('sha256').update(readFileSync(new URL('../fixtures/enrich/evidence/backup-restore.txt', import.meta.url))).digest('hex');
    const r = build(both, { checklist: { definition: shippedDefinition(), state: parsed.value, file: 'checklist-state.yaml' }, evidenceHashes: new Map([['evidence/backup-restore.txt', { sha256: hash }]]) });
    const items = Object.fromEntries(r.report.checklist!.items.map((i) => [i.id, i.status]));
    expect(items).toMatchObject({ 'env-file-not-committed': 'pass', 'backup-automation': 'pass', 'dependencies-no-high-cves': 'contradicted', 'smtp-configured': 'not-applicable' });
    expect(r.report.waivers.map((w) => [w.id, w.state, w.matched])).toEqual([['RISK-2025-001', 'active', 2], ['RISK-2025-002', 'expired', 1]]);
    expect(r.report.status.overall).toBe('REMEDIATION REQUIRED');
    // a contradicted item marks its categories FAIL even though no finding is at a blocking severity
    expect(r.report.owasp.rows.find((x) => x.id === 'A06:2021')?.status).toBe('FAIL');
    expect(validateSchema('report', JSON.parse(JSON.stringify(r.report)), 'report.json')).toEqual([]);
  });
});
