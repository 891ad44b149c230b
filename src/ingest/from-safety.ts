import { pointer } from '../model/diagnostics.ts';
import { normalizePath } from '../model/normalize-text.ts';
import { fromCvssScore } from '../model/severity.ts';
import type { Coverage, NotScanned, Severity, Suppression } from '../model/types.ts';
import { FieldCheck, dependencyTitle } from './field-check.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

const COVERAGE: Coverage = { dependencies: true, source: 'Safety checks installed Python packages against the Safety vulnerability database' };

/**
 * Severity from a CVSS object `{base_score, base_severity}`: the score is banded (CVSS v3
 * qualitative scale) and the tool's own words are kept as `rawSeverity`. No CVSS → `unknown`.
 */
function cvssSeverity(f: FieldCheck, cvss: Record<string, unknown> | undefined, ptr: string): { severity: Severity; rawSeverity?: string } {
  if (!cvss) return { severity: 'unknown' };
  const score = f.number(cvss.base_score, `${ptr}/base_score`);
  if (score === undefined) return { severity: 'unknown' };
  const word = typeof cvss.base_severity === 'string' ? ` (${cvss.base_severity})` : '';
  return { severity: fromCvssScore(score), rawSeverity: `CVSS v3 ${score}${word}` };
}

/** The three shapes of Safety's `CVE` key (null, `"CVE-…"`, `{name, cvssv2, cvssv3}`) as a name plus optional CVSS v3. */
function readCve(f: FieldCheck, v: unknown, ptr: string): { name?: string; cvssv3?: Record<string, unknown>; cvssPtr: string } {
  if (typeof v === 'string') return { name: v.trim() || undefined, cvssPtr: ptr };
  if (isObject(v)) {
    const name = f.string(v.name, `${ptr}/name`);
    return { name: name?.trim() || undefined, cvssv3: f.object(v.cvssv3, `${ptr}/cvssv3`), cvssPtr: ptr + '/cvssv3' };
  }
  if (v !== null && v !== undefined) f.bad(ptr, 'null, a CVE id string, or an object {name, cvssv2, cvssv3}', v);
  return { cvssPtr: ptr };
}

function isLegacyRow(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length >= 5 && v.length <= 7 && typeof v[0] === 'string' && typeof v[2] === 'string';
}

function detect(v: unknown): number {
  if (Array.isArray(v)) return v.length > 0 && isLegacyRow(v[0]) ? 1 : 0;
  if (!isObject(v)) return 0;
  if (isObject(v.meta) && 'scan_results' in v) return 1;
  if (isObject(v.report_meta) && 'vulnerabilities' in v) return 1;
  if ('affected_packages' in v && 'vulnerabilities' in v && 'remediations' in v) return 0.9;
  return 0;
}

/** Safety 1.x: `[[name, spec, installed, advisory, id, cve?, cvssv2?, cvssv3?]]`, positional. */
function readLegacy(rows: unknown[], f: FieldCheck): DraftRun {
  const findings: DraftFinding[] = [];
  rows.forEach((row, i) => {
    const base = pointer(i);
    if (!Array.isArray(row) || row.length < 5) {
      f.bad(base, 'an array [name, spec, installed_version, advisory, vulnerability_id, …]', row, true);
      return;
    }
    const [name, spec, installed, advisory, rawId, cve, , cvss3] = row;
    const id = typeof rawId === 'string' ? rawId : typeof rawId === 'number' && Number.isSafeInteger(rawId) ? String(rawId) : undefined;
    if (typeof name !== 'string' || id === undefined) {
      f.bad(typeof name !== 'string' ? base + '/0' : base + '/4', typeof name !== 'string' ? 'the package name (a string)' : 'the vulnerability id (a string)', typeof name !== 'string' ? name : rawId, true);
      return;
    }
    const version = typeof installed === 'string' ? installed : undefined;
    // Columns 7/8 are CVSS v2/v3 slots, only filled with a paid key; accept a number or {base_score}.
    const score = typeof cvss3 === 'number' ? cvss3 : isObject(cvss3) && typeof cvss3.base_score === 'number' ? cvss3.base_score : undefined;
    const text = typeof advisory === 'string' ? advisory : '';
    const finding: DraftFinding = {
      tool: 'safety', kind: 'dependency', ruleId: id,
      title: dependencyTitle(id, name, version),
      message: typeof spec === 'string' && spec ? `${text}\n\nVulnerable versions: ${spec}` : text,
      severity: score !== undefined ? fromCvssScore(score) : 'unknown',
      cwe: [],
      aliases: uniqSorted([typeof cve === 'string' ? cve : undefined]).filter((a) => a !== id),
      package: { ecosystem: 'pypi', name, ...(version ? { version } : {}), fixedVersions: [] },
      references: [],
      pointer: base,
    };
    if (score !== undefined) finding.rawSeverity = `CVSS v3 ${score}`;
    findings.push(finding);
  });
  return { tool: { name: 'safety' }, format: 'safety', notScanned: [], findings };
}

/** Safety 2.x/3.x `check --json`: one object per vulnerability in `vulnerabilities[]` (+ `ignored_vulnerabilities[]`). */
function readCheck(doc: Record<string, unknown>, f: FieldCheck): DraftRun | undefined {
  if (!Array.isArray(doc.vulnerabilities)) {
    f.refuse('Safety report has no "vulnerabilities" array', '/vulnerabilities', 'an array', 'write the report with `safety check --json` (or `--output json`)');
    return undefined;
  }
  const meta = f.object(doc.report_meta, '/report_meta') ?? {};
  const findings: DraftFinding[] = [];
  const readList = (list: unknown[], key: string, ignoredList: boolean) => list.forEach((raw, i) => {
    const base = pointer(key, i);
    const v = f.item(raw, base);
    if (!v) return;
    const id = f.requiredString(v.vulnerability_id, `${base}/vulnerability_id`);
    const name = f.requiredString(v.package_name, `${base}/package_name`);
    if (id === undefined || name === undefined) return;
    const version = f.string(v.analyzed_version, `${base}/analyzed_version`);
    const cve = readCve(f, v.CVE, base + '/CVE');
    const sevObj = f.object(v.severity, `${base}/severity`);
    const sev = sevObj?.cvssv3 !== undefined && sevObj.cvssv3 !== null
      ? cvssSeverity(f, f.object(sevObj.cvssv3, `${base}/severity/cvssv3`), base + '/severity/cvssv3')
      : cvssSeverity(f, cve.cvssv3, cve.cvssPtr);
    const spec = Array.isArray(v.vulnerable_spec) ? v.vulnerable_spec.filter((s) => typeof s === 'string').join(', ') : f.string(v.vulnerable_spec, `${base}/vulnerable_spec`);
    const advisory = f.string(v.advisory, `${base}/advisory`) ?? '';
    const moreInfo = f.string(v.more_info_url, `${base}/more_info_url`);
    const finding: DraftFinding = {
      tool: 'safety', kind: 'dependency', ruleId: id,
      title: dependencyTitle(id, name, version),
      message: spec ? `${advisory}\n\nVulnerable versions: ${spec}` : advisory,
      severity: sev.severity,
      cwe: [],
      aliases: uniqSorted([cve.name]).filter((a) => a !== id),
      package: { ecosystem: 'pypi', name, ...(version ? { version } : {}), fixedVersions: uniqSorted(f.strings(v.fixed_versions, `${base}/fixed_versions`)) },
      references: uniqSorted([...f.strings(v.resources, `${base}/resources`), moreInfo]),
      pointer: base,
    };
    if (sev.rawSeverity) finding.rawSeverity = sev.rawSeverity;
    if (ignoredList || v.ignored === true) {
      const reason = f.string(v.ignored_reason, `${base}/ignored_reason`);
      const s: Suppression = { kind: 'safety-ignore' };
      if (reason) s.justification = reason;
      finding.suppressions = [s];
    }
    findings.push(finding);
  });
  readList(doc.vulnerabilities, 'vulnerabilities', false);
  readList(f.array(doc.ignored_vulnerabilities, '/ignored_vulnerabilities'), 'ignored_vulnerabilities', true);
  const version = f.string(meta.safety_version, '/report_meta/safety_version');
  const stamp = f.string(meta.timestamp, '/report_meta/timestamp');
  const scanned = f.strings(meta.scanned, '/report_meta/scanned');
  const run: DraftRun = { tool: version ? { name: 'safety', version } : { name: 'safety' }, format: 'safety', notScanned: [], findings };
  // Safety writes local time without a zone ("2022-04-30 08:16:30"); keep it zone-less rather than invent one.
  if (stamp) run.startedAt = stamp.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2');
  if (scanned.length > 0) run.target = scanned.join(', ');
  return run;
}

/** Safety 3.x `scan --output json` (schema_version 3.0): projects → files → dependencies → specifications. */
function readScan(doc: Record<string, unknown>, f: FieldCheck): DraftRun | undefined {
  const results = f.object(doc.scan_results, '/scan_results');
  if (!results) {
    f.refuse('Safety scan report has no "scan_results" object', '/scan_results', 'an object with files[] and projects[]', 'write the report with `safety scan --output json`');
    return undefined;
  }
  const meta = f.object(doc.meta, '/meta') ?? {};
  const findings: DraftFinding[] = [];
  const notScanned: NotScanned[] = [];
  const readFile = (file: unknown, base: string) => {
    const fl = f.item(file, base);
    if (!fl) return;
    const location = f.string(fl.location, `${base}/location`);
    const deps = f.array(f.object(fl.results, `${base}/results`)?.dependencies, `${base}/results/dependencies`);
    deps.forEach((rawDep, di) => {
      const dbase = `${base}/results/dependencies/${di}`;
      const dep = f.item(rawDep, dbase);
      if (!dep) return;
      const name = f.requiredString(dep.name, `${dbase}/name`);
      if (name === undefined) return;
      f.array(dep.specifications, `${dbase}/specifications`).forEach((rawSpec, si) => {
        const sbase = `${dbase}/specifications/${si}`;
        const spec = f.item(rawSpec, sbase);
        if (!spec) return;
        const raw = f.string(spec.raw, `${sbase}/raw`);
        const version = raw ? /===?\s*([^\s,;]+)\s*$/.exec(raw)?.[1] : undefined;
        const vulns = f.object(spec.vulnerabilities, `${sbase}/vulnerabilities`) ?? {};
        const remediation = f.object(vulns.remediation, `${sbase}/vulnerabilities/remediation`);
        const recommended = remediation ? f.string(remediation.recommended, `${sbase}/vulnerabilities/remediation/recommended`) : undefined;
        f.array(vulns.known_vulnerabilities, `${sbase}/vulnerabilities/known_vulnerabilities`).forEach((rawV, vi) => {
          const vbase = `${sbase}/vulnerabilities/known_vulnerabilities/${vi}`;
          const v = f.item(rawV, vbase);
          if (!v) return;
          const id = f.requiredString(v.id, `${vbase}/id`);
          if (id === undefined) return;
          const cveObj = f.object(v.cve, `${vbase}/cve`);
          const cve = readCve(f, cveObj ?? null, vbase + '/cve');
          const sev = cvssSeverity(f, cve.cvssv3, cve.cvssPtr);
          const vulnerable = f.string(v.vulnerable_spec, `${vbase}/vulnerable_spec`);
          const advisory = (cveObj ? f.string(cveObj.advisory, `${vbase}/cve/advisory`) : undefined) ?? '';
          const parts = [advisory];
          if (vulnerable) parts.push(`Vulnerable versions: ${vulnerable}`);
          // The recommendation is per requirement (a version free of every known advisory), not a fixed version of this advisory.
          if (recommended) parts.push(`Safety recommends ${name} ${recommended} for this requirement.`);
          const finding: DraftFinding = {
            tool: 'safety', kind: 'dependency', ruleId: id,
            title: dependencyTitle(id, name, version),
            message: parts.filter(Boolean).join('\n\n'),
            severity: sev.severity,
            cwe: [],
            aliases: uniqSorted([cve.name]).filter((a) => a !== id),
            package: { ecosystem: 'pypi', name, ...(version ? { version } : {}), fixedVersions: [] },
            references: [],
            pointer: vbase,
          };
          if (location) finding.location = { path: normalizePath(location) };
          if (sev.rawSeverity) finding.rawSeverity = sev.rawSeverity;
          if (isObject(v.ignored)) {
            const reason = typeof v.ignored.reason === 'string' ? v.ignored.reason : undefined;
            finding.suppressions = [reason ? { kind: 'safety-ignore', justification: reason } : { kind: 'safety-ignore' }];
          }
          findings.push(finding);
        });
      });
    });
  };
  f.array(results.files, '/scan_results/files').forEach((fl, i) => readFile(fl, `/scan_results/files/${i}`));
  f.array(results.projects, '/scan_results/projects').forEach((rawP, pi) => {
    const pbase = `/scan_results/projects/${pi}`;
    const p = f.item(rawP, pbase);
    if (!p) return;
    f.array(p.files, `${pbase}/files`).forEach((fl, i) => readFile(fl, `${pbase}/files/${i}`));
  });
  const telemetry = f.object(meta.telemetry, '/meta/telemetry');
  const version = telemetry ? f.string(telemetry.safety_version, '/meta/telemetry/safety_version') : undefined;
  const stamp = f.string(meta.timestamp, '/meta/timestamp');
  const locations = f.strings(meta.scan_locations, '/meta/scan_locations');
  const run: DraftRun = { tool: version ? { name: 'safety', version } : { name: 'safety' }, format: 'safety', notScanned, findings };
  if (stamp) run.startedAt = stamp;
  if (locations.length > 0) run.target = locations.join(', ');
  return run;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  let run: DraftRun | undefined;
  if (Array.isArray(value)) run = readLegacy(value, f);
  else if (isObject(value) && ('scan_results' in value || isObject(value.meta))) run = readScan(value, f);
  else if (isObject(value)) run = readCheck(value, f);
  else {
    f.refuse('not a Safety report: expected an array (Safety 1.x) or an object (2.x/3.x)', '', 'an array or an object', 'write the report with `safety check --json` or `safety scan --output json`');
  }
  return { runs: run ? [{ ...run, coverage: COVERAGE }] : [], diagnostics: f.diagnostics };
}

/** Safety: 1.x positional arrays, 2.x/3.x `check --json` objects, 3.x `scan --output json` (schema 3.0). */
export const fromSafety: Reader = {
  id: 'safety',
  description: 'Safety JSON (1.x `check --json` arrays, 2.x/3.x `check --json`, 3.x `scan --output json`)',
  detect,
  coverage: COVERAGE,
  read,
};
