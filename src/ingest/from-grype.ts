import { diag } from '../model/diagnostics.ts';
import type { PackageRef, Severity, Suppression, SuppressionStatus } from '../model/types.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';
import { FieldCheck, dependencyTitle, ecosystemFromPurl, normalizeEcosystem, pathLocation, splitVersions } from './field-check.ts';
import { grypeRisk } from './risk-fields.ts';

type Obj = Record<string, unknown>;

/**
 * Grype's Title-case severity words. `Negligible` is below `Low` on Grype's scale; ours has no
 * lower step for a real vulnerability (`info` means "not a vulnerability"), so it maps to `low`.
 */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', low: 'low', negligible: 'low', unknown: 'unknown',
};

/** Grype JSON (`grype -o json`), current schema and the early (≤ 0.1x) one. */
export const fromGrype: Reader = {
  id: 'grype',
  description: 'Grype JSON (grype -o json), current and early schemas',
  coverage: { dependencies: true, source: 'Grype vulnerability matcher (OS and language packages)' },
  detect(value) {
    if (!isObject(value) || !Array.isArray(value.matches)) return 0;
    if (isObject(value.descriptor) && value.descriptor.name === 'grype') return 1;
    return 'source' in value || 'distro' in value ? 0.8 : 0.4;
  },
  read: readGrype,
};

function readGrype({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  if (!isObject(value)) {
    f.bad('', 'a Grype report object', value);
    return { runs: [], diagnostics: f.diagnostics };
  }
  const descriptor = f.object(value.descriptor, '/descriptor');
  const run: DraftRun = { tool: { name: 'grype' }, format: 'grype', notScanned: [], findings: [] };
  const version = descriptor ? f.string(descriptor.version, '/descriptor/version') : undefined;
  if (version) run.tool.version = version;
  const started = descriptor ? f.string(descriptor.timestamp, '/descriptor/timestamp') : undefined;
  if (started) run.startedAt = started;
  const source = f.object(value.source, '/source');
  const target = source ? (isObject(source.target) ? source.target.userInput : source.target) : undefined;
  if (typeof target === 'string' && target !== '') run.target = target;

  const db = descriptor && isObject(descriptor.db) ? descriptor.db : undefined;
  const status = db && isObject(db.status) ? db.status : db;
  const dbBuilt = status && typeof status.built === 'string' ? status.built.slice(0, 10) : undefined;

  // Grype may list one match twice (one per matcher); only an identical
  // (id, package, version, locations) is a duplicate — the same CVE in two copies is not.
  const seen = new Set<string>();
  f.array(value.matches, '/matches').forEach((m, i) => {
    const p = `/matches/${i}`;
    if (!isObject(m)) {
      f.bad(p, 'a Grype match object', m);
      return;
    }
    const finding = readMatch(m, p, f, dbBuilt);
    if (!finding) return;
    const art = isObject(m.artifact) ? m.artifact : {};
    const paths = Array.isArray(art.locations) ? art.locations.map((l) => (isObject(l) && typeof l.path === 'string' ? l.path : '')) : [];
    const key = [finding.ruleId, finding.package?.name, finding.package?.version, ...paths].join('\u0000');
    if (seen.has(key)) {
      f.diagnostics.push(diag('ingest/duplicate-dropped', 'info', `${finding.ruleId} for ${finding.package?.name} ${finding.package?.version ?? ''} repeats an earlier match with the same locations; counted once`, { pointer: p }));
      return;
    }
    seen.add(key);
    run.findings.push(finding);
  });
  // Matches an ignore rule or a VEX document took out of `matches`: kept, suppressed.
  f.array(value.ignoredMatches, '', 'ignoredMatches').forEach((m, i) => {
    const p = `/ignoredMatches/${i}`;
    if (!isObject(m)) {
      f.bad(p, 'a Grype match object', m);
      return;
    }
    const finding = readMatch(m, p, f, dbBuilt);
    if (!finding) return;
    const sups = ignoreRules(m, p, f);
    if (sups.length > 0) finding.suppressions = sups;
    run.findings.push(finding);
  });
  return { runs: [run], diagnostics: f.diagnostics };
}

/**
 * `vex-status` of an applied rule as a SARIF review state: `not_affected` and `fixed` suppress
 * (Grype's own ignore rules carry none and suppress too); `under_investigation` is a pending
 * review and `affected` a refusal, which keep the finding open (`underReview`, `rejected`).
 */
const VEX_STATUS: Readonly<Record<string, SuppressionStatus | 'accepted'>> = {
  not_affected: 'accepted', fixed: 'accepted', under_investigation: 'underReview', affected: 'rejected',
};

/**
 * The `appliedIgnoreRules` of an ignored match as suppressions. No rule listed: one plain Grype
 * ignore (the match is in `ignoredMatches`). Rules that cannot be judged (an unknown VEX status)
 * are left out and reported, so such a match alone stays open.
 */
function ignoreRules(m: Obj, p: string, f: FieldCheck): Suppression[] {
  const out: Suppression[] = [];
  const rules = f.array(m.appliedIgnoreRules, p, 'appliedIgnoreRules');
  if (rules.length === 0) return [{ kind: 'grype-ignore' }];
  rules.forEach((r, k) => {
    const rp = `${p}/appliedIgnoreRules/${k}`;
    if (!isObject(r)) {
      f.bad(rp, 'a Grype ignore rule object', r);
      return;
    }
    const vex = f.string(r['vex-status'], rp, 'vex-status')?.trim().toLowerCase();
    const s: Suppression = { kind: vex ? 'vex' : 'grype-ignore' };
    if (vex) {
      const mapped = Object.prototype.hasOwnProperty.call(VEX_STATUS, vex) ? VEX_STATUS[vex] : undefined;
      if (mapped === undefined) {
        f.bad(`${rp}/vex-status`, `one of: ${Object.keys(VEX_STATUS).join(', ')} (the rule was not applied)`, r['vex-status']);
        return;
      }
      if (mapped !== 'accepted') s.status = mapped;
    }
    const why = f.string(r.reason, rp, 'reason')?.trim() || f.string(r['vex-justification'], rp, 'vex-justification')?.trim();
    if (why) s.justification = why;
    out.push(s);
  });
  return out;
}

function readMatch(m: Obj, p: string, f: FieldCheck, dbBuilt?: string): DraftFinding | undefined {
  const vuln = f.object(m.vulnerability, `${p}/vulnerability`);
  const art = f.object(m.artifact, `${p}/artifact`);
  if (!vuln || !art) {
    if (!vuln) f.bad(`${p}/vulnerability`, 'a Grype vulnerability object', m.vulnerability);
    return undefined;
  }
  const vp = `${p}/vulnerability`, ap = `${p}/artifact`;
  const id = f.id(vuln.id, `${vp}/id`) ?? 'grype/no-vulnerability-id';
  const related = f.array(m.relatedVulnerabilities, `${p}/relatedVulnerabilities`).filter(isObject);
  const purl = f.string(art.purl, `${ap}/purl`);
  const pkg: PackageRef = {
    name: f.id(art.name, `${ap}/name`) ?? '(unknown package)',
    fixedVersions: fixedVersions(vuln, vp, f),
  };
  const eco = ecosystemFromPurl(purl) ?? normalizeEcosystem(f.string(art.type, `${ap}/type`));
  if (eco) pkg.ecosystem = eco;
  const version = f.string(art.version, `${ap}/version`);
  if (version !== undefined) pkg.version = version;
  if (purl) pkg.purl = purl;

  const { severity, rawSeverity } = severityOf(vuln, vp, related, f);
  const description = f.string(vuln.description, `${vp}/description`) ?? related.map((r) => (typeof r.description === 'string' ? r.description : undefined)).find((d) => d);
  const locations = f.array(art.locations, `${ap}/locations`)
    .map((l, k) => (isObject(l) ? f.string(l.path, `${ap}/locations/${k}/path`) : undefined))
    .filter((x): x is string => x !== undefined && x !== '');
  const finding: DraftFinding = {
    tool: 'grype',
    kind: 'dependency',
    ruleId: id,
    title: dependencyTitle(id, pkg.name, version),
    message: description ?? `${id} matches ${pkg.name}${version ? ` ${version}` : ''}`,
    severity,
    cwe: [],
    aliases: uniqSorted(related.map((r) => (typeof r.id === 'string' ? r.id : undefined)).filter((r) => r !== id)),
    package: pkg,
    references: uniqSorted([
      ...f.strings(vuln.urls, `${vp}/urls`),
      ...f.strings(vuln.links, `${vp}/links`),
      f.string(vuln.dataSource, `${vp}/dataSource`),
    ].filter((u) => u !== undefined && /^https?:\/\//i.test(u))),
    pointer: p,
  };
  if (rawSeverity !== undefined) finding.rawSeverity = rawSeverity;
  const risk = grypeRisk(vuln, vp, related, (k) => `${p}/relatedVulnerabilities/${k}`, f, dbBuilt);
  if (risk.cvss.length) finding.cvss = risk.cvss;
  if (risk.exploit) finding.exploit = risk.exploit;
  // The first artifact location (a file in the image or tree) says where the package was found.
  if (locations[0] !== undefined) finding.location = pathLocation(locations[0]);
  return finding;
}

/** `fix.versions[]` (current), `fixedInVersion` (early schema, possibly comma-separated). */
function fixedVersions(vuln: Obj, vp: string, f: FieldCheck): string[] {
  const fix = f.object(vuln.fix, `${vp}/fix`);
  if (fix) return uniqSorted(f.strings(fix.versions, `${vp}/fix/versions`));
  return splitVersions(f.string(vuln.fixedInVersion, `${vp}/fixedInVersion`));
}

/**
 * The severity word; when absent (seen in grype 0.96 for NVD-only records), the highest CVSS v3
 * base score of the record or its related records, banded; else `unknown`.
 */
function severityOf(vuln: Obj, vp: string, related: Obj[], f: FieldCheck): { severity: Severity; rawSeverity?: string } {
  const word = f.severity(vuln.severity, SEVERITY, `${vp}/severity`, 'Grype');
  if (word.severity !== 'unknown') return word;
  let best: number | undefined;
  let bestPtr = '';
  const consider = (o: Obj, ptr: string) => {
    f.array(o.cvss, `${ptr}/cvss`).forEach((c, k) => {
      if (!isObject(c) || typeof c.version !== 'string' || !c.version.startsWith('3') || !isObject(c.metrics)) return;
      const sp = `${ptr}/cvss/${k}/metrics/baseScore`;
      const s = c.metrics.baseScore;
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 10) {
        if (s !== undefined) f.bad(sp, 'a CVSS score between 0.0 and 10.0', s);
        return;
      }
      if (best === undefined || s > best) { best = s; bestPtr = sp; }
    });
    const v3 = isObject(o.cvssV3) ? o.cvssV3.baseScore : undefined;
    if (typeof v3 === 'number' && Number.isFinite(v3) && v3 >= 0 && v3 <= 10 && (best === undefined || v3 > best)) { best = v3; bestPtr = `${ptr}/cvssV3/baseScore`; }
  };
  consider(vuln, vp);
  related.forEach((r, k) => consider(r, `${vp.replace(/\/vulnerability$/, '')}/relatedVulnerabilities/${k}`));
  if (best !== undefined) {
    const score = f.score(best, bestPtr);
    if (score) return { severity: score, rawSeverity: word.rawSeverity ?? `CVSS ${best}` };
  }
  return word;
}
