import { createHash } from 'node:crypto';
// The semver functions used, not the whole package (`semver` loads ~50 modules; a build's start-up counts them).
import coerce from 'semver/functions/coerce.js';
import compareSemver from 'semver/functions/compare.js';
import parseVersion from 'semver/functions/parse.js';
import type SemVer from 'semver/classes/semver.js';
import type { OwaspEdition, Settings } from '../model/config.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import { compareFindings } from '../model/order.ts';
import type { GitUnrecorded, Recommendation, RunWarning, StatusReason } from '../model/reasons.ts';
import {
  REPORT_SCHEMA_VERSION, zeroCounts,
  type ChecklistItemResult, type GitProvenance, type InputRecord, type OverallStatus, type OwaspAttestationEvidence, type OwaspCoverage, type OwaspRow,
  type OwaspScanEvidence, type OwaspStatus, type Report, type ReportFinding, type RunSummary, type SeverityCounts, type WaiverResult,
} from '../model/report.ts';
import { SEVERITIES } from '../model/severity.ts';
import { isSuppressed } from '../model/suppression.ts';
import type { ScanRun, Severity } from '../model/types.ts';
import type { ChecklistDefinition, ChecklistState, EvidenceHash } from '../model/checklist.ts';
import { evaluateChecklist } from './checklist.ts';
import { addDays, isoDay, parseScanTime } from '../model/dates.ts';
import { evidenceStrength, runEvidence, type RunEvidence } from './run-evidence.ts';
import { OWASP_DATA, SECRET_CWE, coveredCategories, owaspFor } from './owasp.ts';
import { signOffBlock } from './sign-off.ts';
import { applyWaivers } from './waivers.ts';
import { riskAfterWaivers, riskBeforeWaivers, type RiskEnrichInput } from './risk.ts';

/** Everything {@link enrich} needs. All data: the CLI reads files, hashes evidence and reads the clock. */
export interface EnrichInput {
  runs: ScanRun[];
  settings: Settings;
  /** The injected clock (SOURCE_DATE_EPOCH in the CLI). */
  now: Date;
  inputs: InputRecord[];
  template: { id: string; version: string };
  auditmarkVersion: string;
  /** Checklist definition and/or state file (the state also carries the waivers). */
  checklist?: { definition?: ChecklistDefinition; state?: ChecklistState; /** state file path, for diagnostics */ file?: string };
  /** Current sha256 of each evidence file named in the state, or why it is unusable. */
  evidenceHashes?: ReadonlyMap<string, EvidenceHash>;
  /** Git facts of the scanned sources, or why there are none (absent: not collected). */
  git?: GitProvenance | GitUnrecorded;
  /** VEX, KEV, EPSS and OSV inputs, and first-seen dates from earlier reports. */
  risk?: RiskEnrichInput;
}

/** The Report model and the warnings produced while building it. */
export interface EnrichResult {
  report: Report;
  diagnostics: Diagnostic[];
}

function countBy(findings: readonly ReportFinding[]): SeverityCounts {
  const c = zeroCounts();
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Counts of only the given severities (the others zero): what a reason about those severities shows. */
function countOnly(findings: readonly ReportFinding[], only: readonly Severity[]): SeverityCounts {
  const c = countBy(findings);
  for (const s of SEVERITIES) if (!only.includes(s)) c[s] = 0;
  return c;
}

/** Scan findings → report findings with CWE-798 for bare secrets, OWASP ids and source status. */
function toReportFindings(runs: readonly ScanRun[], editions: readonly OwaspEdition[]): ReportFinding[] {
  const out: ReportFinding[] = [];
  runs.forEach((run, index) => {
    for (const f of run.findings) {
      const rf: ReportFinding = { ...f, owasp: [], status: isSuppressed(f.suppressions) ? 'suppressed' : 'open', run: index };
      if (f.kind === 'secret' && f.cwe.length === 0) {
        // Secret scanners rarely name a CWE; every hard-coded secret is CWE-798 by definition.
        rf.cwe = [SECRET_CWE];
        rf.cweInferred = true;
      }
      rf.owasp = owaspFor(rf, editions);
      out.push(rf);
    }
  });
  return out.sort((a, b) => compareFindings(a, b) || a.run - b.run);
}

function runSummaries(runs: readonly ScanRun[], evidence: readonly RunEvidence[], findings: readonly ReportFinding[], settings: Settings): RunSummary[] {
  return runs.map((run, index) => {
    const own = findings.filter((f) => f.run === index);
    const e = evidence[index]!;
    const warnings: RunWarning[] = [];
    if (e.freshness === 'undated') warnings.push({ code: 'scan-undated', args: {} });
    if (e.freshness === 'stale') warnings.push({ code: 'scan-stale', args: { ageDays: e.ageDays!, maxScanAgeDays: settings.policy.maxScanAgeDays } });
    if (e.notScanned > 0) warnings.push({ code: 'scan-partial', args: { notScanned: e.notScanned } });
    if (!run.coverage) warnings.push({ code: 'no-coverage-declared', args: {} });
    const summary: RunSummary = {
      tool: run.tool.name, format: run.format, source: { ...run.source }, notScanned: run.notScanned.map((n) => ({ ...n })),
      counts: countBy(own), total: own.length, freshness: e.freshness, warnings,
    };
    if (e.ageDays !== undefined) summary.ageDays = e.ageDays;
    if (run.tool.version !== undefined) summary.version = run.tool.version;
    if (run.target !== undefined) summary.target = run.target;
    if (run.startedAt !== undefined) summary.startedAt = run.startedAt;
    return summary;
  });
}

/**
 * One edition's OWASP rows. Findings decide FAIL / WARN; without findings the evidence decides:
 * a fresh, complete covering run gives PASS (`scanned`), an accepted pass attestation PASS
 * (`attested`), runs that skipped files or are too old only WARN (`partial` / `stale`), an
 * attested not-applicable item N/A, and nothing NOT ASSESSED.
 */
function owaspRows(edition: OwaspEdition, runs: readonly ScanRun[], evidence: readonly RunEvidence[], findings: readonly ReportFinding[], items: readonly ChecklistItemResult[], settings: Settings): OwaspRow[] {
  const reaches = runs.map((r) => coveredCategories(r.coverage, edition));
  return OWASP_DATA[edition].categories.map((cat): OwaspRow => {
    const mapped = findings.filter((f) => f.owasp.includes(cat.id));
    const open = mapped.filter((f) => f.status === 'open');
    const accepted = mapped.filter((f) => f.status === 'waived').length;
    const referencing = items.filter((i) => i.owasp.includes(cat.id));
    const covering = runs.flatMap((_, i) => (reaches[i]!.has(cat.id) ? [i] : []));
    const scans: OwaspScanEvidence[] = covering.map((i) => {
      const e = evidence[i]!;
      const s: OwaspScanEvidence = { run: i, tool: runs[i]!.tool.name, freshness: e.freshness, notScanned: e.notScanned };
      if (e.ageDays !== undefined) s.ageDays = e.ageDays;
      return s;
    });
    const attestations: OwaspAttestationEvidence[] = referencing
      .filter((i) => i.basis === 'attested' && (i.status === 'pass' || i.status === 'not-applicable') && i.attestation)
      .map((i) => ({ item: i.id, status: i.status as 'pass' | 'not-applicable', by: i.attestation!.by, at: i.attestation!.at }));
    const strength = evidenceStrength(covering.map((i) => evidence[i]!));
    let coverage: OwaspCoverage;
    if (strength === 'confirmed') coverage = 'scanned';
    else if (attestations.some((a) => a.status === 'pass')) coverage = 'attested';
    else if (strength === 'partial' || strength === 'stale') coverage = strength;
    else if (attestations.length > 0) coverage = 'not-applicable';
    else coverage = 'none';
    const tools = [...new Set(covering.map((i) => runs[i]!.tool.name))].sort();
    const coveredBy = [...tools, ...attestations.filter((a) => a.status === 'pass').map((a) => a.item)];
    // A checklist item that failed, or whose pass the scans contradict, is evidence of a problem too.
    const failedItems = referencing.some((i) => i.status === 'fail' || i.status === 'contradicted');
    let status: OwaspStatus;
    if (failedItems || open.some((f) => settings.policy.blockingSeverities.includes(f.severity))) status = 'FAIL';
    else if (open.length > 0 || accepted > 0) status = 'WARN';
    else if (coverage === 'scanned' || coverage === 'attested') status = 'PASS';
    else if (coverage === 'partial' || coverage === 'stale') status = 'WARN';
    else if (coverage === 'not-applicable') status = 'N/A';
    else status = 'NOT ASSESSED';
    return {
      id: cat.id, edition, name: cat.name, open: countBy(open), accepted, checklistItems: referencing.map((i) => i.id), coveredBy, status, coverage, scans, attestations,
    };
  });
}

function overall(
  findings: readonly ReportFinding[], runs: readonly RunSummary[], items: readonly ChecklistItemResult[], waivers: readonly WaiverResult[], settings: Settings,
): { overall: OverallStatus; reasons: StatusReason[] } {
  const { blockingSeverities, warningSeverities, maxScanAgeDays } = settings.policy;
  const open = findings.filter((f) => f.status === 'open');
  const blocking = open.filter((f) => blockingSeverities.includes(f.severity));
  const warning = open.filter((f) => !blockingSeverities.includes(f.severity) && warningSeverities.includes(f.severity));
  const unknown = open.filter((f) => f.severity === 'unknown' && !blockingSeverities.includes('unknown') && !warningSeverities.includes('unknown'));
  const ids = (s: ChecklistItemResult['status']) => items.filter((i) => i.status === s).map((i) => i.id);
  const stop: StatusReason[] = [];
  const cond: StatusReason[] = [];
  if (blocking.length > 0) stop.push({ code: 'findings-blocking', args: { count: blocking.length, bySeverity: countOnly(blocking, blockingSeverities) } });
  const failed = ids('fail');
  if (failed.length > 0) stop.push({ code: 'checklist-failed', args: { items: failed } });
  const contradicted = ids('contradicted');
  if (contradicted.length > 0) stop.push({ code: 'checklist-contradicted', args: { items: contradicted } });
  if (runs.length === 0) cond.push({ code: 'no-scans', args: {} });
  if (warning.length > 0) cond.push({ code: 'findings-warning', args: { count: warning.length, bySeverity: countOnly(warning, warningSeverities) } });
  if (unknown.length > 0) cond.push({ code: 'findings-unknown-severity', args: { count: unknown.length } });
  for (const [status, code] of [['pending', 'checklist-pending'], ['stale', 'checklist-stale'], ['partial', 'checklist-partial'], ['expired', 'checklist-expired']] as const) {
    const xs = ids(status);
    if (xs.length > 0) cond.push({ code, args: { items: xs } });
  }
  const lapsed = waivers.filter((w) => w.state === 'expired').map((w) => w.id);
  if (lapsed.length > 0) cond.push({ code: 'waivers-expired', args: { waivers: lapsed } });
  const gaps = runs.filter((r) => r.notScanned.length > 0);
  if (gaps.length > 0) {
    cond.push({ code: 'runs-partial', args: { runs: gaps.length, notScanned: gaps.reduce((n, r) => n + r.notScanned.length, 0), tools: [...new Set(gaps.map((r) => r.tool))] } });
  }
  const old = runs.filter((r) => r.freshness === 'stale');
  if (old.length > 0) cond.push({ code: 'runs-stale', args: { tools: old.map((r) => r.tool), maxScanAgeDays } });
  if (stop.length > 0) return { overall: 'REMEDIATION REQUIRED', reasons: [...stop, ...cond] };
  if (cond.length > 0) return { overall: 'CONDITIONAL', reasons: cond };
  const reasons: StatusReason[] = [{
    code: 'validated',
    args: {
      runs: runs.length, findings: findings.length, waived: findings.filter((f) => f.status === 'waived').length,
      suppressed: findings.filter((f) => f.status === 'suppressed').length, openBelowThreshold: open.length,
    },
  }];
  if (items.length > 0) reasons.push({ code: 'checklist-complete', args: { items: items.length, pass: ids('pass').length, notApplicable: ids('not-applicable').length } });
  return { overall: 'VALIDATED', reasons };
}

function versionKey(v: string): SemVer | null {
  return parseVersion(v, { loose: true }) ?? coerce(v);
}

function compareVersions(a: string, b: string): number {
  const ka = versionKey(a), kb = versionKey(b);
  if (ka && kb) return compareSemver(ka, kb) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function dependencyRecommendations(findings: readonly ReportFinding[]): Recommendation[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    if (f.status !== 'open' || !f.package) continue;
    const key = `${f.package.ecosystem ?? ''}\u0000${f.package.name}\u0000${f.package.version ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Recommendation[] = [];
  for (const key of [...groups.keys()].sort()) {
    const fs = groups.get(key)!;
    const pkg = fs[0]!.package!;
    const current = pkg.version;
    const targets: string[] = [];
    const unfixed: ReportFinding[] = [];
    for (const f of fs) {
      const candidates = [...f.package!.fixedVersions].sort(compareVersions).filter((v) => current === undefined || compareVersions(v, current) > 0);
      if (candidates[0] === undefined) unfixed.push(f);
      else targets.push(candidates[0]);
    }
    const version = current !== undefined ? { version: current } : {};
    if (targets.length > 0) {
      const target = targets.sort(compareVersions).at(-1)!;
      out.push({ code: 'upgrade-package', args: { package: pkg.name, ...version, target, fixes: fs.length - unfixed.length, unfixed: unfixed.map((f) => f.ruleId) } });
    } else {
      out.push({ code: 'mitigate-package', args: { package: pkg.name, ...version, advisories: unfixed.map((f) => f.ruleId) } });
    }
  }
  return out;
}

function codeRecommendations(findings: readonly ReportFinding[], settings: Settings): Recommendation[] {
  const relevant = [...settings.policy.blockingSeverities, ...settings.policy.warningSeverities];
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    if (f.status !== 'open' || f.package || !relevant.includes(f.severity)) continue;
    const key = `${f.tool}\u0000${f.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .sort((a, b) => compareFindings(a[0]!, b[0]!))
    .map((fs): Recommendation => {
      const f = fs[0]!;
      const files = new Set(fs.map((x) => x.location?.path).filter((p): p is string => p !== undefined)).size;
      const severity = SEVERITIES.find((s) => fs.some((x) => x.severity === s))!;
      return { code: 'fix-rule', args: { tool: f.tool, ruleId: f.ruleId, title: f.title, severity, count: fs.length, files } };
    });
}

function checklistRecommendations(items: readonly ChecklistItemResult[]): Recommendation[] {
  const out: Recommendation[] = [];
  for (const i of items) {
    const r = i.reason;
    const item = { item: i.id, title: i.title };
    if (r.code === 'contradicted-by-rule' || r.code === 'contradicted-by-findings') out.push({ code: 'resolve-contradiction', args: { ...item, findings: i.findings.length } });
    else if (i.status === 'fail') out.push({ code: 'fix-item', args: item });
    else if (r.code === 'attestation-stale') out.push({ code: 'reattest-stale', args: { item: i.id, staleSince: r.args.staleSince } });
    else if (r.code === 'attestation-expired') out.push({ code: 'reattest-expired', args: { item: i.id, expires: r.args.expires } });
    else if (r.code === 'evidence-not-accepted') out.push({ code: 'reattest-evidence', args: { item: i.id, file: r.args.file, problem: r.args.problem } });
    else if (r.code === 'rule-not-assessed') out.push({ code: 'assess-item', args: { ...item, tools: r.args.tools } });
    else if (r.code === 'no-attestation') out.push({ code: 'attest-item', args: item });
    // rule-pass-stale / rule-pass-partial: the re-run of the scan is recommended once per run below.
  }
  return out;
}

function housekeeping(runs: readonly RunSummary[], waivers: readonly WaiverResult[], settings: Settings): Recommendation[] {
  const out: Recommendation[] = [];
  for (const w of waivers) {
    if (w.state === 'expired' && w.expires !== undefined) out.push({ code: 'renew-waiver', args: { waiver: w.id, expires: w.expires, matched: w.matched } });
    if (w.state === 'unmatched') out.push({ code: 'remove-waiver', args: { waiver: w.id } });
  }
  for (const r of runs) {
    if (r.freshness === 'stale') out.push({ code: 'rerun-stale-scan', args: { tool: r.tool, ageDays: r.ageDays!, maxScanAgeDays: settings.policy.maxScanAgeDays } });
    if (r.notScanned.length > 0) out.push({ code: 'rescan-skipped', args: { tool: r.tool, notScanned: r.notScanned.length } });
  }
  return out;
}

function nextScanDue(runs: readonly ScanRun[], settings: Settings, nowMs: number): string {
  const times = runs.map((r) => parseScanTime(r.startedAt)).filter((t): t is number => t !== undefined);
  const base = times.length > 0 ? Math.max(...times) : nowMs;
  return isoDay(addDays(base, settings.policy.scanCadenceDays));
}

/** Stable id of the document: the input hashes (sorted) plus template id@version, hashed. */
export function documentId(inputs: readonly InputRecord[], template: { id: string; version: string }): string {
  const basis = [...inputs.map((i) => `${i.kind}:${i.sha256}`)].sort().join('\n') + `\n${template.id}@${template.version}`;
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/**
 * Build the Report model from normalised runs, settings and checklist state. Pure: no fs, no
 * clock (`now` is injected), no environment. Every status is computed from the evidence given;
 * the policy is documented in docs/enrich.md.
 */
export function enrich(input: EnrichInput): EnrichResult {
  const { runs, settings, now } = input;
  const nowMs = now.getTime();
  const diagnostics: Diagnostic[] = [];
  const editions = [...settings.owasp].sort() as OwaspEdition[];

  const before = riskBeforeWaivers(toReportFindings(runs, editions), runs, input.risk);
  const applied = applyWaivers(before.findings, input.checklist?.state?.waivers ?? [], now, input.checklist?.file);
  const after = riskAfterWaivers(applied.findings, runs, input.risk, before.carry, settings, now);
  diagnostics.push(...before.diagnostics, ...applied.diagnostics);
  const findings = after.findings;

  let checklist: Report['checklist'];
  let items: ChecklistItemResult[] = [];
  if (input.checklist?.definition) {
    const def = input.checklist.definition;
    const evaluation = evaluateChecklist(def, input.checklist.state, findings, runs, settings, now, input.evidenceHashes, input.checklist.file);
    diagnostics.push(...evaluation.diagnostics);
    items = evaluation.items;
    checklist = { id: def.id, version: def.version, items };
  }

  const evidence = runs.map((r) => runEvidence(r, settings.policy.maxScanAgeDays, nowMs));
  const runSummary = runSummaries(runs, evidence, findings, settings);
  const byTool: Record<string, number> = {};
  for (const f of findings) byTool[f.tool] = (byTool[f.tool] ?? 0) + 1;
  const open = findings.filter((f) => f.status === 'open');

  const rows = editions.flatMap((e) => owaspRows(e, runs, evidence, findings, items, settings));
  const status = overall(findings, runSummary, items, applied.waivers, settings);

  const metadata: Report['metadata'] = {
    title: settings.document.title,
    purpose: settings.document.purpose,
    description: settings.document.description,
    project: settings.project,
    documentVersion: settings.document.version,
    documentStatus: settings.document.status,
    classification: settings.classification,
    language: settings.language,
    created: now.toISOString(),
    template: { ...input.template },
    auditmarkVersion: input.auditmarkVersion,
    documentId: documentId(input.inputs, input.template),
  };
  if (settings.repository !== undefined) metadata.repository = settings.repository;
  if (settings.version !== undefined) metadata.appVersion = settings.version;
  if (settings.distributedBy !== undefined) metadata.distributedBy = settings.distributedBy;
  if (settings.author !== undefined) metadata.author = settings.author;
  if (settings.license !== undefined) metadata.license = settings.license;
  if (settings.copyright) metadata.copyright = `Copyright (c) ${settings.copyright.years ? `${settings.copyright.years} ` : ''}${settings.copyright.holder}`;
  const git = input.git ?? { code: 'not-collected', args: {} };
  if ('commit' in git) metadata.git = { ...git, changed: { count: git.changed.count, paths: [...git.changed.paths] } };
  else metadata.gitUnrecorded = git;

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    metadata,
    status,
    runs: runSummary,
    findings,
    summary: {
      total: findings.length,
      open: open.length,
      waived: findings.filter((f) => f.status === 'waived').length,
      suppressed: findings.filter((f) => f.status === 'suppressed').length,
      notAffected: findings.filter((f) => f.status === 'not_affected').length,
      bySeverity: countBy(findings),
      openBySeverity: countBy(open),
      byTool: Object.fromEntries(Object.entries(byTool).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
    owasp: {
      editions,
      rows,
      unmapped: findings.filter((f) => f.owasp.length === 0).map((f) => f.fingerprint),
      data: editions.map((e) => ({
        edition: e,
        source: `${OWASP_DATA[e].title}, ${OWASP_DATA[e].source.repository} ("${OWASP_DATA[e].source.section}" of each category page, retrieved ${OWASP_DATA[e].source.retrieved}), © OWASP Foundation; shipped as data/owasp/top10-${e}.json`,
        license: OWASP_DATA[e].license,
      })),
    },
    waivers: applied.waivers,
    recommendations: [...dependencyRecommendations(findings), ...codeRecommendations(findings, settings), ...checklistRecommendations(items), ...housekeeping(runSummary, applied.waivers, settings)],
    nextScanDue: nextScanDue(runs, settings, nowMs),
    signOff: signOffBlock(settings.signOff, input.checklist?.state?.signOff),
    inputs: input.inputs.map((i) => ({ ...i })),
    risk: after.risk,
  };
  if (checklist) report.checklist = checklist;
  return { report, diagnostics };
}
