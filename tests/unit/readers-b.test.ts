import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/ingest/detect.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { cvss3BaseScore } from '../../src/model/cvss.ts';
import { isSuppressed } from '../../src/model/suppression.ts';
import type { ScanRun } from '../../src/model/types.ts';
import { SHARED_REAL, realFixture, realFixtureNames } from '../helpers/real-fixtures.ts';

const GOLDEN = new URL('../golden/ingest/', import.meta.url).pathname;

type J = any;

function fixtures(format: string): Array<{ name: string; bytes: Buffer; value: J }> {
  return realFixtureNames(format).map((name) => {
    const bytes = readFileSync(realFixture(format, name));
    const text = bytes.toString('utf8');
    return { name, bytes, value: text.trim() === '' ? undefined : JSON.parse(text) };
  });
}

function run(name: string, bytes: Uint8Array | string, format?: string) {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return ingest([{ file: name, bytes: b }], format ? { format } : {});
}

const counts = (runs: ScanRun[]) => runs.map((r) => r.findings.length);

/** Build a SARIF log from results (and optional rules) of one run. */
function sarif(results: J[], extra: J = {}, driver: J = {}): string {
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Demo', version: '1.0', rules: [], ...driver } }, results, ...extra }] });
}

describe('counts equal the raw files (computed independently from the raw JSON)', () => {
  it.each(fixtures('sarif'))('sarif $name: one finding per result, one run per SARIF run', ({ name, bytes, value }) => {
    const r = run(name, bytes);
    // Results of kind "pass"/"notApplicable" are checks that found nothing (none in these files).
    expect(counts(r.runs)).toEqual(value.runs.map((x: J) => (x.results ?? []).filter((res: J) => res.kind !== 'pass' && res.kind !== 'notApplicable').length));
    expect(r.runs.map((x) => x.format)).toEqual(value.runs.map(() => 'sarif'));
  });

  it.each(fixtures('trivy'))('trivy $name: vulnerabilities + failed misconfigurations + secrets', ({ name, bytes, value }) => {
    const r = run(name, bytes, value === null ? 'trivy' : undefined);
    const results: J[] = value === null ? [] : Array.isArray(value) ? value : [...(value.Results ?? []), ...(value.Resources ?? []).flatMap((x: J) => x.Results ?? [])];
    const expected = results.reduce((n, x) =>
      n + (x.Vulnerabilities ?? []).length + (x.Misconfigurations ?? []).filter((m: J) => m.Status === 'FAIL' || m.Status === undefined).length + (x.Secrets ?? []).length, 0);
    expect(counts(r.runs)).toEqual([expected]);
    const errors = value && Array.isArray(value.Resources) ? value.Resources.filter((x: J) => x.Error).length : 0;
    expect(r.runs[0]!.notScanned).toHaveLength(errors);
  });

  it.each(fixtures('grype'))('grype $name: matches, identical (id, package, version, locations) counted once', ({ name, bytes, value }) => {
    const r = run(name, bytes);
    const keys = new Set(value.matches.map((m: J) => JSON.stringify([m.vulnerability.id, m.artifact.name, m.artifact.version, (m.artifact.locations ?? []).map((l: J) => l.path)])));
    expect(counts(r.runs)).toEqual([keys.size]);
    // The check-all-fields fixture really has one exact duplicate: it is dropped and said so.
    const dropped = r.diagnostics.filter((d) => d.code === 'ingest/duplicate-dropped').length;
    expect(dropped).toBe(value.matches.length - keys.size);
  });

  it.each(fixtures('osv-scanner').filter((f) => f.value !== undefined))('osv-scanner $name: one finding per alias group per package', ({ name, bytes, value }) => {
    const r = run(name, bytes);
    let expected = 0;
    for (const res of value.results) {
      for (const p of res.packages) {
        const grouped = new Set((p.groups ?? []).flatMap((g: J) => g.ids));
        expected += (p.groups ?? []).length + p.vulnerabilities.filter((v: J) => !grouped.has(v.id)).length;
      }
    }
    expect(counts(r.runs)).toEqual([expected]);
    const records = value.results.flatMap((x: J) => x.packages).flatMap((p: J) => p.vulnerabilities).length;
    // Alias records are folded in: fewer findings than records whenever a group has 2+ ids.
    expect(expected).toBeLessThanOrEqual(records);
  });

  it('osv-scanner zero-byte capture: refused without --format, zero findings with it', () => {
    const bytes = readFileSync(realFixture('osv-scanner', 'osv-no-findings-zero-byte-file.json'));
    expect(run('osv.json', bytes).diagnostics.map((d) => d.code)).toEqual(['input/empty']);
    const r = run('osv.json', bytes, 'osv-scanner');
    expect(counts(r.runs)).toEqual([0]);
  });

  it.each(fixtures('snyk'))('snyk $name: per-path duplicates merged into one finding per (id, package, version)', ({ name, bytes, value }) => {
    const r = run(name, bytes);
    const projects: J[] = Array.isArray(value) ? value : [value];
    expect(counts(r.runs)).toEqual(projects.map((p) => new Set(p.vulnerabilities.map((v: J) => `${v.id} ${v.packageName} ${v.version}`)).size));
    // Every dependency path survives the merge.
    const rawPaths = projects.map((p) => new Set(p.vulnerabilities.map((v: J) => `${v.id} ${v.packageName} ${v.version} ${v.from.join('>')}`)).size);
    expect(r.runs.map((x) => x.findings.reduce((n, f) => n + (f.package?.paths?.length ?? 0), 0))).toEqual(rawPaths);
  });
});

describe('auto-detection picks these readers for every real fixture', () => {
  const cases = ['sarif', 'trivy', 'grype', 'osv-scanner', 'snyk'].flatMap((format) =>
    fixtures(format).filter((f) => f.value !== undefined && f.value !== null).map((f) => ({ format, ...f })));
  it.each(cases)('$format $name', ({ format, name, value }) => {
    expect(detectFormat(value, name).reader?.id).toBe(format);
  });
  it('a literal null named *trivy* goes to trivy', () => {
    expect(detectFormat(null, 'reports/trivy-result.json').reader?.id).toBe('trivy');
  });
});

describe('SARIF', () => {
  it('resolves level: result.level, then the rule default, then warning; "" counts as absent', () => {
    const log = sarif(
      [
        { ruleId: 'A', message: { text: 'x' }, level: 'note' },
        { ruleId: 'A', message: { text: 'y' } },
        { ruleId: 'A', message: { text: 'z' }, level: '' },
        { ruleId: 'B', message: { text: 'w' } },
        { ruleId: 'C', message: { text: 'v' }, level: 'none' },
      ],
      {},
      { rules: [{ id: 'A', defaultConfiguration: { level: 'error' } }, { id: 'B' }] },
    );
    const r = run('a.sarif', log);
    const bySev = Object.fromEntries(r.runs[0]!.findings.map((f) => [f.message, f.severity]));
    expect(bySev).toEqual({ x: 'low', y: 'high', z: 'high', w: 'medium', v: 'info' });
    expect(r.diagnostics).toEqual([]);
  });

  it('takes security-severity as a CVSS number or a word, before level and issue_severity', () => {
    const log = sarif(
      [
        { ruleId: 'N', message: { text: 'num' }, level: 'note' },
        { ruleId: 'W', message: { text: 'word' }, level: 'note' },
        { ruleId: 'X', message: { text: 'result-level' }, level: 'note', properties: { 'security-severity': '9.1' } },
        { ruleId: 'B', message: { text: 'bandit' }, properties: { issue_severity: 'HIGH' } },
        { ruleId: 'U', message: { text: 'unknown' }, properties: { 'security-severity': 'critique' } },
      ],
      {},
      { rules: [{ id: 'N', properties: { 'security-severity': '7.5' } }, { id: 'W', properties: { 'security-severity': 'MEDIUM' } }] },
    );
    const r = run('a.sarif', log);
    const f = Object.fromEntries(r.runs[0]!.findings.map((x) => [x.message, [x.severity, x.rawSeverity]]));
    expect(f).toEqual({ num: ['high', '7.5'], word: ['medium', 'MEDIUM'], 'result-level': ['critical', '9.1'], bandit: ['high', 'HIGH'], unknown: ['unknown', 'critique'] });
    const unknown = r.diagnostics.find((d) => d.code === 'ingest/unknown-severity');
    expect(unknown?.pointer).toBe('/runs/0/results/4/properties/security-severity');
    expect(unknown?.expected).toContain('critical');
  });

  it('normalises file:// and Windows URIs and resolves uriBaseId and artifact indexes', () => {
    const loc = (artifactLocation: J) => ({ physicalLocation: { artifactLocation, region: { startLine: 3 } } });
    const log = sarif(
      [
        { ruleId: 'r', message: { text: '1' }, locations: [loc({ uri: 'file:///C:/src/app/main.js' })] },
        { ruleId: 'r', message: { text: '2' }, locations: [loc({ uri: 'src\\win\\a.py' })] },
        { ruleId: 'r', message: { text: '3' }, locations: [loc({ uri: 'lib/x.go', uriBaseId: 'SRC' })] },
        { ruleId: 'r', message: { text: '4' }, locations: [loc({ index: 1 })] },
        { ruleId: 'r', message: { text: '5' }, locations: [loc({ uri: 'rel.js', uriBaseId: '%SRCROOT%' })] },
      ],
      { originalUriBaseIds: { SRC: { uri: 'file:///home/ci/repo/' } }, artifacts: [{ location: { uri: 'a' } }, { location: { uri: 'pkg/b.rb' } }] },
    );
    const r = run('a.sarif', log);
    const paths = Object.fromEntries(r.runs[0]!.findings.map((f) => [f.message, f.location?.path]));
    expect(paths).toEqual({ 1: 'C:/src/app/main.js', 2: 'src/win/a.py', 3: '/home/ci/repo/lib/x.go', 4: 'pkg/b.rb', 5: 'rel.js' });
    expect(r.runs[0]!.findings.find((f) => f.message === '1')?.location?.originalPath).toBe('file:///C:/src/app/main.js');
  });

  it('keeps every suppression with its status, and the ESLint inSource suppressions of the real file', () => {
    const log = sarif([
      { ruleId: 'r', message: { text: 'a' }, suppressions: [{ kind: 'external', justification: 'accepted risk', status: 'accepted' }] },
      { ruleId: 'r', message: { text: 'b' }, suppressions: [{ kind: 'inSource', status: 'rejected' }] },
      { ruleId: 'r', message: { text: 'c' }, suppressions: [{ kind: 'external', status: 'underReview', justification: 'asked' }] },
      { ruleId: 'r', message: { text: 'd' }, suppressions: [{ kind: 'inSource' }, { kind: 'external', status: 'rejected' }] },
      { ruleId: 'r', message: { text: 'e' }, suppressions: [{ kind: 'inSource', status: 'approved' }] },
    ]);
    const r0 = run('a.sarif', log);
    const f = Object.fromEntries(r0.runs[0]!.findings.map((x) => [x.message, x.suppressions]));
    expect(f).toEqual({
      a: [{ kind: 'external', status: 'accepted', justification: 'accepted risk' }],
      b: [{ kind: 'inSource', status: 'rejected' }],
      c: [{ kind: 'external', status: 'underReview', justification: 'asked' }],
      d: [{ kind: 'inSource' }, { kind: 'external', status: 'rejected' }],
      e: undefined,
    });
    // SARIF 2.1.0: suppressed only with at least one suppression and none under review or rejected.
    const suppressed = Object.fromEntries(r0.runs[0]!.findings.map((x) => [x.message, isSuppressed(x.suppressions)]));
    expect(suppressed).toEqual({ a: true, b: false, c: false, d: false, e: false });
    expect(r0.diagnostics.find((d) => d.pointer === '/runs/0/results/4/suppressions/0/status')).toMatchObject({ code: 'ingest/bad-field', level: 'warning' });

    const raw = JSON.parse(readFileSync(realFixture('sarif', 'sarif-eslint-8.56.0-suppressions.sarif.json'), 'utf8'));
    const rawSuppressed = raw.runs[0].results.filter((x: J) => (x.suppressions ?? []).length > 0).length;
    const r = run('e.sarif', readFileSync(realFixture('sarif', 'sarif-eslint-8.56.0-suppressions.sarif.json')));
    expect(r.runs[0]!.findings.filter((x) => x.suppressions?.[0]?.kind === 'inSource' && isSuppressed(x.suppressions))).toHaveLength(rawSuppressed);
    expect(rawSuppressed).toBeGreaterThan(0);
  });

  it('skips results of kind pass / notApplicable and says so', () => {
    const r = run('a.sarif', sarif([{ ruleId: 'a', kind: 'pass', message: { text: 'ok' } }, { ruleId: 'b', kind: 'fail', message: { text: 'bad' } }, { ruleId: 'c', message: { text: 'default fail' } }]));
    expect(r.runs[0]!.findings.map((f) => f.ruleId).sort()).toEqual(['b', 'c']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ingest/sarif-passed-results']);
  });

  it('reads every run of a multi-run log, the same tool twice included', () => {
    const one = { tool: { driver: { name: 'CodeQL', semanticVersion: '2.9.0' } }, results: [{ ruleId: 'a', message: { text: 'm' } }] };
    const log = JSON.stringify({ version: '2.1.0', runs: [one, one, { tool: { driver: { name: 'ESLint' } }, results: [] }] });
    const r = run('a.sarif', log);
    expect(r.runs.map((x) => [x.tool.name, x.tool.version, x.findings.length])).toEqual([['codeql', '2.9.0', 1], ['codeql', '2.9.0', 1], ['eslint', undefined, 0]]);
  });

  it('never copies gitleaks commit metadata (author, email, commit message) into the output', () => {
    const bytes = readFileSync(realFixture('sarif', 'sarif-gitleaks-7.x.sarif.json'));
    const raw = JSON.parse(bytes.toString('utf8'));
    const out = JSON.stringify(run('g.sarif', bytes).runs);
    for (const res of raw.runs[0].results) {
      expect(out).not.toContain(res.properties.email);
      expect(out).not.toContain(res.properties.author);
      if (res.properties.offender.length >= 12) expect(out).not.toContain(res.properties.offender);
    }
    const r = run('g.sarif', bytes).runs[0]!;
    expect(r.findings.every((f) => f.kind === 'secret')).toBe(true);
    // gitleaks 7 has no ruleId: the rule comes from the message ("AWS Access Key secret detected").
    expect(r.findings.map((f) => f.ruleId)).not.toContain('sarif/no-rule-id');
    const ids = new Set(raw.runs[0].tool.driver.rules.map((x: J) => x.id));
    expect(r.findings.every((f) => ids.has(f.ruleId))).toBe(true);

    const v8 = sarif([{ ruleId: 'aws-access-token', message: { text: 'AWS token' }, partialFingerprints: { commitSha: 'abc', author: 'Jane Doe', email: 'jane@example.com', date: '2024', commitMessage: 'oops' } }], {}, { name: 'gitleaks' });
    const f8 = run('g8.sarif', v8).runs[0]!.findings[0]!;
    expect(f8.producerFingerprints).toBeUndefined();
    expect(JSON.stringify(f8)).not.toMatch(/jane/i);
  });

  it('keeps meaningful producer fingerprints (CodeQL primaryLocationLineHash)', () => {
    const r = run('c.sarif', readFileSync(realFixture('sarif', 'sarif-codeql-2.5.4.sarif.json')));
    expect(r.runs[0]!.findings.every((f) => typeof f.producerFingerprints?.primaryLocationLineHash === 'string')).toBe(true);
  });

  it('turns failed invocations and error notifications into notScanned entries', () => {
    const log = sarif([], { invocations: [{ executionSuccessful: false, exitCodeDescription: 'crashed', toolExecutionNotifications: [{ level: 'error', message: { text: 'could not read src/a.c' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.c' } } }] }, { level: 'note', message: { text: 'fine' } }] }] });
    const ns = run('a.sarif', log).runs[0]!.notScanned;
    expect(ns).toEqual([
      { reason: 'the tool reported an unsuccessful execution: crashed', pointer: '/runs/0/invocations/0/executionSuccessful' },
      { reason: 'could not read src/a.c', pointer: '/runs/0/invocations/0/toolExecutionNotifications/0', path: 'src/a.c' },
    ]);
  });

  it('reports wrong types as located ingest/bad-field warnings and keeps the finding', () => {
    const text = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"T","rules":[{"id":"R","properties":{"security-severity":1e400}}]}},"results":[
      {"ruleId":"R","level":3,"message":{},"locations":"a.js"},
      {"ruleId":"Q","message":{"text":"t"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"b.js"},"region":{"startLine":"7"}}}]}]}]}`;
    const r = run('bad.sarif', text);
    expect(counts(r.runs)).toEqual([2]);
    const bad = r.diagnostics.filter((d) => d.code === 'ingest/bad-field');
    expect(bad.every((d) => d.level === 'warning')).toBe(true);
    expect(bad.map((d) => d.pointer).sort()).toEqual([
      '/runs/0/results/0/level',
      '/runs/0/results/0/locations',
      '/runs/0/results/0/message',
      '/runs/0/results/1/locations/0/physicalLocation/region/startLine',
      '/runs/0/tool/driver/rules/0/properties/security-severity',
    ]);
    const f = r.runs[0]!.findings.find((x) => x.ruleId === 'Q')!;
    expect(f.location).toEqual({ path: 'b.js' });
  });

  it('refuses a log with more results than maxFindings before mapping', () => {
    const log = sarif(Array.from({ length: 5 }, () => ({ ruleId: 'r', message: { text: 'm' } })));
    const r = ingest([{ file: 'big.sarif', bytes: Buffer.from(log) }], { limits: { maxFindings: 4 } });
    expect(r.runs).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.level])).toEqual([['limit/findings', 'error']]);
    expect(r.diagnostics[0]!.fix).toContain('maxFindings');
  });

  it('classifies Trivy SARIF results as dependency findings with the package from the message', () => {
    const r = run('t.sarif', readFileSync(realFixture('sarif', 'sarif-multi-run-codacy-trivy-pylint-pmd-eslint.sarif.json')));
    const t = r.runs[0]!.findings[0]!;
    expect(t.kind).toBe('dependency');
    expect(t.package).toEqual({ name: 'cross-spawn', version: '7.0.3', fixedVersions: ['7.0.5', '6.0.6'] });
    // PMD wrote "level": "" : absent, so the default "warning" applies.
    expect(r.runs[2]!.findings[0]!.severity).toBe('medium');
    expect(r.diagnostics).toEqual([]);
  });

  it('declares coverage from the CWE tags of the run rules (zero-padded external/cwe tags included)', () => {
    const r = run('b.sarif', readFileSync(realFixture('sarif', 'sarif-bandit-1.8.6.sarif.json')));
    const raw = JSON.parse(readFileSync(realFixture('sarif', 'sarif-bandit-1.8.6.sarif.json'), 'utf8'));
    const tags: string[] = raw.runs[0].tool.driver.rules.flatMap((x: J) => x.properties.tags).filter((t: string) => t.startsWith('external/cwe/'));
    expect(r.runs[0]!.coverage?.cwe).toEqual(tags.map((t) => `CWE-${Number(t.split('-').pop())}`).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
    expect(r.runs[0]!.coverage?.source).toBe('rules[] of the SARIF run');
  });
});

describe('Trivy', () => {
  it('splits a comma-separated FixedVersion', () => {
    const r = run('t.json', readFileSync(realFixture('trivy', 'trivy-0.69.1-cvssv4.json')));
    const f = r.runs[0]!.findings.find((x) => x.ruleId === 'CVE-2025-66614')!;
    expect(f.package?.fixedVersions).toEqual(['11.0.14', '10.1.49', '9.0.112']);
    expect(f.aliases).toEqual(['GHSA-fpj8-gq4v-p354']);
    expect(f.cwe).toEqual(['CWE-20']);
  });

  it('accepts legacy null (with --format) and the legacy top-level array', () => {
    expect(counts(run('x.json', 'null', 'trivy').runs)).toEqual([0]);
    const legacy = run('l.json', readFileSync(realFixture('trivy', 'trivy-legacy-list-many-vulns.json')));
    expect(legacy.runs[0]!.format).toBe('trivy');
    expect(legacy.runs[0]!.findings.every((f) => f.kind === 'dependency' && f.package?.name)).toBe(true);
  });

  it('uses VendorSeverity integers only as a fallback, skips PASS misconfigurations, masks secrets', () => {
    const doc = {
      SchemaVersion: 2, ArtifactName: 'x',
      Results: [
        { Target: 'package-lock.json', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: [
          { VulnerabilityID: 'CVE-1', PkgName: 'a', InstalledVersion: '1', Severity: 'UNKNOWN', SeveritySource: 'ghsa', VendorSeverity: { ghsa: 3, nvd: 1 } },
          { VulnerabilityID: 'CVE-2', PkgName: 'b', InstalledVersion: '1', Severity: 'LOW', VendorSeverity: { nvd: 4 } },
        ] },
        { Target: 'main.tf', Class: 'config', Misconfigurations: [{ ID: 'X1', Status: 'PASS', Severity: 'HIGH' }, { ID: 'X2', Status: 'FAIL', Severity: 'HIGH', CauseMetadata: { StartLine: 4, EndLine: 6 } }] },
        { Target: '.env', Class: 'secret', Secrets: [{ RuleID: 'aws', Severity: 'CRITICAL', StartLine: 2, EndLine: 2, Match: 'AWS_KEY=AKIAZZZZ1234567890AB' }] },
      ],
    };
    const r = run('t.json', JSON.stringify(doc));
    const f = Object.fromEntries(r.runs[0]!.findings.map((x) => [x.ruleId, x]));
    expect(f['CVE-1']!.severity).toBe('high');
    expect(f['CVE-2']!.severity).toBe('low');
    expect(f.X1).toBeUndefined();
    expect(f.X2!.location).toEqual({ path: 'main.tf', startLine: 4, endLine: 6 });
    expect(f.aws!.kind).toBe('secret');
    expect(JSON.stringify(r.runs)).not.toContain('AKIAZZZZ1234567890AB');
    expect(r.runs[0]!.coverage?.secrets).toBe(true);
  });
});

describe('Grype', () => {
  it('reads the early schema (matchDetails object, fixedInVersion, Negligible → low)', () => {
    const bytes = readFileSync(realFixture('grype', 'grype-old-format-LARGE.json'));
    const raw = JSON.parse(bytes.toString('utf8'));
    const r = run('g.json', bytes);
    const negligible = raw.matches.filter((m: J) => m.vulnerability.severity === 'Negligible').length;
    expect(negligible).toBeGreaterThan(0);
    expect(r.runs[0]!.findings.filter((f) => f.rawSeverity === 'Negligible').every((f) => f.severity === 'low')).toBe(true);
    expect(r.runs[0]!.findings.filter((f) => f.rawSeverity === 'Negligible')).toHaveLength(negligible);
    const withFix = raw.matches.find((m: J) => m.vulnerability.fixedInVersion);
    if (withFix) {
      const f = r.runs[0]!.findings.find((x) => x.ruleId === withFix.vulnerability.id && x.package?.name === withFix.artifact.name)!;
      expect(f.package?.fixedVersions).toEqual(withFix.vulnerability.fixedInVersion.split(',').map((s: string) => s.trim()));
    }
  });

  it('takes relatedVulnerabilities ids as aliases and fix.versions as fixed versions', () => {
    const r = run('g.json', readFileSync(realFixture('grype', 'grype-check-all-fields.json')));
    const django = r.runs[0]!.findings.find((f) => f.ruleId === 'GHSA-v6rh-hp5x-86rv')!;
    expect(django.aliases).toEqual(['CVE-2021-44420']);
    expect(django.package?.fixedVersions).toEqual(['3.2.10']);
    expect(django.package?.ecosystem).toBe('pypi');
  });
});

describe('OSV-Scanner', () => {
  it('folds an advisory and its alias records into one finding', () => {
    const r = run('o.json', readFileSync(realFixture('osv-scanner', 'osv-multiple-packages-with-vulns.json')));
    const f = r.runs[0]!.findings.find((x) => x.package?.name === 'smallvec')!;
    expect(f.ruleId).toBe('GHSA-43w2-9j62-hq99');
    expect(f.aliases).toContain('RUSTSEC-2021-0003');
    expect(f.package?.ecosystem).toBe('cargo');
    expect(r.runs[0]!.findings.filter((x) => x.package?.name === 'smallvec')).toHaveLength(1);
  });

  it('computes severity from the CVSS vector (v4.0 included, by the MacroVector table), else database_specific.severity (LOW → low), else unknown', () => {
    const vuln = (id: string, extra: J) => ({ id, affected: [{ package: { name: 'p', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }], ...extra });
    const doc = { results: [{ source: { path: 'requirements.txt', type: 'lockfile' }, packages: [{ package: { name: 'P', version: '1.0', ecosystem: 'PyPI' }, groups: [{ ids: ['A', 'A2'] }], vulnerabilities: [
      vuln('A', { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] }),
      vuln('A2', { database_specific: { severity: 'LOW' } }),
      vuln('B', { severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }], database_specific: { severity: 'MODERATE' } }),
      vuln('C', {}),
    ] }] }] };
    const r = run('o.json', JSON.stringify(doc), 'osv-scanner');
    const f = Object.fromEntries(r.runs[0]!.findings.map((x) => [x.ruleId, x]));
    expect(Object.keys(f).sort()).toEqual(['A', 'B', 'C']);
    expect(f.A!.severity).toBe('high');
    expect(f.A!.rawSeverity).toContain('7.5');
    expect(f.A!.aliases).toEqual(['A2']);
    expect(f.A!.package?.fixedVersions).toEqual(['2.0']);
    expect(f.B!.severity).toBe('critical');
    expect(f.B!.rawSeverity).toBe('9.3 CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    // The rating as OSV gives it (a vector, no number); enrich scores it (cvssScores).
    expect(f.B!.cvss).toEqual([{ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', source: 'B' }]);
    expect(f.C!.severity).toBe('unknown');
    expect(f.A!.package?.ecosystem).toBe('pypi');
  });
});

describe('Snyk', () => {
  it('skips upgradePath[0] (false), maps fixedIn null to [], keeps CVE/GHSA aliases and CWE', () => {
    const r = run('s.json', readFileSync(realFixture('snyk', 'snyk-null-cvss.json')));
    const f = r.runs[0]!.findings[0]!;
    expect(f.package?.fixedVersions).toEqual([]);
    expect(f.message).not.toContain('Remediation: upgrade false');
    const one = run('s1.json', readFileSync(realFixture('snyk', 'snyk-single-project-one-vuln.json'))).runs[0]!.findings[0]!;
    expect(one.aliases).toEqual(['CVE-2019-12400']);
    expect(one.cwe).toEqual(['CWE-611']);
    expect(one.package?.fixedVersions).toEqual(['2.1.4']);
    expect(one.message).toContain('Remediation: upgrade org.apache.santuario:xmlsec@2.1.4');
  });

  it('turns the CLI error object (ok: false, error) into an error diagnostic, not an empty report', () => {
    const r = run('snyk.json', JSON.stringify({ ok: false, error: 'Authentication failed. Please check the API token', path: '.' }));
    expect(r.runs).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.level])).toEqual([['ingest/tool-error', 'error']]);
    expect(r.diagnostics[0]!.message).toContain('Authentication failed');
  });

  it('reads --all-projects arrays as one run per project, Windows target paths normalised', () => {
    const r = run('s.json', readFileSync(realFixture('snyk', 'snyk-all-projects-many-vulns.json')));
    expect(r.runs.map((x) => x.target)).toEqual(['com.test:version-collision', 'com.test:project-a', 'com.test:project-b']);
    expect(r.runs[1]!.findings[0]!.location).toEqual({ path: 'project-a/pom.xml', originalPath: 'project-a\\pom.xml' });
  });
});

describe('cvss3BaseScore (FIRST CVSS v3.1 specification, scored by ae-cvss-calculator)', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O', 9.8],
  ])('%s = %s', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it.each([
    'AV:N/AC:M/Au:N/C:P/I:N/A:N',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:constructor/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    '',
  ])('rejects %j', (vector) => {
    expect(cvss3BaseScore(vector)).toBeUndefined();
  });

  it('agrees with every (V3Vector, V3Score) pair published in the real Trivy and Grype files', () => {
    const pairs: Array<[string, number]> = [];
    for (const { value } of fixtures('trivy')) {
      const walk = (o: J): void => {
        if (Array.isArray(o)) o.forEach(walk);
        else if (o && typeof o === 'object') {
          if (typeof o.V3Vector === 'string' && typeof o.V3Score === 'number') pairs.push([o.V3Vector, o.V3Score]);
          Object.values(o).forEach(walk);
        }
      };
      walk(value);
    }
    for (const { value } of fixtures('grype')) {
      for (const m of value.matches) for (const c of m.vulnerability.cvss ?? []) if (String(c.version).startsWith('3')) pairs.push([c.vector, c.metrics.baseScore]);
    }
    expect(pairs.length).toBeGreaterThan(100);
    const wrong = pairs.filter(([v, s]) => cvss3BaseScore(v) !== s);
    expect(wrong).toEqual([]);
  });
});

describe('golden folders exist for every shared fixture of these formats', () => {
  it.skipIf(!existsSync(SHARED_REAL))('one folder per fixture file', () => {
    const folders = new Set(readdirSync(GOLDEN));
    for (const format of ['sarif', 'trivy', 'grype', 'osv-scanner', 'snyk']) {
      for (const name of readdirSync(join(SHARED_REAL, format))) expect(folders.has(`${format}--${name.replace(/\.json$/, '')}`)).toBe(true);
    }
  });
});

describe('wrong types anywhere never crash a reader and never produce an invalid document', () => {
  const WRONG: unknown[] = [3, 'a.js', {}, null, [], true, 1e400, '', -1];
  const small = ['sarif', 'trivy', 'grype', 'osv-scanner', 'snyk'].flatMap((format) =>
    fixtures(format).filter((f) => f.value !== undefined && f.value !== null && f.bytes.length < 60_000).map((f) => ({ format, ...f })));

  /** Every JSON pointer in a value, parents before children. */
  function pointers(v: J, p = ''): string[] {
    if (Array.isArray(v)) return [p, ...v.flatMap((x, i) => pointers(x, `${p}/${i}`))];
    if (v && typeof v === 'object') return [p, ...Object.keys(v).flatMap((k) => pointers(v[k], `${p}/${k}`))];
    return [p];
  }
  function replaced(value: J, ptr: string, by: unknown): J {
    const copy = structuredClone(value);
    const parts = ptr.split('/').slice(1);
    let o = copy;
    for (const k of parts.slice(0, -1)) o = o[k];
    o[parts[parts.length - 1]!] = by;
    return copy;
  }

  it.each(small)('$format $name', async ({ format, name, value }) => {
    const { validateSchema } = await import('../../src/model/schema-validate.ts');
    const all = pointers(value).filter((p) => p !== '');
    // Every 7th pointer keeps the test fast while touching every part of every small fixture.
    const picked = all.filter((_, i) => i % 7 === 0);
    let k = 0;
    for (const ptr of picked) {
      const by = WRONG[k++ % WRONG.length];
      // JSON text, so 1e400 arrives as Infinity exactly as JSON.parse gives it.
      const text = JSON.stringify(replaced(value, ptr, by === 1e400 ? '__INF__' : by)).replace('"__INF__"', '1e400');
      const r = ingest([{ file: name, bytes: Buffer.from(text) }], { format });
      if (r.runs.length > 0) {
        const errs = validateSchema('scan', { schemaVersion: '1.0', runs: r.runs }, name);
        expect(errs, `${ptr} = ${JSON.stringify(by)}`).toEqual([]);
      }
      for (const d of r.diagnostics) expect(typeof d.code).toBe('string');
    }
  });
});

describe('empty identifiers', () => {
  it.each([
    ['snyk', { packageManager: 'npm', vulnerabilities: [{ id: '', packageName: '', version: '1', severity: 'high', from: ['a'] }] }],
    ['sarif', { version: '2.1.0', runs: [{ tool: { driver: { name: '' } }, results: [{ ruleId: '', message: { text: '' } }] }] }],
    ['trivy', { SchemaVersion: 2, Results: [{ Target: '', Vulnerabilities: [{ VulnerabilityID: '', PkgName: '' }], Secrets: [{ RuleID: '' }], Misconfigurations: [{ ID: '' }] }] }],
    ['grype', { matches: [{ vulnerability: { id: '' }, artifact: { name: '' } }] }],
    ['osv-scanner', { results: [{ source: { path: '' }, packages: [{ package: { name: '' }, vulnerabilities: [{ id: '' }] }] }] }],
  ])('%s: findings kept with placeholder ids, a bad-field warning, and a schema-valid document', async (format, doc) => {
    const { validateSchema } = await import('../../src/model/schema-validate.ts');
    const r = run('x.json', JSON.stringify(doc), format);
    const findings = r.runs.flatMap((x) => x.findings);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ruleId.length > 0 && f.tool.length > 0)).toBe(true);
    expect(r.diagnostics.some((d) => d.code === 'ingest/bad-field' && d.expected === 'a non-empty string')).toBe(true);
    expect(validateSchema('scan', { schemaVersion: '1.0', runs: r.runs }, 'x.json')).toEqual([]);
  });
});
