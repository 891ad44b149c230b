import { collectCwes } from '../model/normalize-text.ts';
import type { NotScanned, PackageRef, Severity, Suppression, SuppressionStatus } from '../model/types.ts';
import { isObject, uniqSorted, type DraftFinding, type DraftRun, type Reader, type ReaderInput, type ReaderResult } from './reader.ts';
import { FieldCheck, ecosystemFromPurl, maskSecrets, normalizeEcosystem, pathLocation, splitVersions } from './field-check.ts';
import { trivyCvss } from './risk-fields.ts';

type Obj = Record<string, unknown>;

/** Trivy's `Severity` words (vulnerabilities, misconfigurations and secrets alike). */
const SEVERITY: Readonly<Record<string, Severity>> = {
  critical: 'critical', high: 'high', medium: 'medium', low: 'low', unknown: 'unknown',
};

/** `VendorSeverity` integers, used only when `Severity` is absent or `UNKNOWN`. */
const VENDOR_SEVERITY: readonly Severity[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/**
 * Trivy JSON: `SchemaVersion: 2` reports, the legacy top-level array (< 0.20), and both
 * `trivy k8s` shapes (`Resources[]`, and the older `Vulnerabilities[]`/`Misconfigurations[]`).
 */
export const fromTrivy: Reader = {
  id: 'trivy',
  description: 'Trivy JSON (SchemaVersion 2, legacy array, trivy k8s): vulnerabilities, misconfigurations, secrets',
  nullFileHint: /trivy/i,
  coverage: { dependencies: true, source: 'Trivy vulnerability scanner (OS and language packages)' },
  detect(value) {
    if (isObject(value)) {
      if (typeof value.SchemaVersion === 'number' && ('Results' in value || 'ArtifactName' in value)) return 1;
      if ('ClusterName' in value && (Array.isArray(value.Resources) || Array.isArray(value.Vulnerabilities) || Array.isArray(value.Misconfigurations))) return 1;
      if (Array.isArray(value.Results) && 'ArtifactName' in value) return 0.9;
      return 0;
    }
    if (Array.isArray(value) && value.length > 0 && value.every((r) => isObject(r) && typeof r.Target === 'string')) return 0.9;
    return 0;
  },
  read: readTrivy,
};

interface Ctx {
  f: FieldCheck;
  findings: DraftFinding[];
  notScanned: NotScanned[];
  scanners: Set<string>;
}

function readTrivy({ value }: ReaderInput): ReaderResult {
  const f = new FieldCheck();
  const ctx: Ctx = { f, findings: [], notScanned: [], scanners: new Set() };
  const run: DraftRun = { tool: { name: 'trivy' }, format: 'trivy', notScanned: ctx.notScanned, findings: ctx.findings };
  if (value === null) {
    // Trivy < 0.20 wrote a literal null when it found nothing.
    return { runs: [withCoverage(run, ctx)], diagnostics: [] };
  }
  if (Array.isArray(value)) {
    readResults(value, '', undefined, ctx);
  } else if (isObject(value)) {
    const trivy = f.object(value.Trivy, '/Trivy');
    const version = trivy ? f.string(trivy.Version, '/Trivy/Version') : undefined;
    if (version) run.tool.version = version;
    const target = f.string(value.ArtifactName, '/ArtifactName') ?? f.string(value.ClusterName, '/ClusterName');
    if (target) run.target = target;
    const created = f.string(value.CreatedAt, '/CreatedAt');
    if (created) run.startedAt = created;
    if ('Results' in value) readResults(f.array(value.Results, '/Results'), '/Results', undefined, ctx);
    for (const key of ['Resources', 'Vulnerabilities', 'Misconfigurations'] as const) {
      if ('ClusterName' in value || key === 'Resources') readResources(f.array(value[key], `/${key}`), `/${key}`, ctx);
    }
  } else {
    f.bad('', 'a Trivy report object, array or null', value);
    return { runs: [], diagnostics: f.diagnostics };
  }
  return { runs: [withCoverage(run, ctx)], diagnostics: f.diagnostics };
}

function withCoverage(run: DraftRun, ctx: Ctx): DraftRun {
  const scanners = ['vulnerabilities', ...[...ctx.scanners].filter((s) => s !== 'vulnerabilities').sort()];
  run.coverage = {
    dependencies: true,
    ...(ctx.scanners.has('secrets') ? { secrets: true } : {}),
    source: `Trivy scanners present in the report: ${scanners.join(', ')}`,
  };
  return run;
}

/** `trivy k8s` resources: an `Error` means the resource was not scanned. */
function readResources(list: unknown[], base: string, ctx: Ctx): void {
  list.forEach((r, i) => {
    const p = `${base}/${i}`;
    if (!isObject(r)) {
      ctx.f.bad(p, 'a Trivy k8s resource object', r);
      return;
    }
    const ns = ctx.f.string(r.Namespace, `${p}/Namespace`);
    const kind = ctx.f.string(r.Kind, `${p}/Kind`);
    const name = ctx.f.string(r.Name, `${p}/Name`);
    const id = [ns, kind, name].filter((x) => x).join('/');
    const error = ctx.f.string(r.Error, `${p}/Error`);
    if (error) {
      // Trivy's multi-error text is a bulleted list; one line keeps every cause readable.
      const reason = error.trim().replace(/:?\s*\n\s*(\*\s*)?/g, '; ').replace(/;\s*;/g, ';');
      ctx.notScanned.push(id ? { reason, path: id, pointer: `${p}/Error` } : { reason, pointer: `${p}/Error` });
    }
    readResults(ctx.f.array(r.Results, `${p}/Results`), `${p}/Results`, ns, ctx);
  });
}

function readResults(results: unknown[], base: string, namespace: string | undefined, ctx: Ctx): void {
  const { f } = ctx;
  results.forEach((res, i) => {
    const p = `${base}/${i}`;
    if (!isObject(res)) {
      f.bad(p, 'a Trivy result object', res);
      return;
    }
    const target = f.string(res.Target, `${p}/Target`) ?? '';
    const cls = f.string(res.Class, `${p}/Class`);
    const type = f.string(res.Type, `${p}/Type`);
    // k8s targets ("Deployment/x") are only unique within their namespace.
    const place = namespace ? `${namespace}/${target}` : target;
    f.array(res.Vulnerabilities, `${p}/Vulnerabilities`).forEach((v, j) => {
      ctx.scanners.add('vulnerabilities');
      const vp = `${p}/Vulnerabilities/${j}`;
      if (isObject(v)) ctx.findings.push(vulnerability(v, vp, place, cls, type, f));
      else f.bad(vp, 'a Trivy vulnerability object', v);
    });
    if ('Misconfigurations' in res || cls === 'config') ctx.scanners.add('misconfigurations');
    f.array(res.Misconfigurations, `${p}/Misconfigurations`).forEach((m, j) => {
      const mp = `${p}/Misconfigurations/${j}`;
      if (!isObject(m)) {
        f.bad(mp, 'a Trivy misconfiguration object', m);
        return;
      }
      // PASS entries appear only with --include-non-failures; they are not problems.
      const status = f.string(m.Status, `${mp}/Status`);
      if (status !== undefined && status.toUpperCase() !== 'FAIL') return;
      ctx.findings.push(misconfiguration(m, mp, place, f));
    });
    if ('Secrets' in res || cls === 'secret') ctx.scanners.add('secrets');
    f.array(res.Secrets, `${p}/Secrets`).forEach((s, j) => {
      const sp = `${p}/Secrets/${j}`;
      if (isObject(s)) ctx.findings.push(secret(s, sp, place, f));
      else f.bad(sp, 'a Trivy secret object', s);
    });
    // `--show-suppressed` (0.52+) lists what ignore files, Rego policies and VEX documents
    // suppressed: kept as suppressed findings, never dropped.
    for (const key of ['ExperimentalModifiedFindings', 'ModifiedFindings'] as const) {
      f.array(res[key], p, key).forEach((m, j) => {
        const finding = modifiedFinding(m, `${p}/${key}/${j}`, place, cls, type, f);
        if (finding) ctx.findings.push(finding);
      });
    }
  });
}

/**
 * How a modified finding's `Status` reads as a suppression: ignored (an ignore file or Rego
 * policy), `not_affected` and `fixed` (VEX) suppress; a VEX `under_investigation` is a pending
 * review and `affected` a refusal, which SARIF calls `underReview` and `rejected` (both keep the
 * finding open). `undefined`: a word Trivy does not document.
 */
const MODIFIED_STATUS: Readonly<Record<string, SuppressionStatus | 'accepted'>> = {
  ignored: 'accepted', not_affected: 'accepted', fixed: 'accepted', under_investigation: 'underReview', affected: 'rejected',
};

function modifiedFinding(m: unknown, mp: string, place: string, cls: string | undefined, type: string | undefined, f: FieldCheck): DraftFinding | undefined {
  if (!isObject(m) || !isObject(m.Finding)) {
    f.bad(isObject(m) ? `${mp}/Finding` : mp, 'a Trivy modified finding {Type, Status, Statement, Source, Finding}', isObject(m) ? m.Finding : m);
    return undefined;
  }
  const kind = f.string(m.Type, mp, 'Type')?.toLowerCase();
  const fp = `${mp}/Finding`;
  const finding = kind === 'vulnerability' ? vulnerability(m.Finding, fp, place, cls, type, f)
    : kind === 'misconfiguration' ? misconfiguration(m.Finding, fp, place, f)
      : kind === 'secret' ? secret(m.Finding, fp, place, f)
        : undefined;
  // License findings are not read from Results either.
  if (!finding) return undefined;
  const status = f.string(m.Status, mp, 'Status')?.trim().toLowerCase() ?? 'ignored';
  const mapped = Object.prototype.hasOwnProperty.call(MODIFIED_STATUS, status) ? MODIFIED_STATUS[status] : undefined;
  if (mapped === undefined) {
    f.bad(`${mp}/Status`, `one of: ${Object.keys(MODIFIED_STATUS).join(', ')} (the suppression was not applied)`, m.Status);
    return finding;
  }
  const source = f.string(m.Source, mp, 'Source')?.trim();
  const statement = f.string(m.Statement, mp, 'Statement')?.trim();
  const sup: Suppression = { kind: source && /vex|openvex|csaf|cyclonedx/i.test(source) ? 'vex' : 'trivy-ignore' };
  if (mapped !== 'accepted') sup.status = mapped;
  const why = [statement, source ? `(${source})` : ''].filter(Boolean).join(' ');
  if (why) sup.justification = why;
  finding.suppressions = [sup];
  return finding;
}

function severityOf(o: Obj, p: string, f: FieldCheck, vendor: boolean): { severity: Severity; rawSeverity?: string } {
  const word = f.severity(o.Severity, SEVERITY, `${p}/Severity`, 'Trivy');
  if (word.severity !== 'unknown') return word;
  if (vendor && isObject(o.VendorSeverity)) {
    const vs = o.VendorSeverity;
    const source = typeof o.SeveritySource === 'string' ? o.SeveritySource : undefined;
    const pick = (source !== undefined ? vs[source] : undefined) ?? vs.nvd ?? Object.values(vs).find((x) => typeof x === 'number');
    if (typeof pick === 'number' && Number.isInteger(pick) && pick >= 0 && pick < VENDOR_SEVERITY.length) {
      return { severity: VENDOR_SEVERITY[pick]!, rawSeverity: word.rawSeverity ?? `VendorSeverity ${pick}` };
    }
  }
  return word;
}

function refs(o: Obj, p: string, f: FieldCheck): string[] {
  const primary = f.string(o.PrimaryURL, `${p}/PrimaryURL`);
  return uniqSorted([primary, ...f.strings(o.References, `${p}/References`)]);
}

function vulnerability(v: Obj, p: string, target: string, cls: string | undefined, type: string | undefined, f: FieldCheck): DraftFinding {
  const id = f.id(v.VulnerabilityID, `${p}/VulnerabilityID`) ?? 'trivy/no-vulnerability-id';
  const ident = f.object(v.PkgIdentifier, `${p}/PkgIdentifier`);
  const purl = ident ? f.string(ident.PURL, `${p}/PkgIdentifier/PURL`) : undefined;
  const pkg: PackageRef = {
    name: f.id(v.PkgName, `${p}/PkgName`) ?? '(unknown package)',
    fixedVersions: splitVersions(f.string(v.FixedVersion, `${p}/FixedVersion`)),
  };
  const eco = ecosystemFromPurl(purl) ?? normalizeEcosystem(type);
  if (eco) pkg.ecosystem = eco;
  const version = f.string(v.InstalledVersion, `${p}/InstalledVersion`);
  if (version !== undefined) pkg.version = version;
  if (purl) pkg.purl = purl;
  const title = f.string(v.Title, `${p}/Title`);
  const description = f.string(v.Description, `${p}/Description`);
  const finding: DraftFinding = {
    tool: 'trivy',
    kind: 'dependency',
    ruleId: id,
    title: title?.trim() || id,
    message: description ?? title ?? id,
    ...severityOf(v, p, f, true),
    cwe: collectCwes(f.strings(v.CweIDs, `${p}/CweIDs`)),
    aliases: uniqSorted(f.strings(v.VendorIDs, `${p}/VendorIDs`).filter((a) => a !== id)),
    package: pkg,
    references: refs(v, p, f),
    pointer: p,
  };
  if (finding.rawSeverity === undefined) delete finding.rawSeverity;
  const cvss = trivyCvss(v, p, f);
  if (cvss.length) finding.cvss = cvss;
  const severitySource = f.string(v.SeveritySource, `${p}/SeveritySource`);
  if (severitySource) finding.severitySource = { kind: 'tool', name: `trivy:${severitySource}` };
  // Language packages are found in a lockfile or a binary: that file is where to fix them.
  // OS-package targets ("image (alpine 3.10)") are not paths.
  const where = f.string(v.PkgPath, `${p}/PkgPath`) ?? (cls === 'lang-pkgs' ? target : undefined);
  if (where) finding.location = pathLocation(where);
  return finding;
}

function misconfiguration(m: Obj, p: string, target: string, f: FieldCheck): DraftFinding {
  const id = f.id(m.ID, `${p}/ID`) ?? f.id(m.AVDID, `${p}/AVDID`) ?? 'trivy/no-misconfiguration-id';
  const avd = f.string(m.AVDID, `${p}/AVDID`);
  const title = f.string(m.Title, `${p}/Title`);
  const loc = pathLocation(target);
  const cause = f.object(m.CauseMetadata, `${p}/CauseMetadata`);
  if (cause) {
    const start = f.int(cause.StartLine, `${p}/CauseMetadata/StartLine`);
    const end = f.int(cause.EndLine, `${p}/CauseMetadata/EndLine`);
    if (start !== undefined) loc.startLine = start;
    if (end !== undefined) loc.endLine = end;
    const code = f.object(cause.Code, `${p}/CauseMetadata/Code`);
    const lines = code ? f.array(code.Lines, `${p}/CauseMetadata/Code/Lines`).filter(isObject) : [];
    const causeLines = lines.filter((l) => l.IsCause === true && typeof l.Content === 'string');
    if (causeLines.length > 0) loc.snippet = causeLines.map((l) => l.Content as string).join('\n');
    if (loc.startLine === undefined && typeof causeLines[0]?.Number === 'number' && causeLines[0].Number > 0) loc.startLine = causeLines[0].Number;
  }
  const finding: DraftFinding = {
    tool: 'trivy',
    kind: 'config',
    ruleId: id,
    title: title?.trim() || id,
    message: f.string(m.Message, `${p}/Message`) ?? f.string(m.Description, `${p}/Description`) ?? title ?? id,
    ...severityOf(m, p, f, false),
    cwe: [],
    aliases: avd && avd !== id ? [avd] : [],
    location: loc,
    references: refs(m, p, f),
    pointer: p,
  };
  if (finding.rawSeverity === undefined) delete finding.rawSeverity;
  return finding;
}

function secret(s: Obj, p: string, target: string, f: FieldCheck): DraftFinding {
  const id = f.id(s.RuleID, `${p}/RuleID`) ?? 'trivy/no-secret-rule-id';
  const title = f.string(s.Title, `${p}/Title`);
  const category = f.string(s.Category, `${p}/Category`);
  const loc = pathLocation(target);
  const start = f.int(s.StartLine, `${p}/StartLine`);
  const end = f.int(s.EndLine, `${p}/EndLine`);
  if (start !== undefined) loc.startLine = start;
  if (end !== undefined) loc.endLine = end;
  // Trivy already redacts Match with '*'; mask again so an unredacted Match from an older
  // version or a hand-made file never reaches a report.
  const match = f.string(s.Match, `${p}/Match`);
  if (match !== undefined && match.trim() !== '') loc.snippet = maskSecrets(match);
  const finding: DraftFinding = {
    tool: 'trivy',
    kind: 'secret',
    ruleId: id,
    title: title?.trim() || id,
    message: `${title ?? id}${category ? ` (${category})` : ''} found in ${loc.path}`,
    ...severityOf(s, p, f, false),
    cwe: [],
    aliases: [],
    location: loc,
    references: [],
    pointer: p,
  };
  if (finding.rawSeverity === undefined) delete finding.rawSeverity;
  return finding;
}
