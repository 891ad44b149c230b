import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.ts';
import { GITHUB_SARIF_LIMITS, SECURITY_SEVERITY, toSarif } from '../../src/render/sarif.ts';
import { assignFingerprints } from '../../src/model/fingerprint.ts';
import type { Report } from '../../src/model/report.ts';
import type { Finding, ScanRun } from '../../src/model/types.ts';
import { build } from '../helpers/enrich-fixtures.ts';
import { reportFromRuns, runsFrom } from '../helpers/report-from-runs.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const schema = JSON.parse(readFileSync(new URL('../../schemas/vendor/sarif-2.1.0.json', import.meta.url), 'utf8'));
// The official schema's language pattern has a stray `]` that is only legal without the u flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
(addFormats as unknown as (a: Ajv) => Ajv)(ajv);
const validate = ajv.compile(schema);

const DIR = new URL('../fixtures/diff/', import.meta.url);
const bandit = readFileSync(new URL('bandit-2025-06-06.json', DIR), 'utf8');
const pip = readFileSync(new URL('pip-audit-15-vulns.json', DIR), 'utf8');

function valid(json: string) {
  const ok = validate(JSON.parse(json));
  if (!ok) throw new Error(JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  return true;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  baselineState?: string;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; status?: string; justification?: string }>;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } }; logicalLocations?: unknown[] }>;
  properties: Record<string, unknown>;
}
interface SarifRun { tool: { driver: { name: string; rules: Array<{ id: string; properties: { tags: string[]; 'security-severity'?: string } }> } }; automationDetails: { id: string }; results: SarifResult[] }
const runsOf = (json: string) => (JSON.parse(json) as { runs: SarifRun[] }).runs;

describe('SARIF export of real scanner output', () => {
  const report = reportFromRuns(runsFrom([{ file: 'bandit.json', bytes: bandit }, { file: 'pip-audit.json', bytes: pip }]), {}, (f, run) =>
    run === 0 && f.ruleId === 'B105' ? { owasp: ['A07:2021'] } : {},
  );
  report.findings[0] = { ...report.findings[0]!, status: 'waived', waiver: { id: 'W-1', justification: 'test fixture, not shipped', approver: 'sec' } };

  it('passes the official SARIF 2.1.0 schema, one run per tool, every finding once', () => {
    const { files, diagnostics } = toSarif(report);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.name)).toEqual(['report.sarif']);
    expect(valid(files[0]!.json)).toBe(true);
    const runs = runsOf(files[0]!.json);
    expect(runs.map((r) => r.tool.driver.name)).toEqual(['bandit', 'pip-audit']);
    expect(runs.reduce((n, r) => n + r.results.length, 0)).toBe(report.findings.length);
    for (const r of runs) for (const res of r.results) {
      expect(r.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(res.partialFingerprints['auditmark/v1']).toMatch(/^v1:/);
      expect(res.locations[0]!.physicalLocation.artifactLocation.uri).toBeTruthy();
    }
  });

  it('maps CWE and OWASP to rule tags and severity to security-severity', () => {
    const runs = runsOf(toSarif(report).files[0]!.json);
    const b105 = runs[0]!.tool.driver.rules.find((r) => r.id === 'B105')!;
    expect(b105.properties.tags).toEqual(expect.arrayContaining(['security', 'external/cwe/cwe-259', 'owasp-top10-2021/A07']));
    const sev = report.findings.filter((f) => f.ruleId === 'B105').map((f) => f.severity)[0]!;
    expect(b105.properties['security-severity']).toBe(SECURITY_SEVERITY[sev]);
  });

  it('waived findings are external accepted suppressions; dependency findings get a manifest location and a logical location', () => {
    const runs = runsOf(toSarif(report).files[0]!.json);
    const all = runs.flatMap((r) => r.results);
    const waived = all.filter((r) => r.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'test fixture, not shipped' }]);
    const dep = runs[1]!.results[0]!;
    expect(dep.locations[0]!.physicalLocation.artifactLocation.uri).toBe('requirements.txt');
    expect(dep.locations[0]!.logicalLocations).toHaveLength(1);
    expect(dep.properties['auditmark/locationInferred']).toBe(true);
  });

  it('against a baseline every result carries baselineState matching the diff', () => {
    const baseline = reportFromRuns(runsFrom([{ file: 'bandit.json', bytes: bandit }]));
    const d = diffReports(baseline, report);
    const { files } = toSarif(report, { baseline: d });
    expect(valid(files[0]!.json)).toBe(true);
    const results = runsOf(files[0]!.json).flatMap((r) => r.results);
    expect(results.every((r) => ['new', 'unchanged', 'updated'].includes(r.baselineState ?? ''))).toBe(true);
    const pipCount = report.findings.filter((f) => f.tool === 'pip-audit').length;
    expect(results.filter((r) => r.baselineState === 'new')).toHaveLength(pipCount);
  });

  it('without a baseline no result has baselineState', () => {
    const results = runsOf(toSarif(report).files[0]!.json).flatMap((r) => r.results);
    expect(results.some((r) => 'baselineState' in r)).toBe(false);
  });
});

/** A synthetic report of n code findings over many files and rules, fingerprinted like ingest does. */
function synthetic(n: number): Report {
  const drafts: Array<Omit<Finding, 'fingerprint'>> = [];
  for (let i = 0; i < n; i++) {
    drafts.push({
      tool: 'semgrep', kind: 'code', ruleId: `rule-${i % 40}`, title: `Rule ${i % 40}`, message: `Finding ${i}: untrusted input reaches a sink`,
      severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4]!, cwe: ['CWE-89'], aliases: [], references: [],
      location: { path: `src/module${i % 997}/file${i % 113}.py`, startLine: 1 + (i % 500), snippet: `query = "SELECT * FROM t WHERE id=" + arg${i}` },
      pointer: `/results/${i}`,
    });
  }
  const run: ScanRun = { tool: { name: 'semgrep', version: '1.0.0' }, format: 'semgrep-json', source: { path: 'semgrep.json', sha256: '0'.repeat(64) }, notScanned: [], findings: assignFingerprints(drafts) };
  return reportFromRuns([run]);
}

describe('GitHub upload limits', () => {
  const big = synthetic(60_000);

  it('60,000 results are split into runs of at most 25,000 with distinct categories, within every limit', () => {
    const { files, diagnostics } = toSarif(big);
    expect(diagnostics).toEqual([]);
    let total = 0;
    const categories = new Set<string>();
    for (const f of files) {
      const runs = runsOf(f.json);
      expect(runs.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.maxRunsPerFile);
      expect(gzipSync(f.json).length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.maxGzipBytes);
      for (const r of runs) {
        expect(r.results.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.maxResultsPerRun);
        categories.add(r.automationDetails.id);
        total += r.results.length;
      }
    }
    expect(total).toBe(60_000);
    expect([...categories].sort()).toEqual(['auditmark/semgrep/part-1-of-3/', 'auditmark/semgrep/part-2-of-3/', 'auditmark/semgrep/part-3-of-3/']);
    expect(valid(files[0]!.json)).toBe(true);
  });

  it('a small gzip limit splits into report.sarif, report-2.sarif, … each under it, nothing lost', () => {
    const maxGzipBytes = 200_000;
    const { files } = toSarif(big, { limits: { maxGzipBytes } });
    expect(files.length).toBeGreaterThan(1);
    expect(files.map((f) => f.name).slice(0, 3)).toEqual(['report.sarif', 'report-2.sarif', 'report-3.sarif']);
    for (const f of files) expect(gzipSync(f.json).length).toBeLessThanOrEqual(maxGzipBytes);
    const fps = files.flatMap((f) => runsOf(f.json).flatMap((r) => r.results.map((x) => x.partialFingerprints['auditmark/v1'])));
    expect(new Set(fps).size).toBe(60_000);
    expect(gunzipSync(gzipSync(files[0]!.json)).toString()).toBe(files[0]!.json);
  });

  it('refuses with sarif/limit naming the limit when one result cannot fit', () => {
    const { files, diagnostics } = toSarif(synthetic(3), { limits: { maxGzipBytes: 100 } });
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['sarif/limit']);
    expect(diagnostics[0]!.message).toContain('maxGzipBytes=100');
  });
});

describe('SARIF suppressions go through unchanged (never upgraded to accepted)', () => {
  const log = JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Demo', version: '1.0', rules: [{ id: 'r' }] } },
      results: [
        { ruleId: 'r', message: { text: 'accepted' }, suppressions: [{ kind: 'external', status: 'accepted', justification: 'risk accepted' }] },
        { ruleId: 'r', message: { text: 'under review' }, suppressions: [{ kind: 'external', status: 'underReview', justification: 'asked for' }] },
        { ruleId: 'r', message: { text: 'rejected' }, suppressions: [{ kind: 'inSource', status: 'rejected' }] },
        { ruleId: 'r', message: { text: 'no status' }, suppressions: [{ kind: 'inSource' }] },
        { ruleId: 'r', message: { text: 'mixed' }, suppressions: [{ kind: 'inSource' }, { kind: 'external', status: 'underReview' }] },
        { ruleId: 'r', message: { text: 'open' } },
      ],
    }],
  });
  const runs = runsFrom([{ file: 'demo.sarif', bytes: log }]);
  const { report } = build(runs);

  it('the report status follows SARIF 2.1.0: suppressed only with no underReview or rejected suppression', () => {
    const status = Object.fromEntries(report.findings.map((f) => [f.message, f.status]));
    expect(status).toEqual({ accepted: 'suppressed', 'under review': 'open', rejected: 'open', 'no status': 'suppressed', mixed: 'open', open: 'open' });
  });

  it('report.sarif re-emits each suppression with its own kind and status', () => {
    const { files } = toSarif(report);
    expect(valid(files[0]!.json)).toBe(true);
    const by = Object.fromEntries(runsOf(files[0]!.json)[0]!.results.map((r) => [(r as unknown as { message: { text: string } }).message.text, r.suppressions]));
    expect(by).toEqual({
      accepted: [{ kind: 'external', status: 'accepted', justification: 'risk accepted' }],
      'under review': [{ kind: 'external', status: 'underReview', justification: 'asked for' }],
      rejected: [{ kind: 'inSource', status: 'rejected' }],
      'no status': [{ kind: 'inSource' }],
      mixed: [{ kind: 'inSource' }, { kind: 'external', status: 'underReview' }],
      open: undefined,
    });
  });

  it('tool mechanisms map onto the two SARIF kinds and are named in properties', () => {
    const semgrep = JSON.stringify({ version: '1.0.0', errors: [], results: [{ check_id: 'a.b', path: 'x.py', start: { line: 1, col: 1 }, end: { line: 1, col: 2 }, extra: { message: 'm', severity: 'ERROR', is_ignored: true, lines: 'x' } }] });
    const r = build(runsFrom([{ file: 'semgrep.json', bytes: semgrep }])).report;
    const res = runsOf(toSarif(r).files[0]!.json)[0]!.results[0]!;
    expect(res.suppressions).toEqual([{ kind: 'inSource', properties: { 'auditmark/kind': 'nosemgrep' } }]);
  });
});
