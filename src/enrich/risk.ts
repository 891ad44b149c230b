/**
 * The risk context of a report, in two steps around waivers:
 *
 * 1. {@link riskBeforeWaivers}: the tools' CVSS vectors are scored, OSV advisories fill CVSS
 *    and unknown severities, then VEX
 *    statements set `vex` and the `not_affected` status (a waiver is not needed, and not
 *    applied, where the product is not affected).
 * 2. {@link riskAfterWaivers}: KEV and EPSS lookups, first-seen days, SLA deadlines for what is
 *    still open, the fix-first order, and `report.risk`.
 *
 * Pure; the inputs were parsed by `src/ingest/risk/` and matched across reports by the plan.
 */
import type { Settings } from '../model/config.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { InputRecord, ReportFinding } from '../model/report.ts';
import type { ReportRisk, RiskInputs, SnapshotRecord, VexDocumentRecord, VexUnmatched } from '../model/risk.ts';
import type { ScanRun } from '../model/types.ts';
import { applyExploitability, fillFromAdvisories, scoreToolRatings } from './exploitability.ts';
import { fixFirst } from './fix-first.ts';
import { applySla, firstSeenDays, type FirstSeen } from './sla.ts';
import { applyVex } from './vex.ts';

/** What the plan gives enrich for risk: parsed snapshots and VEX, and first-seen dates from earlier reports. */
export interface RiskEnrichInput {
  inputs?: RiskInputs;
  /** For each finding, where an earlier report (baseline, history) saw it first. Injected: matching reports is the diff stage's job. */
  firstSeen?: (findings: readonly ReportFinding[]) => ReadonlyArray<FirstSeen | undefined>;
}

/** State carried from the first step to the second. */
export interface RiskCarry {
  advisoryIds: string[][];
  vex: { documents: VexDocumentRecord[]; unmatched: VexUnmatched[]; contradicted: string[] };
}

/** Step 1: advisories and VEX. */
export function riskBeforeWaivers(findings: readonly ReportFinding[], runs: readonly ScanRun[], risk: RiskEnrichInput | undefined): { findings: ReportFinding[]; carry: RiskCarry; diagnostics: Diagnostic[] } {
  const rated = scoreToolRatings(findings, runs);
  const filled = fillFromAdvisories(rated.findings, risk?.inputs?.osv ?? []);
  const vex = applyVex(filled.findings, risk?.inputs?.vex ?? [], runs.map((r) => r.target), filled.advisoryIds);
  return {
    findings: vex.findings,
    carry: { advisoryIds: filled.advisoryIds, vex: { documents: vex.documents, unmatched: vex.unmatched, contradicted: vex.contradicted } },
    diagnostics: [...rated.diagnostics, ...filled.diagnostics, ...vex.diagnostics],
  };
}

/** The input records of the risk inputs, snapshots with their own dates. */
export function riskInputRecords(inputs: RiskInputs | undefined): InputRecord[] {
  if (!inputs) return [];
  return [
    ...inputs.vex.map((d) => ({ path: d.file, sha256: d.sha256, kind: 'vex' as const })),
    ...(inputs.kev ? [{ path: inputs.kev.file, sha256: inputs.kev.sha256, kind: 'kev' as const, ...(inputs.kev.date ? { date: inputs.kev.date } : {}) }] : []),
    ...(inputs.epss ? [{ path: inputs.epss.file, sha256: inputs.epss.sha256, kind: 'epss' as const, date: inputs.epss.date }] : []),
    ...inputs.osv.map((o) => ({ path: o.file, sha256: o.sha256, kind: 'osv' as const, ...(o.date ? { date: o.date } : {}) })),
  ];
}

function snapshots(inputs: RiskInputs | undefined): SnapshotRecord[] {
  if (!inputs) return [];
  const out: SnapshotRecord[] = [];
  if (inputs.kev) out.push({ kind: 'kev', file: inputs.kev.file, sha256: inputs.kev.sha256, ...(inputs.kev.date ? { date: inputs.kev.date } : {}), ...(inputs.kev.catalogVersion ? { version: inputs.kev.catalogVersion } : {}), entries: inputs.kev.entries.size });
  if (inputs.epss) out.push({ kind: 'epss', file: inputs.epss.file, sha256: inputs.epss.sha256, date: inputs.epss.date, ...(inputs.epss.model ? { version: inputs.epss.model } : {}), entries: inputs.epss.scores.size });
  for (const o of inputs.osv) out.push({ kind: 'osv', file: o.file, sha256: o.sha256, ...(o.date ? { date: o.date } : {}), entries: o.count });
  return out;
}

/** Step 2: exploitability, deadlines, order, and the report's risk section. */
export function riskAfterWaivers(
  findings: readonly ReportFinding[], runs: readonly ScanRun[], risk: RiskEnrichInput | undefined, carry: RiskCarry, settings: Settings, now: Date,
): { findings: ReportFinding[]; risk: ReportRisk } {
  const exploited = applyExploitability(findings, carry.advisoryIds, risk?.inputs?.kev, risk?.inputs?.epss);
  const earlier = risk?.firstSeen ? risk.firstSeen(exploited) : [];
  const first = firstSeenDays(exploited, earlier, runs.map((r) => r.startedAt), now);
  const sla = settings.policy.sla;
  const seen = exploited.map((f, i) => ({ ...f, firstSeen: { ...first[i]! } }));
  const timed = applySla(seen, sla, first, now);
  const out = timed.findings;
  const open = out.filter((f) => f.status === 'open');
  return {
    findings: out,
    risk: {
      snapshots: snapshots(risk?.inputs),
      vex: carry.vex,
      fixFirst: fixFirst(out, first.map((x) => x.date), now),
      overdue: timed.overdue,
      sla: { ...sla },
      counts: {
        kev: open.filter((f) => f.exploit?.kev).length,
        epss: out.filter((f) => f.exploit?.epss).length,
        cvss: out.filter((f) => f.cvssScores?.length).length,
        notAffected: out.filter((f) => f.status === 'not_affected').length,
        severityFromAdvisory: out.filter((f) => f.severitySource?.kind === 'advisory').length,
        withDueDate: open.filter((f) => f.sla).length,
        overdue: timed.overdue.length,
      },
    },
  };
}
