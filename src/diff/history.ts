/**
 * The history of releases: consecutive reports matched with the diff's matcher, so new, fixed
 * and not-assessed mean exactly what they mean in `auditmark diff` (a tool that stopped running
 * leaves its findings not assessed, never fixed). First-seen dates are carried along the chain
 * of matches (and from each report's own `firstSeen`), which gives time to remediate and SLA
 * breaches per release. Pure; O(n) per pair of releases.
 */
import { createHash } from 'node:crypto';
import { addDays, daysBetween, isoDay, parseInstant } from '../model/dates.ts';
import { HISTORY_SCHEMA_VERSION, type HistoryRelease, type ReportHistory } from '../model/history.ts';
import { zeroCounts, type Report } from '../model/report.ts';
import type { Severity } from '../model/types.ts';
import { matchFindings } from './match.ts';

/** One release as given: the report and where it was read from. */
export interface HistoryInput {
  report: Report;
  file: string;
  sha256: string;
}

/** Options of {@link buildHistory}. */
export interface HistoryOptions {
  /** Creation time of the history document (the injected clock). */
  created: string;
  /** Deadlines per severity (policy.sla); empty: each report's own `sla` is used. */
  sla: Partial<Record<Severity, number>>;
  template?: { id: string; version: string };
  auditmarkVersion: string;
  /** Metadata that overrides the last report's (from the history's config). */
  metadata?: Partial<Pick<ReportHistory['metadata'], 'title' | 'project' | 'classification' | 'language' | 'license' | 'copyright' | 'author' | 'distributedBy' | 'repository'>>;
}

const day = (iso: string) => iso.slice(0, 10);

/** Order releases by creation time (oldest first); equal times keep the order given. */
export function orderReleases<T extends { report: Report }>(inputs: readonly T[]): T[] {
  return inputs.map((x, i) => ({ x, i })).sort((a, b) => (a.x.report.metadata.created < b.x.report.metadata.created ? -1 : a.x.report.metadata.created > b.x.report.metadata.created ? 1 : a.i - b.i)).map(({ x }) => x);
}

/** Build the history of `inputs` (already ordered oldest first, see {@link orderReleases}). */
export function buildHistory(inputs: readonly HistoryInput[], options: HistoryOptions): ReportHistory {
  const releases: HistoryRelease[] = [];
  let prevFirst: string[] = [];
  let fixedTotal = 0;
  let remediationDays = 0;
  for (let r = 0; r < inputs.length; r++) {
    const { report, file, sha256 } = inputs[r]!;
    const created = report.metadata.created;
    const today = day(created);
    const tools = [...new Set(report.runs.map((x) => x.tool))].sort();
    const first: string[] = report.findings.map((f) => {
      const own = f.firstSeen?.date ?? f.sla?.firstSeen;
      return own !== undefined && own < today ? own : today;
    });
    let added = report.findings.length;
    let fixed = 0;
    let notAssessed = 0;
    let toolsNotRun: string[] = [];
    let daysSum = 0;
    if (r > 0) {
      const prev = inputs[r - 1]!.report;
      const prevTools = new Set(prev.runs.map((x) => x.tool));
      toolsNotRun = [...prevTools].filter((t) => !tools.includes(t)).sort();
      const m = matchFindings(prev.findings, report.findings);
      for (const p of m.pairs) if (prevFirst[p.baseline]! < first[p.current]!) first[p.current] = prevFirst[p.baseline]!;
      added = m.unmatchedCurrent.length;
      const ran = new Set(tools);
      for (const b of m.unmatchedBaseline) {
        if (!ran.has(prev.findings[b]!.tool)) {
          notAssessed++;
          continue;
        }
        fixed++;
        daysSum += Math.max(0, daysBetween(parseInstant(prevFirst[b]!)!, parseInstant(today)!));
      }
    }
    const open = report.findings.filter((f) => f.status === 'open');
    const openBySeverity = zeroCounts();
    for (const f of open) openBySeverity[f.severity]++;
    const policy = Object.keys(options.sla).length > 0;
    let slaBreaches: number | null;
    if (policy) {
      slaBreaches = report.findings.reduce((n, f, i) => {
        const days = options.sla[f.severity];
        if (f.status !== 'open' || days === undefined) return n;
        const due = addDays(parseInstant(first[i]!)!, days);
        return daysBetween(due, parseInstant(created) ?? parseInstant(today)!) > 0 ? n + 1 : n;
      }, 0);
    } else {
      const withSla = report.findings.some((f) => f.sla);
      slaBreaches = withSla ? open.filter((f) => (f.sla?.overdueDays ?? 0) > 0).length : null;
    }
    const release: HistoryRelease = {
      index: r + 1,
      documentId: report.metadata.documentId,
      created,
      project: report.metadata.project,
      documentVersion: report.metadata.documentVersion,
      source: { path: file, sha256 },
      status: report.status.overall,
      tools,
      toolsNotRun,
      total: report.findings.length,
      open: open.length,
      openBySeverity,
      new: added,
      fixed,
      notAssessed,
      slaBreaches,
      kev: open.filter((f) => f.exploit?.kev).length,
    };
    if (report.metadata.appVersion !== undefined) release.appVersion = report.metadata.appVersion;
    if (fixed > 0) release.meanTimeToRemediateDays = Math.round((daysSum / fixed) * 10) / 10;
    fixedTotal += fixed;
    remediationDays += daysSum;
    releases.push(release);
    prevFirst = first;
  }
  const last = inputs.at(-1)?.report;
  const m = last?.metadata;
  const basis = inputs.map((i) => i.report.metadata.documentId).join('\n') + `\n${options.template ? `${options.template.id}@${options.template.version}` : ''}`;
  const metadata: ReportHistory['metadata'] = {
    title: options.metadata?.title ?? `Security history — ${options.metadata?.project ?? m?.project ?? 'project'}`,
    project: options.metadata?.project ?? m?.project ?? 'project',
    created: options.created,
    documentId: createHash('sha256').update(basis).digest('hex').slice(0, 16),
    classification: options.metadata?.classification ?? m?.classification ?? 'Internal',
    language: options.metadata?.language ?? m?.language ?? 'en',
    auditmarkVersion: options.auditmarkVersion,
  };
  for (const k of ['license', 'copyright', 'author', 'distributedBy', 'repository'] as const) {
    const v = options.metadata?.[k] ?? m?.[k];
    if (v !== undefined) metadata[k] = v;
  }
  if (options.template) metadata.template = { ...options.template };
  const summary: ReportHistory['summary'] = {
    releases: releases.length,
    first: releases[0]?.created ?? options.created,
    last: releases.at(-1)?.created ?? options.created,
    openNow: releases.at(-1)?.openBySeverity ?? zeroCounts(),
    fixedTotal,
    sla: { ...options.sla },
  };
  if (fixedTotal > 0) summary.meanTimeToRemediateDays = Math.round((remediationDays / fixedTotal) * 10) / 10;
  return { schemaVersion: HISTORY_SCHEMA_VERSION, kind: 'history', metadata, releases, summary };
}

/** `YYYY-MM-DD` day of a release, for labels. */
export function releaseDay(created: string): string {
  const t = parseInstant(created);
  return t === undefined ? day(created) : isoDay(t);
}
