import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';
import { ingest, type IngestResult } from '../../src/ingest/ingest.ts';
import { detectFormat, readerById } from '../../src/ingest/detect.ts';
import { stripBanditCode } from '../../src/ingest/from-bandit.ts';
import { maskSecret } from '../../src/ingest/field-check.ts';
import { npmCwes, patchedRangeToVersions } from '../../src/ingest/from-npm-audit.ts';
import { GOLDEN_ROOT } from '../helpers/golden.ts';

const FORMATS = ['bandit', 'safety', 'pip-audit', 'npm-audit', 'semgrep', 'gitleaks'] as const;
type Format = (typeof FORMATS)[number];
// Raw fixtures are read with plain, untyped code on purpose: the counts must not come from the readers.
type Json = any;

const DIR = join(GOLDEN_ROOT, 'ingest');
const cases = readdirSync(DIR).filter((d) => FORMATS.some((f) => d.startsWith(`${f}--`))).sort();

const bytesOf = (c: string) => readFileSync(join(DIR, c, 'input.json'));
const formatOf = (c: string) => c.split('--')[0] as Format;
const run = (file: string, text: string, format?: string): IngestResult => ingest([{ file, bytes: Buffer.from(text) }], format ? { format } : {});
const count = (r: IngestResult) => r.runs.reduce((n, x) => n + x.findings.length, 0);
const codes = (r: IngestResult) => r.diagnostics.map((d) => `${d.code}:${d.level}`);

/** Parse a raw fixture with plain code: the whole text, or from the first line starting with `{` to the last ending with `}`. */
function rawValue(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('{'));
    const end = lines.findLastIndex((l) => l.trimEnd().endsWith('}'));
    return start >= 0 ? JSON.parse(lines.slice(start, end + 1).join('\n')) : undefined;
  }
}

/** Expected counts, computed from the raw JSON independently of the readers. */
function expectedCounts(format: Format, v: Json): { findings: number; notScanned: number } {
  switch (format) {
    case 'bandit':
      return { findings: v.results.length, notScanned: v.errors.length };
    case 'safety': {
      if (Array.isArray(v)) return { findings: v.length, notScanned: 0 };
      if (v.scan_results) {
        const files = [...(v.scan_results.files ?? []), ...v.scan_results.projects.flatMap((p: Json) => p.files)];
        const n = files.flatMap((f: Json) => f.results.dependencies).flatMap((d: Json) => d.specifications)
          .reduce((s: number, sp: Json) => s + sp.vulnerabilities.known_vulnerabilities.length, 0);
        return { findings: n, notScanned: 0 };
      }
      return { findings: v.vulnerabilities.length + (v.ignored_vulnerabilities?.length ?? 0), notScanned: 0 };
    }
    case 'pip-audit': {
      const deps: Json[] = Array.isArray(v) ? v : v.dependencies;
      return { findings: deps.reduce((s, d) => s + (d.vulns?.length ?? 0), 0), notScanned: deps.filter((d) => 'skip_reason' in d).length };
    }
    case 'npm-audit': {
      if (v.error) return { findings: 0, notScanned: 1 };
      if (v.advisories) return { findings: Object.keys(v.advisories).length, notScanned: 0 };
      const ids = new Set<string>();
      for (const entry of Object.values<Json>(v.vulnerabilities)) {
        for (const via of entry.via) if (typeof via === 'object') ids.add(`${via.source}/${via.dependency ?? via.name}`);
      }
      return { findings: ids.size, notScanned: 0 };
    }
    case 'semgrep':
      return { findings: v.results.length, notScanned: v.errors.length };
    case 'gitleaks':
      return { findings: v === null ? 0 : v.length, notScanned: 0 };
  }
}

describe('part-A readers against every real fixture', () => {
  it('covers all six formats', () => {
    expect(new Set(cases.map(formatOf))).toEqual(new Set(FORMATS));
  });
  for (const c of cases) {
    it(`${c}: counts match the raw file and detection picks the reader`, () => {
      const format = formatOf(c);
      const text = bytesOf(c).toString('utf8');
      const v = rawValue(text);
      if (v === undefined) {
        // Only the Safety login prompt has no JSON document at all.
        const r = run('input.json', text);
        expect(r.runs).toEqual([]);
        expect(codes(r)).toEqual(['input/not-json:error']);
        return;
      }
      const ambiguous = v === null || (Array.isArray(v) && v.length === 0);
      const r = run('input.json', text, ambiguous ? format : undefined);
      const exp = expectedCounts(format, v);
      expect(count(r)).toBe(exp.findings);
      expect(r.runs.reduce((n, x) => n + x.notScanned.length, 0)).toBe(exp.notScanned);
      expect(r.runs.every((x) => x.format === format)).toBe(true);
      if (ambiguous) {
        // `[]` and `null` carry no shape; detection must not guess (gitleaks uses the file-name hint for null).
        expect(detectFormat(v, 'input.json').reader?.id).toBeUndefined();
      } else {
        expect(detectFormat(v, 'input.json').reader?.id).toBe(format);
      }
    });
  }
});

describe('Bandit', () => {
  it('strips line-number prefixes but keeps indentation, and keeps only the flagged lines', () => {
    const code = '44     enabled: bool\n45     host: str = "0.0.0.0"\n46     port: int\n';
    expect(stripBanditCode(code)).toBe('    enabled: bool\n    host: str = "0.0.0.0"\n    port: int');
    expect(stripBanditCode(code, 45, 45)).toBe('    host: str = "0.0.0.0"');
    expect(stripBanditCode('7\tx = 1\n8\ty = 2\n', 8)).toBe('y = 2');
  });
  it('converts the 0-based col_offset to a 1-based column', () => {
    const r = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-1.8.6-cwe-col-offset') }]);
    const raw = JSON.parse(bytesOf('bandit--bandit-1.8.6-cwe-col-offset').toString());
    for (const f of r.runs[0]!.findings) {
      const src = raw.results[Number(f.pointer.split('/')[2])];
      expect(f.location?.startColumn).toBe(src.col_offset + 1);
      expect(f.location?.snippet).not.toMatch(/^\d+ /m);
    }
    expect(r.runs[0]!.tool.version).toBe('1.8.6');
  });
  it('keeps issue_cwe from the file and infers it from the rule table only when absent', () => {
    const modern = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-1.8.x-errors-15-syntax') }]).runs[0]!;
    expect(modern.findings.every((f) => f.cweInferred === undefined && f.cwe.length === 1)).toBe(true);
    const old = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-2020-one-vuln') }]).runs[0]!;
    expect(old.findings[0]).toMatchObject({ ruleId: 'B101', cwe: ['CWE-703'], cweInferred: true });
    // The inferred table agrees with what newer Bandit writes itself for the same rules.
    const written = new Map(modern.findings.map((f) => [f.ruleId, f.cwe[0]]));
    const inferred = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-2020-many-vulns-windows-paths') }]).runs[0]!;
    for (const f of inferred.findings) if (written.has(f.ruleId)) expect(f.cwe[0]).toBe(written.get(f.ruleId));
  });
  it('normalises Windows paths and keeps the original', () => {
    const r = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-2020-many-vulns-windows-paths') }]).runs[0]!;
    const win = r.findings.find((f) => f.location?.originalPath?.includes('\\'));
    expect(win?.location?.path).toBe(win?.location?.originalPath?.replace(/\\/g, '/'));
  });
  it('turns errors[] into notScanned with the file path', () => {
    const r = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-1.8.x-errors-15-syntax') }]).runs[0]!;
    expect(r.notScanned[0]).toEqual({ reason: 'syntax error while parsing AST from file', path: 'src/api/circuit_breaker_api.py', pointer: '/errors/0' });
  });
  it('extracts the JSON after a log preamble and warns', () => {
    const r = ingest([{ file: 'b.json', bytes: bytesOf('bandit--bandit-1.8.3-stderr-log-preamble-NOT-JSON') }]);
    expect(codes(r)).toEqual(['input/noise-stripped:warning']);
    expect(count(r)).toBeGreaterThan(0);
  });
  it('reports wrong types at their pointer and keeps the other results', () => {
    const good = { test_id: 'B101', filename: 'a.py', line_number: 3, issue_severity: 'LOW', issue_confidence: 'HIGH', issue_text: 'assert' };
    const doc = { errors: [], generated_at: '2025-01-01T00:00:00Z', metrics: {}, results: [good, { ...good, line_number: '4' }, { ...good, line_number: 1e400 }, 'x'] };
    const text = JSON.stringify(doc).replace('1e+400', '1e400').replace('null', '1e400');
    const r = run('b.json', text);
    expect(count(r)).toBe(1);
    const bad = r.diagnostics.filter((d) => d.code === 'ingest/bad-field');
    expect(bad.map((d) => d.pointer)).toEqual(['/results/1/line_number', '/results/2/line_number', '/results/3']);
    expect(bad.every((d) => d.level === 'error' && d.expected)).toBe(true);
  });
  it('refuses a Bandit document whose results is not an array', () => {
    const r = run('b.json', JSON.stringify({ errors: [], generated_at: 'x', metrics: { _totals: {} }, results: {} }));
    expect(r.runs).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'ingest/bad-field', level: 'error', pointer: '/results' });
  });
  it('marks an unknown severity word unknown and names the allowed values', () => {
    const res = { test_id: 'B101', filename: 'a.py', line_number: 3, issue_severity: 'critique', issue_text: 't' };
    const r = run('b.json', JSON.stringify({ errors: [], generated_at: 'x', metrics: {}, results: [res, { ...res, line_number: 4, issue_severity: 'High ' }] }));
    expect(r.runs[0]!.findings.map((f) => f.severity).sort()).toEqual(['high', 'unknown']);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'ingest/unknown-severity', pointer: '/results/0/issue_severity' });
    expect(r.diagnostics[0]!.expected).toContain('medium');
  });
});

describe('Safety', () => {
  const vuln = (id: string, CVE: unknown, extra: object = {}) => ({
    vulnerability_id: id, package_name: 'django', analyzed_version: '4.0.1', advisory: 'x', fixed_versions: ['', '4.0.2'], CVE, severity: null, ...extra,
  });
  const doc = (vulns: unknown[]) => JSON.stringify({ report_meta: { safety_version: '2.3.0', timestamp: '2022-04-30 08:16:30' }, vulnerabilities: vulns, affected_packages: {}, remediations: {} });
  it('reads the three shapes of CVE: null, string, object with CVSS', () => {
    const r = run('s.json', doc([
      vuln('1', null),
      vuln('2', 'CVE-2022-22818'),
      vuln('3', { name: 'CVE-2022-28346', cvssv2: null, cvssv3: { base_score: 9.8, base_severity: 'CRITICAL' } }),
    ]));
    const by = new Map(r.runs[0]!.findings.map((f) => [f.ruleId, f]));
    expect(by.get('1')).toMatchObject({ severity: 'unknown', aliases: [] });
    expect(by.get('2')).toMatchObject({ severity: 'unknown', aliases: ['CVE-2022-22818'] });
    expect(by.get('3')).toMatchObject({ severity: 'critical', aliases: ['CVE-2022-28346'], rawSeverity: 'CVSS v3 9.8 (CRITICAL)' });
    expect(by.get('1')!.package!.fixedVersions).toEqual(['4.0.2']);
    expect(r.runs[0]!.startedAt).toBe('2022-04-30T08:16:30');
  });
  it('bands the CVSS score, not the word, and prefers severity.cvssv3', () => {
    const r = run('s.json', doc([vuln('4', 'CVE-1', { severity: { source: 'CVE-1', cvssv2: null, cvssv3: { base_score: 6.1, base_severity: 'HIGH' } } })]));
    expect(r.runs[0]!.findings[0]!.severity).toBe('medium');
  });
  it('marks ignored vulnerabilities as suppressed', () => {
    const r = run('s.json', doc([vuln('5', null, { ignored: true, ignored_reason: 'not reachable' })]));
    expect(r.runs[0]!.findings[0]!.suppressions).toEqual([{ kind: 'safety-ignore', justification: 'not reachable' }]);
  });
  it('reads 1.x positional rows of 5, 6 and 7 columns', () => {
    const r = run('s.json', JSON.stringify([
      ['django', '<1.2.7', '1.2.2', 'text', '33063'],
      ['django', '<1.2.7', '1.2.2', 'text', '33064', 'CVE-2011-4137'],
      ['django', '<1.2.7', '1.2.2', 'text', '33065', 'CVE-2011-4138', null],
    ]));
    expect(r.runs[0]!.findings.map((f) => [f.ruleId, f.aliases, f.severity, f.package?.fixedVersions])).toEqual([
      ['33063', [], 'unknown', []], ['33064', ['CVE-2011-4137'], 'unknown', []], ['33065', ['CVE-2011-4138'], 'unknown', []],
    ]);
  });
  it('extracts the JSON between the 3.x deprecation banners and warns', () => {
    const r = ingest([{ file: 's.json', bytes: bytesOf('safety--safety-3.5.2-check-deprecation-banner-NOT-JSON') }]);
    expect(codes(r)).toEqual(['input/noise-stripped:warning']);
    expect(r.runs[0]!.tool).toEqual({ name: 'safety', version: '3.5.2' });
  });
  it('refuses the login prompt as not JSON (the scan did not run)', () => {
    const r = ingest([{ file: 's.json', bytes: bytesOf('safety--safety-3.x-scan-unauthenticated-login-prompt-NOT-JSON') }]);
    expect(r.runs).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'input/not-json', level: 'error' });
  });
});

describe('pip-audit', () => {
  it('puts skip_reason dependencies in notScanned, not in findings', () => {
    const r = ingest([{ file: 'p.json', bytes: bytesOf('pip-audit--pip-audit-old-list-many-vulns-skip-reason') }]).runs[0]!;
    expect(r.notScanned).toEqual([{ reason: 'Dependency not found on PyPI and could not be audited: azure-devops (0.17.0)', pointer: '/3' }]);
    expect(r.findings.some((f) => f.package?.name === 'azure-devops')).toBe(false);
    expect(r.findings.every((f) => f.severity === 'unknown' && f.rawSeverity === undefined)).toBe(true);
  });
  it('keeps aliases and an empty fix list', () => {
    const r = ingest([{ file: 'p.json', bytes: bytesOf('pip-audit--pip-audit-new-vulns-aliases-no-fix-versions') }]).runs[0]!;
    const f = r.findings.find((x) => x.ruleId === 'GHSA-86w8-vhw6-q9qq');
    expect(f).toMatchObject({ aliases: ['CVE-2024-27763'], package: { ecosystem: 'pypi', name: 'basicsr', version: '1.4.2', fixedVersions: [] } });
  });
  it('extracts the JSON after the console line and warns', () => {
    const r = ingest([{ file: 'p.json', bytes: bytesOf('pip-audit--pip-audit-new-stdout-preamble-NOT-JSON') }]);
    expect(codes(r)).toEqual(['input/noise-stripped:warning']);
    expect(r.runs).toHaveLength(1);
  });
  it('takes its own version from the audited environment when pip-audit is in it, and none otherwise', () => {
    const deps = (extra: object[]) => JSON.stringify({ dependencies: [{ name: 'flask', version: '2.0.0', vulns: [] }, ...extra], fixes: [] });
    expect(run('p.json', deps([{ name: 'pip_audit', version: '2.9.0', vulns: [] }])).runs[0]!.tool).toEqual({ name: 'pip-audit', version: '2.9.0' });
    expect(run('p.json', deps([])).runs[0]!.tool).toEqual({ name: 'pip-audit' });
    expect(run('p.json', deps([{ name: 'pip-audit', skip_reason: 'local' }])).runs[0]!.tool).toEqual({ name: 'pip-audit' });
  });
});

describe('npm audit', () => {
  it('counts only object via entries (strings name the transitive cause)', () => {
    const r = ingest([{ file: 'n.json', bytes: bytesOf('npm-audit--npm-audit-v7-many-vulns') }]).runs[0]!;
    expect(r.findings.map((f) => f.package?.name).sort()).toEqual(['debug', 'semver', 'undici']);
    expect(r.findings.find((f) => f.package?.name === 'debug')).toMatchObject({
      ruleId: '1094219', aliases: ['GHSA-gxpj-cx7g-858c'], cwe: ['CWE-400'], severity: 'medium', rawSeverity: 'moderate',
    });
    // fixAvailable names a top-level package to upgrade, never a fixed version of the vulnerable one.
    expect(r.findings.every((f) => f.package?.fixedVersions.length === 0)).toBe(true);
    expect(r.findings[0]!.message).toContain('upgrade vercel to 32.3.0');
  });
  it('an ENOAUDIT document is a failed audit, not zero findings', () => {
    const r = ingest([{ file: 'n.json', bytes: bytesOf('npm-audit--npm-audit-v6-error-ENOAUDIT') }]);
    expect(r.diagnostics.map((d) => [d.code, d.level])).toEqual([['ingest/tool-error', 'error']]);
    expect(r.runs[0]!.notScanned).toHaveLength(1);
    expect(r.runs[0]!.notScanned[0]!.reason).toContain('ENOAUDIT');
  });
  it('reads npm 6 cwe in all three shapes and patched_versions only when it is a lower bound', () => {
    expect(npmCwes('CWE-94')).toEqual(['CWE-94']);
    expect(npmCwes(['CWE-77'])).toEqual(['CWE-77']);
    expect(npmCwes('["CWE-915","CWE-1321"]')).toEqual(['CWE-915', 'CWE-1321']);
    expect(npmCwes(null)).toEqual([]);
    expect(patchedRangeToVersions('>=1.10.2')).toEqual(['1.10.2']);
    expect(patchedRangeToVersions('<0.0.0')).toEqual([]);
    expect(patchedRangeToVersions('>=2.1.1 <3.0.0 || >=3.0.1')).toEqual([]);
  });
  it('normalises "Critical " and reports an unknown word', () => {
    const via = (severity: string, source: number) => ({ source, name: 'qs', dependency: 'qs', title: 't', url: 'https://github.com/advisories/GHSA-hrpp-h998-j3pp', severity, range: '<1' });
    const doc = { auditReportVersion: 2, vulnerabilities: { qs: { name: 'qs', severity: 'high', via: [via('Critical ', 1), via('critique', 2)], nodes: ['node_modules/qs'], fixAvailable: false } } };
    const r = run('n.json', JSON.stringify(doc));
    expect(r.runs[0]!.findings.map((f) => f.severity).sort()).toEqual(['critical', 'unknown']);
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['ingest/unknown-severity', '/vulnerabilities/qs/via/1/severity']]);
  });
});

describe('Semgrep', () => {
  it('never uses "requires login" as snippet or fingerprint', () => {
    const r = ingest([{ file: 'g.json', bytes: bytesOf('semgrep--semgrep-1.125.0-errors-32') }]).runs[0]!;
    expect(JSON.stringify(r.findings)).not.toContain('requires login');
    expect(r.findings.every((f) => f.location?.snippet === undefined && f.producerFingerprints === undefined)).toBe(true);
  });
  it('keeps real fingerprints and snippets, and maps legacy severities', () => {
    const r = ingest([{ file: 'g.json', bytes: bytesOf('semgrep--semgrep-cwe-list') }]).runs[0]!;
    expect(r.findings[0]).toMatchObject({ severity: 'low', rawSeverity: 'INFO', cwe: ['CWE-352'], producerFingerprints: { semgrep: '143cb0c62f3740d62180cbde3ffa976e' } });
  });
  it('turns errors[] (string or PartialParsing array types) into notScanned with paths', () => {
    const r = ingest([{ file: 'g.json', bytes: bytesOf('semgrep--semgrep-1.125.0-errors-32') }]).runs[0]!;
    expect(r.notScanned).toHaveLength(32);
    expect(r.notScanned.every((n) => n.reason.length > 0 && n.pointer?.startsWith('/errors/'))).toBe(true);
    expect(r.notScanned.filter((n) => n.path).length).toBeGreaterThan(25);
  });
  it('marks nosemgrep results as suppressed and declares coverage from the rules seen', () => {
    const res = { check_id: 'a.b.rule', path: 'x.py', start: { line: 1, col: 1 }, end: { line: 1, col: 2 }, extra: { message: 'm', severity: 'ERROR', is_ignored: true, lines: 'x', metadata: { cwe: 'CWE-89: SQL' } } };
    const r = run('g.json', JSON.stringify({ results: [res], errors: [], version: '1.0.0' })).runs[0]!;
    expect(r.findings[0]!.suppressions).toEqual([{ kind: 'nosemgrep' }]);
    expect(r.coverage?.cwe).toEqual(['CWE-89']);
  });
});

describe('gitleaks', () => {
  it('masks secrets: at most 4 leading characters, fewer for short ones', () => {
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…');
    expect(maskSecret('a secret')).toBe('a …');
    expect(maskSecret('abc')).toBe('…');
    expect(maskSecret('😂😂😂😂😂😂😂😂')).toBe('😂😂…');
  });
  for (const c of cases.filter((x) => x.startsWith('gitleaks--'))) {
    it(`${c}: no secret, offender or match appears unmasked anywhere in the output`, () => {
      const raw = JSON.parse(bytesOf(c).toString()) ?? [];
      const r = ingest([{ file: 'input.json', bytes: bytesOf(c) }], { format: 'gitleaks' });
      const out = JSON.stringify(r);
      for (const leak of raw) {
        for (const s of [leak.Secret, leak.offender]) if (s) expect(out).not.toContain(JSON.stringify(s).slice(1, -1));
      }
      expect(r.runs[0]!.findings.every((f) => f.severity === 'high' && f.kind === 'secret' && f.cwe.includes('CWE-798'))).toBe(true);
    });
  }
  it('reads the literal null of gitleaks 7 as a run with no findings when the file name says gitleaks', () => {
    const r = run('gitleaks-report.json', 'null');
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.findings).toEqual([]);
  });
});

describe('a recognised document with a broken core field is an error for that file', () => {
  const broken: Array<[string, unknown, string]> = [
    ['semgrep', { results: {}, errors: [], paths: { scanned: [] } }, '/results'],
    ['pip-audit', { dependencies: 'none', fixes: [] }, '/dependencies'],
    ['npm-audit', { advisories: [], actions: [], muted: [] }, '/advisories'],
    ['npm-audit', { auditReportVersion: 2, vulnerabilities: [] }, '/vulnerabilities'],
    ['safety', { report_meta: {}, vulnerabilities: 'x', affected_packages: {} }, '/vulnerabilities'],
    ['gitleaks', { leaks: [] }, ''],
  ];
  for (const [format, doc, ptr] of broken) {
    it(`${format} ${JSON.stringify(doc).slice(0, 60)}`, () => {
      const auto = format === 'gitleaks' ? format : undefined;
      const r = run('x.json', JSON.stringify(doc), auto);
      expect(r.runs).toEqual([]);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ level: 'error', pointer: ptr });
    });
  }
});

describe('readers never throw on arbitrary JSON', () => {
  for (const id of [...FORMATS, 'auditmark']) {
    it(id, () => {
      const reader = readerById(id)!;
      // Shapes near each format (its own keys with random values) find more paths than free JSON.
      const keys = ['results', 'errors', 'metrics', 'generated_at', 'vulnerabilities', 'report_meta', 'scan_results', 'meta', 'dependencies', 'fixes',
        'advisories', 'actions', 'auditReportVersion', 'error', 'paths', 'RuleID', 'File', 'offender', 'rule', 'schemaVersion', 'runs'];
      const near = fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 4 }));
      fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), near, fc.array(near)), (value) => {
        const out = reader.read({ file: 'f.json', value, limits: DEFAULT_LIMITS });
        expect(Array.isArray(out.runs) && Array.isArray(out.diagnostics)).toBe(true);
        reader.detect(value);
      }), { numRuns: 300 });
    });
  }
});
