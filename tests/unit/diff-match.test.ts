import { describe, expect, it } from 'vitest';
import { commonRoot, jaccard, matchFindings, samePlace } from '../../src/diff/match.ts';
import { diffReports } from '../../src/diff/diff.ts';
import { assignFingerprints } from '../../src/model/fingerprint.ts';
import { REPORT_SCHEMA_VERSION, type ReportFinding } from '../../src/model/report.ts';
import type { Finding } from '../../src/model/types.ts';

type Draft = Omit<Finding, 'fingerprint'>;
const code = (path: string, snippet: string, extra: Partial<Draft> = {}): Draft => ({
  tool: 'semgrep', kind: 'code', ruleId: 'python.sqli', title: 'SQL injection', message: 'tainted query', severity: 'high', cwe: ['CWE-89'],
  aliases: [], references: [], location: { path, startLine: 10, snippet }, pointer: '/results/0', ...extra,
});
const dep = (tool: string, ruleId: string, aliases: string[], extra: Partial<Draft> = {}): Draft => ({
  tool, kind: 'dependency', ruleId, title: ruleId, message: 'vulnerable', severity: 'high', cwe: [], aliases, references: [],
  package: { ecosystem: 'pypi', name: 'Django', version: '3.2.1', fixedVersions: ['3.2.5'] }, pointer: '/0', ...extra,
});
const side = (drafts: Draft[], run = 0): ReportFinding[] => assignFingerprints(drafts).map((f) => ({ ...f, owasp: [], status: 'open', run }));

describe('matchFindings strategies', () => {
  it('CRLF vs LF and NFC vs NFD in paths and snippets match exactly', () => {
    const b = side([code('src/caf\u00e9.py', 'q = "SELECT " + x\nrun(q)')]);
    const c = side([code('src/cafe\u0301.py', 'q = "SELECT " + x\r\nrun(q)', { location: { path: 'src/cafe\u0301.py', startLine: 99, snippet: 'q = "SELECT " + x\r\nrun(q)' } })]);
    const m = matchFindings(b, c);
    expect(m.pairs.map((p) => p.strategy)).toEqual(['fingerprint']);
  });

  it('dependency findings match across tools by canonical advisory, same tool first', () => {
    const b = side([dep('pip-audit', 'PYSEC-2021-1', ['CVE-2021-33203'])]);
    const c = side([dep('safety', '40000', ['CVE-2021-33203'])]);
    expect(matchFindings(b, c).pairs.map((p) => p.strategy)).toEqual(['fingerprint']);
    // Each tool is its own run, fingerprinted on its own, as ingest does.
    const both = [...side([dep('safety', '40000', ['CVE-2021-33203'])], 0), ...side([dep('pip-audit', 'PYSEC-2021-1', ['CVE-2021-33203'])], 1)];
    const m = matchFindings(b, both);
    expect(both[m.pairs[0]!.current]!.tool).toBe('pip-audit');
  });

  it('code findings never match across tools', () => {
    const b = side([code('a.py', 'x = 1')]);
    const c = side([code('a.py', 'x = 1', { tool: 'bandit' })]);
    expect(matchFindings(b, c).pairs).toEqual([]);
  });

  it('an edited line matches by similar snippet with its score; a different statement does not', () => {
    const b = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + user_id)'), code('a.py', 'os.system(cmd)', { ruleId: 'other' })]);
    const c = side([code('a.py', 'cursor.execute("SELECT * FROM users WHERE id=" + uid)'), code('a.py', 'subprocess.run(cmd, shell=True)', { ruleId: 'other' })]);
    const m = matchFindings(b, c);
    const sim = m.pairs.find((p) => p.strategy === 'similar-snippet')!;
    expect(sim.score).toBeGreaterThanOrEqual(0.8);
    expect(m.pairs.find((p) => p.strategy === 'rule-path')).toBeDefined();
  });

  it('rule-path pairs only when exactly one candidate is left on each side', () => {
    const b = side([code('a.py', 'aaa bbb'), code('a.py', 'ccc ddd')]);
    const c = side([code('a.py', 'eee fff')]);
    const m = matchFindings(b, c);
    expect(m.pairs).toEqual([]);
    expect(m.unmatchedBaseline).toEqual([0, 1]);
  });

  it('re-rooted paths under roots with no common prefix match by path suffix', () => {
    const b = side([code('/home/ci/run-1/src/a.py', 'x()'), code('/home/ci/run-1/lib/b.py', 'y()')]);
    const c = side([code('src/a.py', 'x()'), code('lib/b.py', 'y()')]);
    const m = matchFindings(b, c);
    expect(m.pairs.map((p) => p.strategy)).toEqual(['relocated', 'relocated']);
  });

  it('the same file name in another directory is not the same place', () => {
    expect(samePlace('src/a/util.py', 'src/b/util.py')).toBe(false);
    expect(samePlace('/x/src/util.py', '/y/src/util.py')).toBe(true);
    expect(samePlace('util.py', '/builds/1/util.py')).toBe(true);
  });

  it('commonRoot and jaccard', () => {
    expect(commonRoot(['/home/ci/run-1/src/a.py', '/home/ci/run-1/lib/b.py', 'rel.py'])).toBe('/home/ci/run-1/');
    expect(commonRoot(['rel/a.py'])).toBe('');
    expect(jaccard(new Set(['a', 'b']), new Set(['a', 'b']))).toBe(1);
    expect(jaccard(new Set(['a', 'b']), new Set(['c']))).toBe(0);
  });

  it('input order does not change the diff', () => {
    const drafts = [code('a.py', 'x = 1'), code('a.py', 'x = 1'), code('b.py', 'y = 2'), code('c.py', 'z = 3', { severity: 'low' })];
    const b = side(drafts);
    const c = side([...drafts].reverse().map((d, i) => ({ ...d, location: { ...d.location!, startLine: 50 + i } })));
    const wrap = (f: ReportFinding[]) => ({ ...base, findings: f });
    const d = diffReports(wrap(b), wrap(c));
    expect([d.summary.new, d.summary.absent, d.summary.updated, d.summary.unchanged]).toEqual([0, 0, 0, 4]);
  });
});

const base = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  metadata: {
    title: 't', purpose: 'p', description: 'd', project: 'demo', documentVersion: '1', documentStatus: 'draft', classification: 'INTERNAL', language: 'en',
    created: '2026-01-01T00:00:00Z', template: { id: 'security-scan', version: '1.0.0' }, auditmarkVersion: '0', documentId: 'x',
  },
  status: { overall: 'CONDITIONAL' as const, reasons: [] },
  runs: [{ tool: 'semgrep', format: 'semgrep-json', source: { path: 's', sha256: '0' }, notScanned: [], counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, total: 0, freshness: 'undated' as const, warnings: [] }],
  findings: [] as ReportFinding[],
  summary: { total: 0, open: 0, waived: 0, suppressed: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, openBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }, byTool: {} },
  owasp: { editions: ['2021' as const], rows: [], unmapped: [], data: [] },
  waivers: [],
  recommendations: [],
  inputs: [],
};
