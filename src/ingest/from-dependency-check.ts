/**
 * OWASP Dependency-Check JSON report (`--format JSON`, `reportSchema` 1.x). One finding per
 * (dependency, vulnerability): the same CVE on a shaded jar and on the library it shades are two
 * places to fix. `suppressedVulnerabilities` are kept as suppressed findings, never dropped.
 */
import { collectCwes, normalizePath } from '../model/normalize-text.ts';
import type { Coverage, CvssRating, NotScanned, PackageRef, Severity } from '../model/types.ts';
import { FieldCheck, dependencyTitle, firstLine, normalizeEcosystem, pathLocation } from './field-check.ts';
import { parsePurl } from './purl.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';

type Obj = Record<string, unknown>;

/** Dependency-Check's `severity` words (NVD's, plus OSS Index's and the npm advisories' `moderate`). */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', moderate: 'medium', low: 'low', info: 'info', informational: 'info', none: 'info', unknown: 'unknown',
};

const COVERAGE: Coverage = { dependencies: true, source: 'OWASP Dependency-Check (known vulnerabilities of dependencies: NVD, OSS Index, npm/RetireJS advisories)' };

function detect(v: unknown): number {
  if (!isObject(v) || !Array.isArray(v.dependencies)) return 0;
  if (isObject(v.scanInfo) && 'engineVersion' in v.scanInfo) return 1;
  return 'reportSchema' in v && 'projectInfo' in v ? 0.9 : 0;
}

function read({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value) || !Array.isArray(value.dependencies)) {
    f.refuse('a Dependency-Check report must be an object with a "dependencies" array', isObject(value) ? '/dependencies' : '', 'an object {"scanInfo", "dependencies": [...]}', 'write the report with `dependency-check --format JSON`');
    return { runs: [], diagnostics: f.diagnostics };
  }
  const run: DraftRun = { tool: { name: 'dependency-check' }, format: 'dependency-check', notScanned: [], findings: [], coverage: COVERAGE };
  const scanInfo = f.object(value.scanInfo, '', 'scanInfo');
  const version = scanInfo ? f.string(scanInfo.engineVersion, '/scanInfo', 'engineVersion') : undefined;
  if (version) run.tool.version = version;
  const project = f.object(value.projectInfo, '', 'projectInfo');
  const name = project ? f.string(project.name, '/projectInfo', 'name') : undefined;
  if (name) run.target = name;
  const date = project ? f.string(project.reportDate, '/projectInfo', 'reportDate') : undefined;
  if (date && /^\d{4}-\d{2}-\d{2}/.test(date)) run.startedAt = date;
  if (scanInfo) run.notScanned.push(...analysisExceptions(scanInfo, f));
  value.dependencies.forEach((raw, i) => {
    const dp = `/dependencies/${i}`;
    const dep = f.item(raw, dp, 'a Dependency-Check dependency object');
    if (!dep) return;
    for (const [key, suppressed] of [['vulnerabilities', false], ['suppressedVulnerabilities', true]] as const) {
      f.array(dep[key], dp, key).forEach((v, k) => {
        const vp = `${dp}/${key}/${k}`;
        const vuln = f.item(v, vp, 'a Dependency-Check vulnerability object');
        const finding = vuln && readVulnerability(vuln, vp, dep, dp, suppressed, f);
        if (finding) run.findings.push(finding);
      });
    }
  });
  return { runs: [run], diagnostics: f.diagnostics };
}

/**
 * Analyzers that failed (`scanInfo.analysisExceptions`, e.g. OSS Index unreachable): parts of the
 * scan that did not happen. Only the first line of each message is kept, never the stack trace.
 */
function analysisExceptions(scanInfo: Obj, f: FieldCheck): NotScanned[] {
  return f.array(scanInfo.analysisExceptions, '/scanInfo', 'analysisExceptions').map((e, i) => {
    const ep = `/scanInfo/analysisExceptions/${i}`;
    const ex = isObject(e) && isObject(e.exception) ? e.exception : undefined;
    const message = ex && typeof ex.message === 'string' ? firstLine(ex.message) : '';
    return { reason: message ? `Dependency-Check analysis failed: ${message}` : 'Dependency-Check reported an analysis exception', pointer: ep };
  });
}

function readVulnerability(v: Obj, vp: string, dep: Obj, dp: string, suppressed: boolean, f: FieldCheck): DraftFinding | undefined {
  const id = f.id(v.name, vp, 'name');
  if (id === undefined) {
    f.bad(`${vp}/name`, 'the vulnerability id (CVE-…, GHSA-…, an OSS Index or npm advisory id)', v.name, true);
    return undefined;
  }
  const pkg = packageOf(dep, dp, f);
  // Only a package known by its purl is the product the matched CPE range speaks of; a jar known
  // by file name alone may be matched to another product's CPE (a false positive to review), and
  // that product's fix says nothing about the jar.
  if (pkg.purl) pkg.fixedVersions = fixedVersions(v, vp, f);
  const cvss = ratings(v, vp, f);
  const { severity, rawSeverity } = severityOf(v, vp, cvss, f);
  const description = f.string(v.description, vp, 'description')?.trim() ?? '';
  const related = f.array(dep.relatedDependencies, dp, 'relatedDependencies')
    .map((r) => (isObject(r) && typeof r.filePath === 'string' ? normalizePath(r.filePath) : undefined))
    .filter((p): p is string => p !== undefined && p !== '');
  const parts = [description || `${id} affects ${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}`];
  // Dependency-Check bundles copies of one library (a shaded jar, the same jar in two modules) as
  // related dependencies of one entry: the advisory applies to each of those places.
  if (related.length > 0) parts.push(`Also found as: ${uniqSorted(related).join(', ')}`);
  const finding: DraftFinding = {
    tool: 'dependency-check', kind: 'dependency', ruleId: id,
    title: dependencyTitle(id, pkg.name, pkg.version),
    message: parts.join('\n\n'),
    severity,
    cwe: collectCwes(f.strings(v.cwes, vp, 'cwes')),
    aliases: [],
    package: pkg,
    references: uniqSorted(f.array(v.references, vp, 'references').map((r) => (isObject(r) && typeof r.url === 'string' && /^https?:\/\//i.test(r.url) ? r.url : undefined))),
    pointer: vp,
  };
  if (rawSeverity !== undefined) finding.rawSeverity = rawSeverity;
  if (cvss.length > 0) finding.cvss = cvss;
  const file = f.string(dep.filePath, dp, 'filePath') ?? f.string(dep.fileName, dp, 'fileName');
  if (file) finding.location = pathLocation(file);
  if (suppressed) {
    // A suppression file rule applied: the report keeps its `notes` on the vulnerability.
    const notes = f.string(v.notes, vp, 'notes')?.trim();
    finding.suppressions = [notes ? { kind: 'dependency-check-suppression', justification: notes } : { kind: 'dependency-check-suppression' }];
  }
  return finding;
}

/**
 * The package from the first purl of `packages[]` (maven `group:artifact`, npm `@scope/name`, as
 * Trivy and Grype name them), else the file name: a jar identified only by its CPE still has one.
 */
function packageOf(dep: Obj, dp: string, f: FieldCheck): PackageRef {
  for (const [k, p] of f.array(dep.packages, dp, 'packages').entries()) {
    const id = isObject(p) ? f.string(p.id, `${dp}/packages/${k}`, 'id') : undefined;
    const purl = id ? parsePurl(id) : undefined;
    if (!purl) continue;
    const out: PackageRef = { name: purl.name, fixedVersions: [], purl: id! };
    const eco = normalizeEcosystem(purl.type);
    if (eco) out.ecosystem = eco;
    if (purl.version) out.version = purl.version;
    return out;
  }
  const fileName = f.string(dep.fileName, dp, 'fileName')?.trim();
  return { name: fileName || '(unnamed dependency)', fixedVersions: [] };
}

/**
 * The version that ends the matched vulnerable range (`vulnerableSoftware[].software` with
 * `vulnerabilityIdMatched` and `versionEndExcluding`): the first version outside the range, i.e.
 * the fix. Nothing is inferred from `versionEndIncluding` (the next version is not known).
 */
function fixedVersions(v: Obj, vp: string, f: FieldCheck): string[] {
  const out: string[] = [];
  f.array(v.vulnerableSoftware, vp, 'vulnerableSoftware').forEach((s) => {
    const sw = isObject(s) && isObject(s.software) ? s.software : undefined;
    if (!sw || String(sw.vulnerabilityIdMatched) !== 'true') return;
    if (typeof sw.versionEndExcluding === 'string' && sw.versionEndExcluding.trim() !== '') out.push(sw.versionEndExcluding.trim());
  });
  return uniqSorted(out);
}

/** `severity` word; else the v4, v3, then v2 base score; else `unknown`. */
function severityOf(v: Obj, vp: string, cvss: CvssRating[], f: FieldCheck): { severity: Severity; rawSeverity?: string } {
  const word = f.severity(v.severity, SEVERITY, `${vp}/severity`, 'Dependency-Check');
  if (word.severity !== 'unknown') return word;
  for (const version of ['4.0', '3.1', '3.0', '3.x', '2.0']) {
    const r = cvss.find((c) => c.version === version && c.score !== undefined);
    const band = r ? f.score(r.score, vp) : undefined;
    if (band) return { severity: band, rawSeverity: word.rawSeverity ?? `CVSS ${r!.version} ${r!.score}` };
  }
  return word;
}

// Dependency-Check writes the metric values as words; the vector letters are the specification's.
const V2: ReadonlyArray<[string, string, Readonly<Record<string, string>>]> = [
  ['AV', 'accessVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', LOCAL: 'L' }],
  ['AC', 'accessComplexity', { LOW: 'L', MEDIUM: 'M', HIGH: 'H' }],
  // "authenticationr" is how Dependency-Check 5 to 8 spell it.
  ['Au', 'authentication', { NONE: 'N', SINGLE: 'S', MULTIPLE: 'M', SINGLE_INSTANCE: 'S', MULTIPLE_INSTANCES: 'M' }],
  ['C', 'confidentialImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['I', 'integrityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['A', 'availabilityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
];
const V3: ReadonlyArray<[string, string, Readonly<Record<string, string>>]> = [
  ['AV', 'attackVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', ADJACENT: 'A', LOCAL: 'L', PHYSICAL: 'P' }],
  ['AC', 'attackComplexity', { LOW: 'L', HIGH: 'H' }],
  ['PR', 'privilegesRequired', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['UI', 'userInteraction', { NONE: 'N', REQUIRED: 'R' }],
  ['S', 'scope', { UNCHANGED: 'U', CHANGED: 'C' }],
  ['C', 'confidentialityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['I', 'integrityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['A', 'availabilityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
];

/** The base vector from metric words; `undefined` when any metric is missing or unknown. */
function vectorOf(o: Obj, metrics: typeof V2, prefix: string): string | undefined {
  const parts: string[] = [];
  for (const [letter, key, words] of metrics) {
    const raw = o[key] ?? (key === 'authentication' ? o.authenticationr : undefined);
    const word = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    // OSS Index results give the vector letters themselves ("N", "H") instead of the words.
    const value = Object.prototype.hasOwnProperty.call(words, word) ? words[word] : Object.values(words).find((l) => l.toUpperCase() === word && word.length === 1);
    if (value === undefined) return undefined;
    parts.push(`${letter}:${value}`);
  }
  return prefix + parts.join('/');
}

/**
 * `cvssv2`, `cvssv3`, `cvssv4` as ratings: the vector when the report gives it or its metric
 * words spell it completely, and the base score. A v3 rating without a version is `3.x` (its
 * vector prefix is then unknown and no vector is built).
 */
function ratings(v: Obj, vp: string, f: FieldCheck): CvssRating[] {
  const out: CvssRating[] = [];
  const source = typeof v.source === 'string' && v.source.trim() !== '' ? v.source.trim() : undefined;
  const add = (key: string, version: string, score: unknown, vector: string | undefined) => {
    const r: CvssRating = { version };
    if (vector) r.vector = vector;
    const n = typeof score === 'string' && /^\d+(\.\d+)?$/.test(score.trim()) ? Number(score) : score;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 10) r.score = n;
    else if (n !== undefined && n !== null) f.bad(`${vp}/${key}`, 'a CVSS base score between 0.0 and 10.0', score);
    if (source) r.source = source;
    if (r.vector !== undefined || r.score !== undefined) out.push(r);
  };
  const v2 = f.object(v.cvssv2, vp, 'cvssv2');
  if (v2) {
    const given = typeof v2.vectorString === 'string' && v2.vectorString.trim() !== '' ? v2.vectorString.trim().replace(/^\(|\)$/g, '') : undefined;
    add('cvssv2/score', '2.0', v2.score, given ?? vectorOf(v2, V2, ''));
  }
  const v3 = f.object(v.cvssv3, vp, 'cvssv3');
  if (v3) {
    const given = typeof v3.vectorString === 'string' && /^CVSS:3\.[01]\//.test(v3.vectorString.trim()) ? v3.vectorString.trim() : undefined;
    const version = given ? given.slice(5, 8) : typeof v3.version === 'string' && /^3\.[01]$/.test(v3.version.trim()) ? v3.version.trim() : '3.x';
    add('cvssv3/baseScore', version, v3.baseScore, given ?? (version === '3.x' ? undefined : vectorOf(v3, V3, `CVSS:${version}/`)));
  }
  const v4 = f.object(v.cvssv4, vp, 'cvssv4');
  if (v4) {
    const given = typeof v4.vectorString === 'string' && /^CVSS:4\.0\//.test(v4.vectorString.trim()) ? v4.vectorString.trim() : undefined;
    add('cvssv4/baseScore', '4.0', v4.baseScore, given);
  }
  return out;
}

/** OWASP Dependency-Check JSON report. */
export const fromDependencyCheck: Reader = {
  id: 'dependency-check',
  description: 'OWASP Dependency-Check JSON report (dependency-check --format JSON): vulnerabilities, suppressed vulnerabilities, CVSS v2/v3/v4',
  detect,
  coverage: COVERAGE,
  read,
};
