import type { ChecklistStatus, OverallStatus, OwaspCoverage, OwaspStatus, ReportFinding, SeverityCounts } from './report.ts';
import type { VexStatus } from './risk.ts';
import type { Severity } from './types.ts';

/**
 * The facts of a document derived from reports (a diff, a history): its own id, date and title,
 * with the project facts of the reports it is made from.
 */
export interface DerivedDocumentMetadata {
  title: string;
  project: string;
  created: string;
  documentId: string;
  classification: string;
  language: string;
  license?: string;
  copyright?: string;
  author?: string;
  distributedBy?: string;
  repository?: string;
  template?: { id: string; version: string };
  auditmarkVersion: string;
}

/** Version of `diff.json` (`schemas/diff.schema.json`). */
export const DIFF_SCHEMA_VERSION = '1.0' as const;

/** State of a finding between two reports; the same words as SARIF's `baselineState`. */
export type DiffState = 'new' | 'absent' | 'unchanged' | 'updated';

/**
 * How a baseline finding was paired with a current one, strongest first. Recorded on every match
 * so a reviewer can see which pairs rest on weaker evidence.
 */
export type MatchStrategy = 'fingerprint' | 'fingerprint-recomputed' | 'relocated' | 'similar-snippet' | 'rule-path';

/** One side of a diff: which document it came from. */
export interface DiffSide {
  project: string;
  appVersion?: string;
  documentVersion: string;
  created: string;
  documentId: string;
  status: OverallStatus;
  /** Tools that ran on this side (from the report's runs), sorted. */
  tools: string[];
  /** Number of findings on this side. */
  findings: number;
}

/** The few fields of a finding a diff keeps: enough to show and explain it, not the whole record. */
export interface FindingSnapshot
  extends Pick<ReportFinding, 'fingerprint' | 'tool' | 'kind' | 'ruleId' | 'title' | 'message' | 'severity' | 'status' | 'cwe' | 'owasp'> {
  path?: string;
  startLine?: number;
  package?: { name: string; version?: string; ecosystem?: string; fixedVersions: string[] };
  waiver?: { id: string; expired: boolean };
  /** In the CISA KEV catalog (on that side's report). */
  kev?: true;
  /** Days past its SLA due date on that side's report, when overdue. */
  overdueDays?: number;
  /** The VEX status that applied on that side, when one did. */
  vex?: VexStatus;
}

/**
 * What changed on a matched finding, from baseline value to current value (as display strings).
 * `code`: the flagged snippet differs (from/to are the snippets, `(no snippet)` for a side without).
 */
export interface FindingChange {
  field: 'code' | 'severity' | 'message' | 'fixAvailable' | 'fixedVersions' | 'packageVersion' | 'status' | 'waiver';
  from: string;
  to: string;
}

/** One finding of the diff. `fingerprint` is the current side's when there is one, else the baseline's. */
export interface DiffFinding {
  state: DiffState;
  fingerprint: string;
  tool: string;
  ruleId: string;
  severity: Severity;
  baseline?: FindingSnapshot;
  current?: FindingSnapshot;
  /** How the pair was made; absent for `new` and `absent`. */
  match?: { strategy: MatchStrategy; score?: number };
  /** Only for `updated`: every field that differs. */
  changes?: FindingChange[];
}

/** A checklist item whose status differs between the sides (`null` when the item is missing on that side). */
export interface ChecklistChange {
  id: string;
  title: string;
  from: ChecklistStatus | null;
  to: ChecklistStatus | null;
}

/**
 * An OWASP category whose status or coverage differs between the sides (PASS scanned → PASS
 * attested is a change: the evidence got weaker). `null` when the row is missing on that side.
 */
export interface OwaspChange {
  id: string;
  name: string;
  from: OwaspStatus | null;
  to: OwaspStatus | null;
  fromCoverage: OwaspCoverage | null;
  toCoverage: OwaspCoverage | null;
}

/** A waiver as the diff lists it. */
export interface WaiverRef {
  id: string;
  justification: string;
  expires?: string;
}

/** Counts of the diff. See {@link ReportDiff} for the invariants between them. */
export interface DiffSummary {
  new: number;
  absent: number;
  unchanged: number;
  updated: number;
  /** Baseline findings of tools that did not run on the current side: neither fixed nor present. */
  notAssessed: number;
  baselineTotal: number;
  currentTotal: number;
  /** New findings that are open (not waived or suppressed), by severity. */
  newOpenBySeverity: SeverityCounts;
  /** Absent findings by their baseline severity. */
  absentBySeverity: SeverityCounts;
  /** Matched pairs by strategy. */
  byStrategy: Record<MatchStrategy, number>;
}

/**
 * `diff.json`: what changed between a baseline report and a current one.
 *
 * Invariants (tested):
 * - `new + unchanged + updated = currentTotal`
 * - `absent + unchanged + updated + notAssessed = baselineTotal`
 *
 * `findings[]` holds only the four SARIF states; baseline findings of a tool that did not run
 * now are listed in `notAssessed[]` instead, never as `absent` (absent would read as "fixed").
 */
export interface ReportDiff {
  schemaVersion: typeof DIFF_SCHEMA_VERSION;
  kind: 'diff';
  /** Metadata of the diff document itself: taken from the current report, title adapted. */
  metadata: DerivedDocumentMetadata;
  baseline: DiffSide;
  current: DiffSide;
  summary: DiffSummary;
  findings: DiffFinding[];
  notAssessed: FindingSnapshot[];
  checklist: ChecklistChange[];
  waivers: { added: WaiverRef[]; removed: WaiverRef[]; expired: WaiverRef[]; currentlyExpired: WaiverRef[] };
  owasp: OwaspChange[];
  coverage: { toolsNotRun: string[]; toolsAdded: string[] };
  /** Fingerprint algorithm versions seen on each side, e.g. `["v1"]`. */
  fingerprintVersions: { baseline: string[]; current: string[] };
}
