/**
 * `history.json`: how a project's security evidence changed over its releases
 * (`schemas/history.schema.json`). One entry per release (a report.json), oldest first.
 */
import type { DerivedDocumentMetadata } from './diff.ts';
import type { OverallStatus, SeverityCounts } from './report.ts';
import type { Severity } from './types.ts';

/** Version of `history.json`. */
export const HISTORY_SCHEMA_VERSION = '1.0' as const;

/** One release of the history. */
export interface HistoryRelease {
  /** 1-based position, oldest first. */
  index: number;
  documentId: string;
  /** The report's creation time (ISO-8601 UTC). */
  created: string;
  project: string;
  appVersion?: string;
  documentVersion: string;
  /** The report.json it was read from. */
  source: { path: string; sha256: string };
  status: OverallStatus;
  /** Tools that ran, sorted. */
  tools: string[];
  /** Tools of the previous release that did not run in this one: their findings are not assessed, never fixed. */
  toolsNotRun: string[];
  total: number;
  open: number;
  openBySeverity: SeverityCounts;
  /** Findings not in the previous release (every finding of the first release). */
  new: number;
  /** Previous findings gone while their tool ran again. */
  fixed: number;
  /** Previous findings of tools that did not run in this release. */
  notAssessed: number;
  /** Open findings past their SLA due date at this release's creation; `null` without a policy.sla and no deadline in the report. */
  slaBreaches: number | null;
  /** Open findings in the CISA KEV catalog, as the report recorded them. */
  kev: number;
  /** Mean whole days from first seen to this release over the findings fixed in it; absent when none was fixed. */
  meanTimeToRemediateDays?: number;
}

/** The history document. */
export interface ReportHistory {
  schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  kind: 'history';
  metadata: DerivedDocumentMetadata;
  releases: HistoryRelease[];
  summary: {
    releases: number;
    first: string;
    last: string;
    /** Open findings of the last release by severity. */
    openNow: SeverityCounts;
    fixedTotal: number;
    /** Mean days to remediate over every fixed finding of the series. */
    meanTimeToRemediateDays?: number;
    /** The deadlines SLA breaches were measured against (the history's own policy.sla). */
    sla: Partial<Record<Severity, number>>;
  };
}

/** A release's label: its application version, else its creation day, at most 18 characters. */
export function releaseLabel(r: Pick<HistoryRelease, 'appVersion' | 'created'>): string {
  const label = r.appVersion ?? r.created.slice(0, 10);
  return label.length > 18 ? `${label.slice(0, 17)}…` : label;
}
