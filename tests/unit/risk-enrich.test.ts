import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR, loadTemplates } from '../../src/bundle/templates-fs.ts';
import { folderSha256 } from '../../src/ingest/risk/osv-advisories.ts';
import type { ConfigOptions } from '../../src/model/config.ts';
import type { Report } from '../../src/model/report.ts';
import { planBuild, type AssembleInput } from '../../src/plan.ts';
import { evaluateGates, parseGates } from '../../src/policy/gates.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { documentMarkdown } from '../../src/render/markdown.ts';
import { GOLDEN_ROOT, expectGolden, stableJson } from '../helpers/golden.ts';
import { realFixture } from '../helpers/real-fixtures.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const R = new URL('../fixtures/risk/', import.meta.url);
const raw = (rel: string) => ({ file: `tests/fixtures/risk/${rel}`, bytes: readFileSync(new URL(rel, R)) });
const scan = (format: string, name: string) => ({ file: `${format}/${name}`, bytes: readFileSync(realFixture(format, name)) });
const osvEntries = readdirSync(new URL('osv/', R)).filter((n) => n.endsWith('.json')).sort().map((name) => ({ name, bytes: readFileSync(new URL(`osv/${name}`, R)) }));
const osv = { file: 'tests/fixtures/risk/osv', entries: osvEntries, sha256: folderSha256(osvEntries) };

const grypeKev = raw('grype/defectdojo-check-kev-date.json');
const trivyV4 = scan('trivy', 'trivy-0.69.1-cvssv4.json');
const pipOld = scan('pip-audit', 'pip-audit-old-list-many-vulns-skip-reason.json');
const sla: ConfigOptions = { project: 'risk-demo', policy: { sla: { critical: '7d', high: '30d', medium: 90, low: '180d' } } };

function plan(extra: Partial<AssembleInput>, now = '2026-12-01T08:00:00Z'): Report {
  const r = planBuild({ templates, now: new Date(now), auditmarkVersion: 'test', scans: [grypeKev, trivyV4, pipOld], overrides: sla, ...extra });
  if (!r.plan) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan.report;
}
const byRule = (r: Report, id: string) => r.findings.find((f) => f.ruleId === id)!;

describe('VEX applied to real scans', () => {
  const report = plan({ risk: { vex: [raw('vex/authored-openvex-0.2.json'), raw('vex/authored-cyclonedx-1.6.json'), raw('vex/vexhub-trivy-oci.openvex.json'), raw('vex/cyclonedx-1.4-defectdojo-log4j-in-triage.json')] } });

  it('not_affected is shown with its justification and does not count as open', () => {
    const f = byRule(report, 'CVE-2021-45046');
    expect(f.status).toBe('not_affected');
    expect(f.vex).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', product: 'pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1', author: 'auditmark tests (authored for the risk golden build)' });
    expect(report.findings).toContain(f);
    expect(report.summary.notAffected).toBe(2);
    expect(report.summary.open).toBe(report.findings.filter((x) => x.status === 'open').length);
  });

  it('the latest statement about a product wins (affected 2026-10-01 over under_investigation 2026-09-01)', () => {
    expect(byRule(report, 'CVE-2021-44228').vex).toMatchObject({ status: 'affected', actionStatement: expect.stringContaining('2.17.1'), pointer: '/statements/2' });
  });

  it('never matches by id alone when the statement names a product: another version, another image', () => {
    const unmatched = report.risk!.vex.unmatched.map((u) => [u.file.split('/').pop(), u.vulnerability, u.reason.code]);
    expect(unmatched).toContainEqual(['authored-openvex-0.2.json', 'CVE-2021-44228', 'vex/other-product']);
    expect(unmatched).toContainEqual(['cyclonedx-1.4-defectdojo-log4j-in-triage.json', 'CVE-2021-44228', 'vex/other-product']);
    expect(unmatched).toContainEqual(['vexhub-trivy-oci.openvex.json', 'CVE-2023-42363', 'vex/no-finding']);
  });

  it('a fixed statement contradicted by the scan stays open and is flagged', () => {
    const f = byRule(report, 'CVE-2025-66614');
    expect(f.status).toBe('open');
    expect(f.vex).toMatchObject({ status: 'fixed', contradicted: true });
    expect(report.risk!.vex.contradicted).toEqual([f.fingerprint]);
  });

  it('CycloneDX: a BOM-Link to a component matches the pip-audit finding by its PYSEC id; qualifiers (?type=jar) are ignored', () => {
    expect(byRule(report, 'PYSEC-2021-439').vex).toMatchObject({ status: 'under_investigation', rawStatus: 'in_triage', format: 'cyclonedx' });
    expect(byRule(report, 'CVE-2025-61795')).toMatchObject({ status: 'not_affected', vex: { rawStatus: 'false_positive', justification: 'requires_configuration' } });
  });

  it('offers "not affected" as one whole state in the HTML findings filter', () => {
    const r = planBuild({ templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [grypeKev, trivyV4, pipOld], overrides: sla, risk: { vex: [raw('vex/authored-openvex-0.2.json')] } });
    const { html } = renderHtml(r.plan!.document, { interactive: true });
    expect(html).toMatch(/<tr data-severity="[a-z]+" data-severity-rank="\d" data-tool="grype" data-owasp="[^"]*" data-state="not-affected">/);
    expect(html).toContain('<option value="not-affected">not affected</option>');
    expect(html).not.toContain('<option value="not">');
    expect(html).not.toContain('<option value="affected">');
  });

  it('records every VEX file as an input with its hash', () => {
    expect(report.inputs.filter((i) => i.kind === 'vex').map((i) => i.path.split('/').pop())).toEqual(['authored-openvex-0.2.json', 'authored-cyclonedx-1.6.json', 'vexhub-trivy-oci.openvex.json', 'cyclonedx-1.4-defectdojo-log4j-in-triage.json']);
  });
});

describe('exploitability and scores', () => {
  const report = plan({ risk: { kev: raw('kev/known_exploited_vulnerabilities-2025.08.25-excerpt.json'), epss: raw('epss/epss_scores-2026-09-29-excerpt.csv.gz'), osv: [osv] } });

  it('the KEV and EPSS snapshots replace the tool\'s values and say their dates; the snapshot finds what the tool missed', () => {
    expect(byRule(report, 'CVE-2021-44228').exploit).toMatchObject({ kev: { cve: 'CVE-2021-44228', source: { kind: 'snapshot', name: 'kev' } }, epss: { score: 0.99999, date: '2026-09-29', model: 'v2026.06.15', source: { kind: 'snapshot' } } });
    // Grype's file has no KEV entry for CVE-2021-45046; CISA added it on 2023-05-01.
    expect(byRule(report, 'CVE-2021-45046').exploit?.kev).toMatchObject({ dateAdded: '2023-05-01', ransomware: 'Known' });
    expect(report.inputs.filter((i) => i.date)).toEqual([
      expect.objectContaining({ kind: 'kev', date: '2025-08-25' }), expect.objectContaining({ kind: 'epss', date: '2026-09-29' }), expect.objectContaining({ kind: 'osv', date: '2024-02-18' }),
    ]);
  });

  it('keeps the tool\'s KEV entry when no snapshot is given; an EPSS score nobody can date is dropped with a warning', () => {
    const r = planBuild({ templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [grypeKev], overrides: sla });
    const f = byRule(r.plan!.report, 'CVE-2021-44228');
    expect(f.exploit).toEqual({ kev: expect.objectContaining({ source: { kind: 'tool', name: 'grype' }, dateAdded: '2021-12-10', dueDate: '2021-12-24' }) });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'ingest/bad-field', level: 'warning', pointer: '/matches/0/vulnerability/epss/0/date' }));
    const epss = planBuild({ templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [scan('grype', 'grype-epss.json')] }).plan!.report;
    expect(epss.findings.find((x) => x.exploit?.epss)?.exploit?.epss).toMatchObject({ date: '2025-06-18', source: { kind: 'tool', name: 'grype' } });
  });

  it('fills severity and CVSS from OSV records for pip-audit, through the PYSEC record\'s GHSA alias', () => {
    const f = byRule(report, 'PYSEC-2021-439');
    expect(f.severity).toBe('high');
    expect(f.severitySource).toEqual({ kind: 'advisory', name: 'GHSA-v6rh-hp5x-86rv', file: 'tests/fixtures/risk/osv' });
    expect(f.cvssScores).toEqual([expect.objectContaining({ version: '3.1', score: 7.3, source: { kind: 'advisory', name: 'GHSA-v6rh-hp5x-86rv', file: 'tests/fixtures/risk/osv' } })]);
    expect(byRule(report, 'PYSEC-2021-76').severity).toBe('unknown');
  });

  it('CVSS v4.0 vectors of the tool are scored, named by nomenclature, with their source', () => {
    expect(byRule(report, 'CVE-2025-61795').cvssScores).toContainEqual({ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:U', score: 2.3, nomenclature: 'CVSS-BT', severity: 'low', source: { kind: 'tool', name: 'trivy:ghsa' } });
  });

  it('scores the cvss[] ratings any reader gives (Dependency-Check included) and ranks by them; a vector that breaks the specification is kept unscored with one warning', () => {
    const dc = scan('dependency-check', 'dependency-check-12.1.1-cvssv4.json');
    const r = planBuild({ templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [dc] });
    const f = r.plan!.report.findings.find((x) => x.ruleId === 'CVE-2024-9329')!;
    // The ratings stay as Dependency-Check gave them; auditmark's own scores sit beside them.
    expect(f.cvss).toEqual([
      { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', score: 6.1, source: 'NVD' },
      expect.objectContaining({ version: '4.0', score: 6.9, source: 'NVD' }),
    ]);
    expect(f.cvssScores).toEqual([{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', score: 6.1, severity: 'medium', source: { kind: 'tool', name: 'dependency-check:NVD' } }]);
    // Dependency-Check 12.1.1 writes Recovery "not defined" as R:N, which CVSS v4.0 does not have (X, A, U, I).
    expect(r.diagnostics.filter((d) => d.code === 'ingest/bad-field')).toEqual([expect.objectContaining({ level: 'warning', file: dc.file, pointer: '/dependencies/0/vulnerabilities/0', message: expect.stringContaining('N is not a value of R') })]);
    expect(r.plan!.report.risk!.fixFirst[0]!.reasons).toContainEqual({ code: 'fix-first/severity', args: { severity: 'medium', cvss: 6.1, cvssVersion: '3.1', cvssSource: 'dependency-check:NVD' } });
    expect(r.plan!.report.risk!.counts.cvss).toBe(1);
  });

  it('orders fix-first by KEV, EPSS, severity/CVSS, age, with typed reasons per row', () => {
    const rows = report.risk!.fixFirst.map((r) => [report.findings.find((f) => f.fingerprint === r.fingerprint)!.ruleId, r.reasons.map((x) => x.code).join(',')]);
    expect(rows.slice(0, 3)).toEqual([
      ['CVE-2021-44228', 'fix-first/kev,fix-first/epss,fix-first/severity,fix-first/age'],
      ['CVE-2021-45046', 'fix-first/kev,fix-first/epss,fix-first/severity,fix-first/age'],
      ['PYSEC-2021-439', 'fix-first/severity,fix-first/age'],
    ]);
    expect(report.risk!.fixFirst.map((r) => r.rank)).toEqual(report.risk!.fixFirst.map((_, i) => i + 1));
  });

  it('--fail-on kev fails on an open KEV finding', () => {
    const [gate] = parseGates(['kev'], 'build').gates;
    expect(evaluateGates([gate!], report)[0]).toMatchObject({ failed: true, reason: expect.stringContaining('CVE-2021-44228') });
  });
});

describe('remediation deadlines', () => {
  it('dates first-seen from an earlier report (carried through its own firstSeen), else the scan, and flags overdue findings', () => {
    const earlier = plan({}, '2026-06-01T00:00:00Z');
    const file = 'earlier/report.json';
    const now = plan({ earlier: [{ report: earlier, from: 'history', file, sha256: 'a'.repeat(64) }] });
    const log4j = byRule(now, 'CVE-2021-44228');
    expect(log4j.firstSeen).toEqual({ date: '2026-06-01', from: 'history' });
    expect(log4j.sla).toEqual({ firstSeen: '2026-06-01', firstSeenFrom: 'history', days: 7, due: '2026-06-08', overdueDays: 176 });
    // Trivy's scan is older than the earlier report: its own date stays the first sighting.
    expect(byRule(now, 'CVE-2025-66614').sla).toMatchObject({ firstSeen: '2026-02-24', firstSeenFrom: 'scan', due: '2026-05-25' });
    expect(now.risk!.overdue.map((o) => o.overdueDays)).toEqual([...now.risk!.overdue.map((o) => o.overdueDays)].sort((a, b) => b - a));
    expect(now.risk!.overdue).toContainEqual({ fingerprint: log4j.fingerprint, severity: 'critical', firstSeen: '2026-06-01', due: '2026-06-08', overdueDays: 176 });
    expect(now.inputs).toContainEqual({ path: file, sha256: 'a'.repeat(64), kind: 'history' });
    const [gate] = parseGates(['sla-overdue'], 'build').gates;
    expect(evaluateGates([gate!], now)[0]!.failed).toBe(true);
  });

  it('waived and not_affected findings have no deadline; an expired waiver re-enters with its original first-seen date', () => {
    const earlier = plan({}, '2026-06-01T00:00:00Z');
    const state = (expires: string) => ({ file: 'state.yaml', text: `schemaVersion: "1.0"\nwaivers:\n  - id: W-1\n    ruleId: CVE-2021-44228\n    justification: accepted until the upgrade ships\n    approver: CISO\n    expires: ${expires}\n` });
    const active = plan({ checklistState: state('2027-01-31'), earlier: [{ report: earlier, from: 'baseline', file: 'b.json', sha256: 'b'.repeat(64) }] });
    expect(byRule(active, 'CVE-2021-44228')).toMatchObject({ status: 'waived' });
    expect(byRule(active, 'CVE-2021-44228').sla).toBeUndefined();
    const lapsed = plan({ checklistState: state('2026-11-01'), earlier: [{ report: earlier, from: 'baseline', file: 'b.json', sha256: 'b'.repeat(64) }] });
    expect(byRule(lapsed, 'CVE-2021-44228')).toMatchObject({ status: 'open', waiver: { expired: true }, sla: { firstSeen: '2026-06-01', firstSeenFrom: 'baseline' } });
    const vexed = plan({ risk: { vex: [raw('vex/authored-openvex-0.2.json')] } });
    expect(byRule(vexed, 'CVE-2021-45046').sla).toBeUndefined();
  });
});

describe('Fix first in a code-only build', () => {
  it('leaves out the KEV, EPSS and CVSS columns no source could fill, says so, and names each finding\'s line', () => {
    const bandit = scan('bandit', 'bandit-1.8.6-cwe-col-offset.json');
    const r = planBuild({ templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [bandit] });
    const md = documentMarkdown(r.plan!.document);
    const section = md.slice(md.indexOf('### Fix first'), md.indexOf('### Remediation deadlines'));
    expect(section).toContain('a column no source could fill is left out (no KEV catalog, no EPSS scores, no CVSS vector).');
    expect(section).toContain('| # | Finding | Severity | Open since |');
    expect(section).not.toMatch(/Known exploited|not listed/);
    const first = r.plan!.report.findings.find((f) => f.fingerprint === r.plan!.report.risk!.fixFirst[0]!.fingerprint)!;
    expect(section).toContain(`\`${first.location!.path}:${first.location!.startLine}\``);
  });
});

describe('risk golden build (real scans, real VEX, KEV, EPSS and OSV snapshots)', () => {
  it('report.json risk section and the composed report.md stay as reviewed', () => {
    const earlier = plan({}, '2026-06-01T00:00:00Z');
    const r = planBuild({
      templates, now: new Date('2026-12-01T08:00:00Z'), auditmarkVersion: 'test', scans: [grypeKev, trivyV4, pipOld], overrides: sla,
      risk: {
        vex: [raw('vex/authored-openvex-0.2.json'), raw('vex/authored-cyclonedx-1.6.json'), raw('vex/vexhub-trivy-oci.openvex.json'), raw('vex/cyclonedx-1.4-defectdojo-log4j-in-triage.json'), raw('vex/cyclonedx-1.4-cisa-case1-affected.json')],
        kev: raw('kev/known_exploited_vulnerabilities-2025.08.25-excerpt.json'), epss: raw('epss/epss_scores-2026-09-29-excerpt.csv.gz'), osv: [osv],
      },
      earlier: [{ report: earlier, from: 'baseline', file: 'baseline/report.json', sha256: 'c'.repeat(64) }],
    });
    expect(r.plan).toBeDefined();
    const dir = join(GOLDEN_ROOT, 'enrich', 'risk-context');
    const report = r.plan!.report;
    expectGolden(join(dir, 'risk.json'), stableJson({ risk: report.risk, inputs: report.inputs, findings: report.findings.map((f) => ({ tool: f.tool, ruleId: f.ruleId, severity: f.severity, status: f.status, severitySource: f.severitySource, cvss: f.cvss, cvssScores: f.cvssScores, exploit: f.exploit, vex: f.vex, firstSeen: f.firstSeen, sla: f.sla })) }));
    expectGolden(join(dir, 'diagnostics.json'), stableJson(r.diagnostics));
    const md = documentMarkdown(r.plan!.document);
    expectGolden(join(dir, 'risk-section.md'), md.slice(md.indexOf('## Exploitability and remediation'), md.indexOf('\n## ', md.indexOf('### CVSS scores'))) + '\n');
  });
});
