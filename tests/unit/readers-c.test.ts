/**
 * The second round of readers (ZAP, Dependency-Check, TruffleHog, Nuclei), JSON lines, repeated
 * keys and the suppression encodings of every reader, on the real fixtures of
 * `tests/golden/ingest/` and on variants derived from them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.ts';
import { parseJson } from '../../src/ingest/json-text.ts';
import { cvss3BaseScore } from '../../src/model/cvss.ts';
import { isSuppressed } from '../../src/model/suppression.ts';
import type { Finding } from '../../src/model/types.ts';
import { INGEST_GOLDEN } from '../helpers/real-fixtures.ts';

type J = any;

/** The bytes of a golden folder's input (`input.json` or `input.jsonl`). */
function input(folder: string): Buffer {
  const dir = join(INGEST_GOLDEN, folder);
  return readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('input'))!));
}

function run(name: string, bytes: Uint8Array | string, format?: string) {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return ingest([{ file: name, bytes: b }], format ? { format } : {});
}

const findings = (r: ReturnType<typeof run>): Finding[] => r.runs.flatMap((x) => x.findings);
const lines = (b: Buffer) => b.toString('utf8').split('\n').filter((l) => l.trim() !== '');
const jsonl = (records: J[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('OWASP ZAP', () => {
  const zap215 = input('zap--zap-2.15.0-localhost-xss');
  const raw215 = JSON.parse(zap215.toString('utf8'));

  it('one finding per alert instance, every text field plain text (no markup survives)', () => {
    const r = run('zap.json', zap215);
    expect(r.runs[0]!.format).toBe('zap');
    const instances = raw215.site.reduce((n: number, s: J) => n + s.alerts.reduce((m: number, a: J) => m + a.instances.length, 0), 0);
    expect(findings(r)).toHaveLength(instances);
    for (const f of findings(r)) {
      expect(f.kind).toBe('web');
      expect(`${f.title}\n${f.message}\n${f.references.join('\n')}`).not.toMatch(/<\/?(p|br|a|script|div|ul|li)\b/i);
    }
    // The XSS payloads are data: kept verbatim as text in web.attack, never dropped or rendered.
    const xss = findings(r).filter((f) => f.ruleId === '40012');
    const rawXss = raw215.site[0].alerts.find((a: J) => a.pluginid === '40012');
    expect(xss.map((f) => f.web?.attack).sort()).toEqual(rawXss.instances.map((i: J) => i.attack || undefined).sort());
    expect(xss.every((f) => f.severity === 'high' && f.cwe[0] === 'CWE-79' && f.aliases.includes('WASC-8'))).toBe(true);
  });

  it('fingerprints ignore query values, attack and evidence, but not the URL path, method or parameter', () => {
    const base = run('zap.json', zap215);
    const variant = JSON.parse(zap215.toString('utf8'));
    for (const a of variant.site[0].alerts) {
      for (const i of a.instances) {
        i.uri = i.uri.replace(/=([^&#]*)/g, '=changed-value-123');
        i.evidence = `${i.evidence ?? ''} (different response)`;
        i.attack = i.attack ? `${i.attack}-other` : i.attack;
      }
    }
    const changed = run('zap.json', JSON.stringify(variant));
    const fps = (r: ReturnType<typeof run>) => findings(r).map((f) => f.fingerprint).sort();
    expect(fps(changed)).toEqual(fps(base));
    const moved = JSON.parse(zap215.toString('utf8'));
    moved.site[0].alerts[0].instances[0].uri = 'http://localhost:3000/elsewhere';
    moved.site[0].alerts[0].instances[0].method = 'POST';
    expect(fps(run('zap.json', JSON.stringify(moved)))).not.toEqual(fps(base));
    // Query values never reach the finding; the names do.
    const withQuery = findings(base).find((f) => f.web?.queryParameters?.length)!;
    expect(withQuery.web!.url).not.toContain('?');
  });

  it('reads ZAP 2.8 (no @programName, no alertRef), a single site object, risk and confidence codes', () => {
    const r = run('old.json', input('zap--zap-2.8.0-no-programname'));
    expect(r.runs[0]!.tool).toEqual({ name: 'zap', version: '2.8.0' });
    expect(findings(r).find((f) => f.ruleId === '10050')?.severity).toBe('info');
    const one = {
      '@programName': 'ZAP', '@version': '2.16.1',
      site: { '@name': 'https://shop.example', alerts: [
        { pluginid: '1', alert: 'a', riskcode: 3, confidence: '0', desc: '<p>x &amp; y</p>', instances: [{ uri: 'https://user:pw@SHOP.example:443/a/../b?sid=1#frag', method: 'get' }] },
        { pluginid: '2', alert: 'b', riskcode: '7', confidence: '4', instances: [{ method: 'GET' }] },
      ] },
    };
    const s = run('one.json', JSON.stringify(one));
    const [a, b] = [findings(s).find((f) => f.ruleId === '1')!, findings(s).find((f) => f.ruleId === '2')!];
    expect(a.web).toEqual({ url: 'https://shop.example/b', method: 'GET', queryParameters: ['sid'] });
    expect(a.severity).toBe('high');
    expect(a.message).toBe('x & y');
    // confidence 0: a user marked the alert a false positive in ZAP.
    expect(isSuppressed(a.suppressions)).toBe(true);
    expect(b.severity).toBe('unknown');
    expect(b.confidence).toBe('high');
    expect(b.web?.url).toBe('https://shop.example/');
    expect(s.diagnostics.find((d) => d.code === 'ingest/unknown-severity')?.pointer).toBe('/site/alerts/1/riskcode');
  });
});

describe('OWASP Dependency-Check', () => {
  const multi = input('dependency-check--dependency-check-8.0.2-multi-module-LARGE');
  const rawMulti = JSON.parse(multi.toString('utf8'));

  it('one finding per (dependency, vulnerability); the same CVE on two dependencies stays two findings', () => {
    const r = run('dc.json', multi);
    const expected = rawMulti.dependencies.reduce((n: number, d: J) => n + (d.vulnerabilities ?? []).length + (d.suppressedVulnerabilities ?? []).length, 0);
    expect(findings(r)).toHaveLength(expected);
    const same = findings(r).filter((f) => f.ruleId === 'CVE-2014-0114');
    expect(same.length).toBe(2);
    expect(new Set(same.map((f) => f.package!.name)).size).toBe(2);
    expect(new Set(same.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('keeps CVSS vectors that the metric words spell exactly (the v3 vectors score what the report says)', () => {
    const r = run('dc.json', multi);
    let checked = 0;
    for (const f of findings(r)) {
      for (const c of f.cvss ?? []) {
        if (c.version.startsWith('3.') && c.vector) {
          expect(cvss3BaseScore(c.vector)).toBe(c.score);
          checked++;
        }
        // OSS Index entries give letters instead of words, one even an unrendered template
        // (`$enc.json(...)`): a vector is kept only when every metric reads as a valid value.
        if (c.version === '2.0' && c.vector !== undefined) expect(c.vector).toMatch(/^AV:[NAL]\/AC:[LMH]\/Au:[NSM]\/C:[NPC]\/I:[NPC]\/A:[NPC]$/);
      }
    }
    const v2 = findings(r).flatMap((f) => f.cvss ?? []).filter((c) => c.version === '2.0');
    expect(v2.filter((c) => c.vector === undefined)).toHaveLength(1);
    expect(checked).toBe(rawMulti.dependencies.reduce((n: number, d: J) => n + (d.vulnerabilities ?? []).filter((v: J) => v.cvssv3).length, 0));
  });

  it('suppressedVulnerabilities are suppressed findings with their notes; analysis exceptions are coverage gaps', () => {
    const doc = JSON.parse(input('dependency-check--dependency-check-5.2.4-analysis-exception').toString('utf8'));
    const dep = doc.dependencies.find((d: J) => d.vulnerabilities?.length);
    dep.suppressedVulnerabilities = [{ ...dep.vulnerabilities[0], name: 'CVE-2020-0001', notes: 'not reachable: parser unused' }];
    const r = run('dc.json', JSON.stringify(doc));
    const sup = findings(r).find((f) => f.ruleId === 'CVE-2020-0001')!;
    expect(sup.suppressions).toEqual([{ kind: 'dependency-check-suppression', justification: 'not reachable: parser unused' }]);
    expect(isSuppressed(sup.suppressions)).toBe(true);
    expect(isSuppressed(findings(r).find((f) => f.ruleId !== 'CVE-2020-0001')!.suppressions)).toBe(false);
    expect(r.runs[0]!.notScanned[0]!.reason).toMatch(/^Dependency-Check analysis failed: .*component-reports$/);
    expect(r.runs[0]!.notScanned[0]!.reason).not.toMatch(/\bat\s|\.java:/);
  });

  it('names related dependencies (shaded or repeated copies) in the finding', () => {
    const doc = JSON.parse(multi.toString('utf8'));
    const dep = doc.dependencies.find((d: J) => d.vulnerabilities?.length);
    dep.relatedDependencies = [{ isVirtual: false, fileName: 'shaded.jar', filePath: '/app/lib/shaded.jar', sha256: '0' }];
    const f = findings(run('dc.json', JSON.stringify(doc))).find((x) => x.pointer.startsWith(`/dependencies/${doc.dependencies.indexOf(dep)}/`))!;
    expect(f.message).toContain('Also found as: /app/lib/shaded.jar');
  });
});

describe('TruffleHog', () => {
  const folders = ['trufflehog--trufflehog-v3-git', 'trufflehog--trufflehog-v3-github', 'trufflehog--trufflehog-3.8x-git-verification-errors'];

  it.each(folders)('%s: one finding per line; Raw, RawV2, Redacted, ExtraData and e-mails never copied', (folder) => {
    const bytes = input(folder);
    const records = lines(bytes).map((l) => JSON.parse(l));
    const r = run('th.json', bytes);
    expect(r.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    expect(findings(r)).toHaveLength(records.length);
    const out = JSON.stringify(r.runs);
    for (const rec of records) {
      for (const secret of [rec.Raw, rec.RawV2, rec.Redacted]) if (typeof secret === 'string' && secret.length >= 8) expect(out).not.toContain(secret);
      const email = Object.values(rec.SourceMetadata.Data as Record<string, J>)[0]?.email;
      if (email) expect(out).not.toContain(email.replace(/^.*<|>.*$/g, ''));
      if (rec.ExtraData?.arn) expect(out).not.toContain(rec.ExtraData.arn);
    }
    for (const [i, f] of findings(r).entries()) void i, expect(f.severity).toBe(records[Number(f.pointer.slice(1))].Verified ? 'critical' : 'high');
  });

  it('masks exactly as the gitleaks reader does', () => {
    const rec = JSON.parse(lines(input('trufflehog--trufflehog-3.8x-git-verification-errors'))[1]!);
    const th = findings(run('th.json', JSON.stringify(rec)))[0]!;
    const gl = findings(run('gl.json', JSON.stringify([{ RuleID: 'x', Description: 'x', File: 'f', StartLine: 1, Secret: rec.Raw, Match: rec.Raw }])))[0]!;
    const mask = (m: string) => /\(([^)]*)\)/.exec(m)![1];
    expect(mask(th.message)).toBe(mask(gl.message));
    expect(mask(th.message)).toMatch(/^.{0,4}…$/u);
  });

  it('interleaved log text and JSON log records are dropped with a warning; pointers name the line', () => {
    const recs = lines(input('trufflehog--trufflehog-v3-git'));
    const text = [
      '🐷🔑🐷  TruffleHog. Unearth your secrets. 🐷🔑🐷',
      recs[0],
      '',
      '2023-01-02T10:00:00Z\tinfo-0\ttrufflehog\trunning source',
      JSON.stringify({ level: 'info-0', ts: '2024-05-08T01:15:26+02:00', logger: 'trufflehog', msg: 'finished scanning', trufflehog_version: '3.63.7' }),
      recs[1],
    ].join('\n');
    const r = run('th.json', text);
    expect(findings(r).map((f) => f.pointer).sort()).toEqual(['/1', '/5']);
    expect(r.runs[0]!.tool.version).toBe('3.63.7');
    const noise = r.diagnostics.filter((d) => d.code === 'input/noise-stripped');
    expect(noise.map((d) => d.level)).toEqual(['warning', 'warning']);
    expect(noise[0]!.line).toBe(1);
    expect(noise[0]!.message).toContain('lines 1, 4');
  });

  it('each broken line is one located error naming its line, and a broken file gives no partial run', () => {
    const recs = lines(input('trufflehog--trufflehog-v3-git'));
    const text = [recs[0], recs[1]!.slice(0, 40), '', recs[2] ?? recs[0], '{"SourceMetadata": oops}'].join('\n');
    const r = run('th.json', text);
    const bad = r.diagnostics.filter((d) => d.code === 'input/invalid-json');
    expect(bad.map((d) => [d.level, d.line])).toEqual([['error', 2], ['error', 5]]);
    expect(bad[0]!.message).toMatch(/^line 2 is not a whole JSON value/);
    expect(r.runs).toEqual([]);
  });
});

describe('Nuclei', () => {
  it('never keeps timestamps, IPs, curl commands, requests or responses', () => {
    const bytes = input('nuclei--nuclei-2024-jsonl-request-response');
    const records = lines(bytes).map((l) => JSON.parse(l));
    const out = JSON.stringify(run('n.jsonl', bytes).runs);
    for (const rec of records) {
      for (const key of ['timestamp', 'ip', 'curl-command']) expect(out).not.toContain(rec[key]);
      for (const key of ['request', 'response']) expect(out).not.toContain(rec[key].split('\n')[0]);
    }
  });

  it('fingerprints are the same when only volatile fields change, and the old -json keys name the same result', () => {
    const bytes = input('nuclei--nuclei-2022-jsonl-classification');
    const recs = lines(bytes).map((l) => JSON.parse(l));
    const fps = (t: string) => findings(run('n.jsonl', t)).map((f) => f.fingerprint).sort();
    const moved = recs.map((r) => ({ ...r, timestamp: '2030-01-01T00:00:00Z', ip: '10.9.9.9', 'curl-command': 'curl -X GET other', request: 'x', response: 'y' }));
    expect(fps(jsonl(moved))).toEqual(fps(bytes.toString('utf8')));
    const old = recs.map(({ 'template-id': id, 'matched-at': at, ...rest }) => ({ ...rest, templateID: id, matched: at }));
    expect(fps(jsonl(old))).toEqual(fps(bytes.toString('utf8')));
  });

  it('classification CVE, CWE and CVSS; matcher-status false is not a finding; -json-export arrays', () => {
    const r = run('n.jsonl', input('nuclei--nuclei-2022-jsonl-classification'));
    const cve = findings(r).find((f) => f.ruleId === 'CVE-2018-15473')!;
    expect(cve.cwe).toEqual(['CWE-362']);
    expect(cve.cvss).toEqual([{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 }]);
    expect(cve.web?.url).toBe('nuclei-example.com:22');
    const recs = lines(input('nuclei--nuclei-2022-jsonl-classification')).map((l) => JSON.parse(l));
    const withMiss = run('n.jsonl', jsonl([...recs, { ...recs[1], 'matcher-status': false }]));
    expect(findings(withMiss)).toHaveLength(recs.length);
    expect(withMiss.diagnostics.map((d) => d.code)).toContain('ingest/unmatched-results');
    const arr = run('export.json', input('nuclei--nuclei-v3-json-export-array'));
    expect(arr.runs[0]!.format).toBe('nuclei');
    expect(findings(arr)).toHaveLength(JSON.parse(input('nuclei--nuclei-v3-json-export-array').toString('utf8')).length);
  });
});

describe('JSON lines are only for formats written that way', () => {
  it('two concatenated documents of another format are still refused', () => {
    const doc = JSON.stringify({ results: [], errors: [], generated_at: '2025-01-01T00:00:00Z', metrics: {} });
    const r = run('b.json', `${doc}\n${doc}\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['input/multiple-documents']);
    expect(r.runs).toEqual([]);
  });

  it('a one-line file and a forced format work; blank lines and CRLF are fine', () => {
    const rec = lines(input('nuclei--nuclei-2022-jsonl-classification'))[0]!;
    expect(findings(run('one.jsonl', `${rec}\n`))).toHaveLength(1);
    const r = run('crlf.txt', `\r\n${rec}\r\n\r\n${rec.replace('CVE-2018-15473', 'CVE-2018-15474')}\r\n`, 'nuclei');
    expect(findings(r).map((f) => f.pointer).sort()).toEqual(['/1', '/3']);
    expect(r.diagnostics).toEqual([]);
  });
});

describe('repeated keys (input/duplicate-key)', () => {
  const limits = { maxJsonDepth: 64 };

  it('different values: an error naming the key and both places; the same value: a warning', () => {
    const text = '{\n  "results": [\n    {"issue_severity": "LOW",\n     "issue_severity": "HIGH"}\n  ]\n}';
    const p = parseJson(text, 'b.json', limits);
    expect(p.ok && p.diagnostics.map((d) => [d.level, d.pointer, d.line, d.column])).toEqual([['error', '/results/0/issue_severity', 4, 6]]);
    expect(p.ok && p.diagnostics[0]!.message).toContain('"issue_severity"');
    expect(p.ok && p.diagnostics[0]!.message).toContain('line 3:6 and line 4:6');
    const same = parseJson('{"a": {"x": [1, 2]}, "a": {"x": [1,2]}}', 's.json', limits);
    expect(same.ok && same.diagnostics.map((d) => [d.level, d.pointer])).toEqual([['warning', '/a']]);
  });

  it('keys written differently but equal after unescaping count as one key', () => {
    const p = parseJson('{"severity": "LOW", "sev\\u0065rity": "HIGH"}', 'e.json', limits);
    expect(p.ok && p.diagnostics.map((d) => d.code)).toEqual(['input/duplicate-key']);
  });

  it('an ambiguous scanner file is not read; at most 20 repeats are listed, then one count', () => {
    const r = run('bandit.json', '{"results": [], "errors": [], "results": [{"test_id": "B101"}], "metrics": {}, "generated_at": "2025-01-01T00:00:00Z"}');
    expect(r.runs).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.level])).toEqual([['input/duplicate-key', 'error']]);
    const many = `[${Array.from({ length: 30 }, (_, i) => `{"k": ${i}, "k": ${i}}`).join(',')}]`;
    const p = parseJson(many, 'm.json', limits);
    expect(p.ok && p.diagnostics.length).toBe(21);
    expect(p.ok && p.diagnostics[20]!.message).toBe('10 more repeated key(s) not listed (0 of them with different values)');
  });

  it('each JSON line is checked, and the place is the line of the file', () => {
    const recs = lines(input('nuclei--nuclei-2022-jsonl-classification'));
    const bad = recs[1]!.replace('"severity":"low"', '"severity":"low","severity":"critical"');
    expect(bad).not.toBe(recs[1]);
    const r = run('n.jsonl', `${recs[0]}\n\n${bad}\n`);
    expect(r.diagnostics.map((d) => [d.code, d.level, d.line])).toEqual([['input/duplicate-key', 'error', 3]]);
    expect(r.runs).toEqual([]);
  });
});

describe('suppression states of every reader follow SARIF 2.1.0', () => {
  it('Trivy --show-suppressed: ignored and VEX not_affected suppress; under_investigation and affected do not', () => {
    const vuln = (id: string) => ({ VulnerabilityID: id, PkgName: 'openssl', InstalledVersion: '1.1', Severity: 'HIGH' });
    const doc = {
      SchemaVersion: 2, ArtifactName: 'img', Results: [{
        Target: 'img (debian 12)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: [vuln('CVE-1')],
        ExperimentalModifiedFindings: [
          { Type: 'vulnerability', Status: 'ignored', Statement: 'accepted risk', Source: '.trivyignore.yaml', Finding: vuln('CVE-2') },
          { Type: 'vulnerability', Status: 'not_affected', Statement: 'vulnerable_code_not_present', Source: 'vex.openvex.json', Finding: vuln('CVE-3') },
          { Type: 'vulnerability', Status: 'under_investigation', Source: 'vex.openvex.json', Finding: vuln('CVE-4') },
          { Type: 'vulnerability', Status: 'affected', Source: 'vex.openvex.json', Finding: vuln('CVE-5') },
          { Type: 'vulnerability', Status: 'maybe', Finding: vuln('CVE-6') },
        ],
      }],
    };
    const r = run('trivy.json', JSON.stringify(doc));
    const by = Object.fromEntries(findings(r).map((f) => [f.ruleId, f]));
    expect(Object.keys(by).sort()).toEqual(['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4', 'CVE-5', 'CVE-6']);
    expect(Object.fromEntries(Object.entries(by).map(([k, f]) => [k, isSuppressed(f.suppressions)]))).toEqual({ 'CVE-1': false, 'CVE-2': true, 'CVE-3': true, 'CVE-4': false, 'CVE-5': false, 'CVE-6': false });
    expect(by['CVE-2']!.suppressions).toEqual([{ kind: 'trivy-ignore', justification: 'accepted risk (.trivyignore.yaml)' }]);
    expect(by['CVE-4']!.suppressions).toEqual([{ kind: 'vex', status: 'underReview', justification: '(vex.openvex.json)' }]);
    expect(by['CVE-5']!.suppressions?.[0]?.status).toBe('rejected');
    expect(r.diagnostics.find((d) => d.pointer?.endsWith('/ExperimentalModifiedFindings/4/Status'))?.level).toBe('warning');
  });

  it('Grype ignoredMatches: ignore rules and VEX not_affected suppress; VEX under_investigation does not', () => {
    const match = (id: string) => ({ vulnerability: { id, severity: 'High' }, artifact: { name: 'lodash', version: '4.17.20', type: 'npm', purl: 'pkg:npm/lodash@4.17.20', locations: [] } });
    const doc = {
      descriptor: { name: 'grype', version: '0.80.0' }, source: { type: 'directory', target: '.' }, matches: [match('CVE-1')],
      ignoredMatches: [
        { ...match('CVE-2'), appliedIgnoreRules: [{ vulnerability: 'CVE-2', reason: 'dev only' }] },
        { ...match('CVE-3'), appliedIgnoreRules: [{ 'vex-status': 'not_affected', 'vex-justification': 'vulnerable_code_not_in_execute_path' }] },
        { ...match('CVE-4'), appliedIgnoreRules: [{ 'vex-status': 'under_investigation' }] },
        { ...match('CVE-5'), appliedIgnoreRules: [] },
      ],
    };
    const by = Object.fromEntries(findings(run('grype.json', JSON.stringify(doc))).map((f) => [f.ruleId, f]));
    expect(Object.fromEntries(Object.entries(by).map(([k, f]) => [k, isSuppressed(f.suppressions)]))).toEqual({ 'CVE-1': false, 'CVE-2': true, 'CVE-3': true, 'CVE-4': false, 'CVE-5': true });
    expect(by['CVE-3']!.suppressions).toEqual([{ kind: 'vex', justification: 'vulnerable_code_not_in_execute_path' }]);
  });

  it('Snyk filtered.ignore: kept as suppressed findings with the reason', () => {
    const vuln = (id: string) => ({ id, title: 't', severity: 'high', packageName: 'lodash', version: '4.17.20', from: ['app@1.0.0', 'lodash@4.17.20'], identifiers: { CVE: [], CWE: [] } });
    const doc = {
      ok: false, packageManager: 'npm', projectName: 'app', dependencyCount: 1, vulnerabilities: [vuln('SNYK-JS-1')],
      filtered: { ignore: [{ ...vuln('SNYK-JS-2'), filtered: { ignored: [{ reason: 'no fix, not exposed', expires: '2030-01-01T00:00:00.000Z', source: 'cli' }] } }], patch: [] },
    };
    const fs = findings(run('snyk.json', JSON.stringify(doc)));
    expect(fs.map((f) => [f.ruleId, isSuppressed(f.suppressions)]).sort()).toEqual([['SNYK-JS-1', false], ['SNYK-JS-2', true]]);
    expect(fs.find((f) => f.ruleId === 'SNYK-JS-2')!.suppressions).toEqual([{ kind: 'snyk-ignore', justification: 'no fix, not exposed' }]);
  });

  it('a normalised 1.0 document\'s single "suppressed" is read as a list of one', () => {
    const doc = {
      schemaVersion: '1.0',
      runs: [{ tool: { name: 'semgrep' }, format: 'semgrep', notScanned: [], findings: [{ tool: 'semgrep', kind: 'code', ruleId: 'r', title: 't', message: 'm', severity: 'low', cwe: [], aliases: [], references: [], pointer: '/results/0', suppressed: { kind: 'nosemgrep' } }] }],
    };
    const r = run('scan.json', JSON.stringify(doc));
    expect(r.diagnostics).toEqual([]);
    expect(findings(r)[0]!.suppressions).toEqual([{ kind: 'nosemgrep' }]);
  });
});
