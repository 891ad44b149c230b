import { createHash } from 'node:crypto';
import semver from 'semver';
import type { OwaspEdition, Settings } from '../model/config.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import { compareFindings } from '../model/order.ts';
import {
  REPORT_SCHEMA_VERSION, zeroCounts,
  type ChecklistItemResult, type InputRecord, type OverallStatus, type OwaspRow, type OwaspStatus, type Report,
  type ReportFinding, type RunSummary, type SeverityCounts, type WaiverResult,
} from '../model/report.ts';
import { SEVERITIES } from '../model/severity.ts';
import { isSuppressed } from '../model/suppression.ts';
import type { ScanRun, Severity } from '../model/types.ts';
import type { ChecklistDefinition, ChecklistState, EvidenceHash } from '../model/checklist.ts';
import { evaluateChecklist } from './checklist.ts';
import { addDays, daysBetween, isoDay, parseScanTime } from '../model/dates.ts';
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
  /** Current sha256 of each evidence file named in the state (`null`: missing; `{ unusable }`: refused, with why). */
  evidenceHashes?: Record<string, EvidenceHash>;
  git?: { commit: string; date: string };
  /** VEX, KEV, EPSS and OSV inputs, and first-seen dates from earlier reports. */
  risk?: RiskEnrichInput;
}

/** The Report model and the warnings produced while building it. */
export interface EnrichResult {
  report: Report;
  diagnostics: Diagnostic[];
}

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

function countBy(findings: readonly ReportFinding[]): SeverityCounts {
  const c = zeroCounts();
  for (const f of findings) c[f.severity]++;
  return c;
}

function describeCounts(c: SeverityCounts, only: readonly Severity[]): string {
  return SEVERITIES.filter((s) => only.includes(s) && c[s] > 0).map((s) => `${s}: ${c[s]}`).join(', ');
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

function runSummaries(runs: readonly ScanRun[], findings: readonly ReportFinding[], settings: Settings, nowMs: number): RunSummary[] {
  return runs.map((run, index) => {
    const own = findings.filter((f) => f.run === index);
    const warnings: string[] = [];
    const started = parseScanTime(run.startedAt);
    if (started === undefined) {
      warnings.push('no scan time recorded: the age of this evidence cannot be checked');
    } else {
      const age = daysBetween(started, nowMs);
      if (age > settings.policy.maxScanAgeDays) warnings.push(`scan is ${age} days old, older than policy.maxScanAgeDays (${settings.policy.maxScanAgeDays})`);
    }
    if (run.notScanned.length > 0) warnings.push(`${plural(run.notScanned.length, 'item')} not scanned (coverage gap)`);
    if (!run.coverage) warnings.push('the tool declares no coverage: it cannot make an OWASP category PASS');
    const summary: RunSummary = {
      tool: run.tool.name, format: run.format, source: { ...run.source }, notScanned: run.notScanned.map((n) => ({ ...n })),
      counts: countBy(own), total: own.length, warnings,
    };
    if (run.tool.version !== undefined) summary.version = run.tool.version;
    if (run.target !== undefined) summary.target = run.target;
    if (run.startedAt !== undefined) summary.startedAt = run.startedAt;
    return summary;
  });
}

function owaspRows(edition: OwaspEdition, runs: readonly ScanRun[], findings: readonly ReportFinding[], items: readonly ChecklistItemResult[], settings: Settings): OwaspRow[] {
  const toolCoverage = runs.map((r) => ({ tool: r.tool.name, reaches: coveredCategories(r.coverage, edition) }));
  return OWASP_DATA[edition].categories.map((cat): OwaspRow => {
    const mapped = findings.filter((f) => f.owasp.includes(cat.id));
    const open = mapped.filter((f) => f.status === 'open');
    const accepted = mapped.filter((f) => f.status === 'waived').length;
    const referencing = items.filter((i) => i.owasp.includes(cat.id));
    const tools = [...new Set(toolCoverage.filter((t) => t.reaches.has(cat.id)).map((t) => t.tool))].sort();
    const attested = referencing.filter((i) => i.basis === 'attested' && i.status === 'pass').map((i) => i.id);
    const coveredBy = [...tools, ...attested];
    let status: OwaspStatus;
    // A checklist item that failed, or whose pass the scans contradict, is evidence of a problem too.
    const failedItems = referencing.some((i) => i.status === 'fail' || i.status === 'contradicted');
    if (failedItems || open.some((f) => settings.policy.blockingSeverities.includes(f.severity))) status = 'FAIL';
    else if (open.length > 0 || accepted > 0) status = 'WARN';
    else if (coveredBy.length > 0) status = 'PASS';
    else status = 'NOT ASSESSED';
    return { id: cat.id, edition, name: cat.name, open: countBy(open), accepted, checklistItems: referencing.map((i) => i.id), coveredBy, status };
  });
}

function overall(
  findings: readonly ReportFinding[], runs: readonly RunSummary[], items: readonly ChecklistItemResult[], waivers: readonly WaiverResult[], settings: Settings,
): { overall: OverallStatus; reasons: string[] } {
  const { blockingSeverities, warningSeverities, maxScanAgeDays } = settings.policy;
  const open = findings.filter((f) => f.status === 'open');
  const blocking = open.filter((f) => blockingSeverities.includes(f.severity));
  const warning = open.filter((f) => !blockingSeverities.includes(f.severity) && warningSeverities.includes(f.severity));
  const unknown = open.filter((f) => f.severity === 'unknown' && !blockingSeverities.includes('unknown') && !warningSeverities.includes('unknown'));
  const byStatus = (s: ChecklistItemResult['status']) => items.filter((i) => i.status === s);
  const ids = (xs: ReadonlyArray<{ id: string }>) => xs.map((x) => x.id).join(', ');
  const stop: string[] = [];
  const cond: string[] = [];
  if (blocking.length > 0) stop.push(`${plural(blocking.length, 'open finding')} at a blocking severity (${describeCounts(countBy(blocking), blockingSeverities)}).`);
  const failed = byStatus('fail');
  if (failed.length > 0) stop.push(`${plural(failed.length, 'checklist item')} failed: ${ids(failed)}.`);
  const contradicted = byStatus('contradicted');
  if (contradicted.length > 0) stop.push(`${plural(contradicted.length, 'checklist item')} attested as passing ${contradicted.length === 1 ? 'is' : 'are'} contradicted by scan evidence: ${ids(contradicted)}.`);
  if (runs.length === 0) cond.push('No scan results were given: nothing was measured.');
  if (warning.length > 0) cond.push(`${plural(warning.length, 'open finding')} at a warning severity (${describeCounts(countBy(warning), warningSeverities)}).`);
  if (unknown.length > 0) cond.push(`${plural(unknown.length, 'open finding')} with no severity from the tool (unknown).`);
  for (const [status, label] of [['pending', 'pending (not attested or not assessed)'], ['stale', 'stale (attestation older than policy.maxEvidenceAgeDays)'], ['expired', 'expired']] as const) {
    const xs = byStatus(status);
    if (xs.length > 0) cond.push(`${plural(xs.length, 'checklist item')} ${label}: ${ids(xs)}.`);
  }
  const lapsed = waivers.filter((w) => w.state === 'expired');
  if (lapsed.length > 0) cond.push(`${plural(lapsed.length, 'waiver')} expired, ${lapsed.length === 1 ? 'its' : 'their'} findings count as open again: ${ids(lapsed)}.`);
  const gaps = runs.filter((r) => r.notScanned.length > 0);
  if (gaps.length > 0) cond.push(`${plural(gaps.length, 'scan run')} reported coverage gaps (${plural(gaps.reduce((n, r) => n + r.notScanned.length, 0), 'item')} not scanned).`);
  const old = runs.filter((r) => r.warnings.some((w) => w.startsWith('scan is ')));
  if (old.length > 0) cond.push(`${plural(old.length, 'scan run')} older than policy.maxScanAgeDays (${maxScanAgeDays} days): ${old.map((r) => r.tool).join(', ')}.`);
  if (stop.length > 0) return { overall: 'REMEDIATION REQUIRED', reasons: [...stop, ...cond] };
  if (cond.length > 0) return { overall: 'CONDITIONAL', reasons: cond };
  const waived = findings.filter((f) => f.status === 'waived').length;
  const suppressed = findings.filter((f) => f.status === 'suppressed').length;
  const below = open.length;
  const passing = items.filter((i) => i.status === 'pass').length;
  return {
    overall: 'VALIDATED',
    reasons: [
      `No open findings at a blocking or warning severity in ${plural(runs.length, 'scan run')} (${plural(findings.length, 'finding')}: ${waived} waived, ${suppressed} suppressed, ${below} open below the warning threshold).`,
      ...(items.length > 0 ? [`All ${plural(items.length, 'checklist item')} pass (${passing}).`] : []),
    ],
  };
}

function versionKey(v: string): semver.SemVer | null {
  return semver.parse(v, { loose: true }) ?? semver.coerce(v);
}

function compareVersions(a: string, b: string): number {
  const ka = versionKey(a), kb = versionKey(b);
  if (ka && kb) return semver.compare(ka, kb) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function dependencyRecommendations(findings: readonly ReportFinding[]): string[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    if (f.status !== 'open' || !f.package) continue;
    const key = `${f.package.ecosystem ?? ''}\u0000${f.package.name}\u0000${f.package.version ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: string[] = [];
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
    const fixed = fs.length - unfixed.length;
    const name = `${pkg.name}${current ? ` ${current}` : ''}`;
    if (targets.length > 0) {
      const target = targets.sort(compareVersions).at(-1)!;
      const rest = unfixed.length > 0 ? `; ${plural(unfixed.length, 'advisory', 'advisories')} without a fixed version: ${unfixed.map((f) => f.ruleId).join(', ')}` : '';
      out.push(`Upgrade ${name} → ${target} (fixes ${plural(fixed, 'advisory', 'advisories')}${rest}).`);
    } else {
      out.push(`Replace or mitigate ${name}: ${plural(unfixed.length, 'advisory', 'advisories')} with no fixed version (${unfixed.map((f) => f.ruleId).join(', ')}).`);
    }
  }
  return out;
}

function codeRecommendations(findings: readonly ReportFinding[], settings: Settings): string[] {
  const relevant = [...settings.policy.blockingSeverities, ...settings.policy.warningSeverities];
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    if (f.status !== 'open' || f.package || !relevant.includes(f.severity)) continue;
    const key = `${f.tool}\u0000${f.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .sort((a, b) => compareFindings(a[0]!, b[0]!))
    .map((fs) => {
      const f = fs[0]!;
      const paths = new Set(fs.map((x) => x.location?.path).filter((p): p is string => p !== undefined));
      const worst = SEVERITIES.find((s) => fs.some((x) => x.severity === s))!;
      return `Fix ${plural(fs.length, `open ${worst} finding`)} of ${f.tool} ${f.ruleId} (${f.title})${paths.size > 0 ? ` in ${plural(paths.size, 'file')}` : ''}.`;
    });
}

function checklistRecommendations(items: readonly ChecklistItemResult[]): string[] {
  const out: string[] = [];
  for (const i of items) {
    if (i.status === 'contradicted') out.push(`Resolve the ${plural(i.findings.length, 'finding')} contradicting checklist item ${i.id} (${i.title}), or withdraw its pass attestation.`);
    else if (i.status === 'fail') out.push(`Fix checklist item ${i.id} (${i.title}).`);
    else if (i.status === 'stale') out.push(`Re-attest checklist item ${i.id} (${i.reason.replace(/^.*\((stale since [^)]*)\)$/, '$1')}).`);
    else if (i.status === 'expired') out.push(`Re-attest checklist item ${i.id} (attestation expired after ${i.attestation?.expires ?? 'its expiry'}).`);
    else if (i.status === 'pending') {
      if (i.reason.startsWith('not assessed')) out.push(`Assess checklist item ${i.id} (${i.title}): ${i.reason}; run the tool or record an attestation.`);
      else if (i.reason.startsWith('attestation not accepted')) out.push(`Re-attest checklist item ${i.id}: ${i.reason.replace(/^attestation not accepted: /, '')}.`);
      else out.push(`Attest checklist item ${i.id} (${i.title}).`);
    }
  }
  return out;
}

function housekeeping(runs: readonly RunSummary[], waivers: readonly WaiverResult[]): string[] {
  const out: string[] = [];
  for (const w of waivers) {
    if (w.state === 'expired') out.push(`Renew or remove waiver ${w.id} (expired after ${w.expires}); until then its ${plural(w.matched, 'finding')} ${w.matched === 1 ? 'counts' : 'count'} as open.`);
    if (w.state === 'unmatched') out.push(`Remove or correct waiver ${w.id}: it matches no finding.`);
  }
  for (const r of runs) {
    const old = r.warnings.find((w) => w.startsWith('scan is '));
    if (old) out.push(`Re-run ${r.tool}: its ${old.replace(/, older than.*$/, '')} (policy.maxScanAgeDays).`);
    if (r.notScanned.length > 0) out.push(`Make ${r.tool} scan the ${plural(r.notScanned.length, 'item')} it could not scan (see its run section).`);
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

  const runSummary = runSummaries(runs, findings, settings, nowMs);
  const byTool: Record<string, number> = {};
  for (const f of findings) byTool[f.tool] = (byTool[f.tool] ?? 0) + 1;
  const open = findings.filter((f) => f.status === 'open');

  const rows = editions.flatMap((e) => owaspRows(e, runs, findings, items, settings));
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
  if (input.git) metadata.git = { ...input.git };

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
    recommendations: [...dependencyRecommendations(findings), ...codeRecommendations(findings, settings), ...checklistRecommendations(items), ...housekeeping(runSummary, applied.waivers)],
    nextScanDue: nextScanDue(runs, settings, nowMs),
    signOff: signOffBlock(settings.signOff, input.checklist?.state?.signOff),
    inputs: input.inputs.map((i) => ({ ...i })),
    risk: after.risk,
  };
  if (checklist) report.checklist = checklist;
  return { report, diagnostics };
}
