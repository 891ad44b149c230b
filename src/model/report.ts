import type { ChecklistRule, Evidence } from './checklist.ts';
import type { OwaspEdition } from './config.ts';
import type { ChecklistReason, EvidenceFileProblem, GitUnrecorded, Recommendation, RunWarning, StatusReason } from './reasons.ts';
import type { CvssScore, FindingSla, FindingVex, ReportRisk } from './risk.ts';
import type { Finding, NotScanned, Severity } from './types.ts';

/**
 * Version of `report.json` (`schemas/report.schema.json`). 2.0: reasons, warnings and
 * recommendations are typed codes instead of sentences; N/A, stale and partial are statuses of
 * their own; git provenance records a dirty work tree.
 */
export const REPORT_SCHEMA_VERSION = '2.0' as const;

/** Overall status, computed by policy from evidence. */
export type OverallStatus = 'VALIDATED' | 'CONDITIONAL' | 'REMEDIATION REQUIRED';

/** Counts per severity, every key present. */
export type SeverityCounts = Record<Severity, number>;

/** A finding in a report: the scan finding plus mapping, waiver state and where it came from. */
export interface ReportFinding extends Finding {
  /** OWASP Top 10 ids for the reported editions, e.g. `["A03:2021", "A05:2025"]`. */
  owasp: string[];
  /**
   * open: counts against policy; waived: accepted risk with a valid waiver; suppressed: suppressed
   * in source by the tool; not_affected: a VEX statement says the product is not affected (shown, never hidden).
   */
  status: 'open' | 'waived' | 'suppressed' | 'not_affected';
  /** The waiver that accepts this finding, when `status` is `waived` (or its expired waiver). */
  waiver?: { id: string; justification: string; approver: string; expires?: string; expired?: boolean };
  /** Index into `Report.runs`. */
  run: number;
  /**
   * Every CVSS vector of the finding scored by auditmark (ae-cvss-calculator), each with its
   * source: the tool's ratings that carry a vector (`cvss`), or, when the tool gave none, the
   * vectors of the OSV advisory records of `--osv`. A rating with a score but no vector is not
   * here: a number nobody can recompute stays in `cvss` as the tool's.
   */
  cvssScores?: CvssScore[];
  /** The VEX statement that applies to this finding, when one does. */
  vex?: FindingVex;
  /**
   * `YYYY-MM-DD` the finding was first seen, and where that comes from: the earliest `--baseline`
   * or `--history` report it matched in (carried forward from that report's own `firstSeen`),
   * else this scan. Absent in reports written before it.
   */
  firstSeen?: { date: string; from: FindingSla['firstSeenFrom'] };
  /** Remediation deadline under `policy.sla`: open findings at a severity that has one. */
  sla?: FindingSla;
}

/**
 * How old a run's evidence is: `fresh` within `policy.maxScanAgeDays`, `stale` older, `undated`
 * when the tool wrote no scan time (its age cannot be checked; shown as such, see docs/enrich.md).
 */
export type RunFreshness = 'fresh' | 'stale' | 'undated';

/** One scanner run as the report shows it. */
export interface RunSummary {
  tool: string;
  version?: string;
  format: string;
  target?: string;
  startedAt?: string;
  source: { path: string; sha256: string };
  notScanned: NotScanned[];
  counts: SeverityCounts;
  total: number;
  freshness: RunFreshness;
  /** Whole days from the scan time to the report's creation, when the scan time is known. */
  ageDays?: number;
  /** Flags about this run's evidence (stale, partial, undated, no declared coverage). */
  warnings: RunWarning[];
}

/**
 * Status of one OWASP category. PASS needs a fresh, complete scan covering it or an accepted
 * pass attestation (`coverage` says which); N/A is attested not applicable, never a pass.
 */
export type OwaspStatus = 'FAIL' | 'WARN' | 'PASS' | 'N/A' | 'NOT ASSESSED';

/**
 * The best evidence behind an OWASP row, strongest first: `scanned` (a fresh, complete run of a
 * tool covering it), `attested` (an accepted pass attestation of a checklist item referencing it),
 * `partial` (only runs that skipped files or packages), `stale` (only runs older than
 * `policy.maxScanAgeDays`), `not-applicable` (only attested not applicable), `none`.
 */
export type OwaspCoverage = 'scanned' | 'attested' | 'partial' | 'stale' | 'not-applicable' | 'none';

/** A run whose tool covers an OWASP category, with the state of its evidence. */
export interface OwaspScanEvidence {
  /** Index into `Report.runs`. */
  run: number;
  tool: string;
  freshness: RunFreshness;
  ageDays?: number;
  /** Files or packages the run could not scan. */
  notScanned: number;
}

/** An accepted attestation that covers an OWASP category: who and when. */
export interface OwaspAttestationEvidence {
  item: string;
  status: 'pass' | 'not-applicable';
  by: string;
  at: string;
}

/** One row of the OWASP table. */
export interface OwaspRow {
  id: string;
  edition: OwaspEdition;
  name: string;
  open: SeverityCounts;
  accepted: number;
  /** Checklist item ids that attest to this category. */
  checklistItems: string[];
  /** What gave coverage: tool names and checklist item ids. */
  coveredBy: string[];
  status: OwaspStatus;
  coverage: OwaspCoverage;
  /** Every run whose tool covers the category. */
  scans: OwaspScanEvidence[];
  /** Accepted pass / not-applicable attestations of items referencing the category. */
  attestations: OwaspAttestationEvidence[];
}

/**
 * Status of a checklist item. Only `pass` is a pass: `not-applicable` is attested not applicable,
 * `stale` / `partial` passed only on old or incomplete evidence, `pending` is undecided.
 */
export type ChecklistStatus = 'pass' | 'fail' | 'not-applicable' | 'pending' | 'stale' | 'partial' | 'contradicted' | 'expired';

/** What auditmark found when it hashed an evidence file for this build. */
export type EvidenceCheck =
  | { state: 'matches'; sha256: string }
  | { state: 'changed'; sha256: string }
  | { state: EvidenceFileProblem | 'unchecked' };

/** One piece of evidence as the report shows it: as recorded, plus the check of a file. */
export interface EvidenceView extends Evidence {
  /** Present for a file: does it still match the recorded sha256? */
  check?: EvidenceCheck;
}

/** The latest attestation of an item, with its evidence. */
export interface AttestationView {
  status: 'pass' | 'fail' | 'not-applicable';
  by: string;
  at: string;
  expires?: string;
  note?: string;
  evidence: EvidenceView[];
}

/** How an automatic rule was evaluated, when one of its tools ran. */
export interface RuleEvaluation {
  /** Tools whose runs were counted. */
  tools: string[];
  /** Indexes into `Report.runs` of the counted runs. */
  runs: number[];
  /** Open findings meeting every condition (their fingerprints are the item's `findings`). */
  matched: number;
  maxCount: number;
  /**
   * Open findings that meet every condition except `severityAtLeast`: listed so that a pass next
   * to open findings of the same rule is explained, never hidden.
   */
  belowThreshold: string[];
}

/** A checklist item after evaluation. */
export interface ChecklistItemResult {
  id: string;
  title: string;
  owasp: string[];
  section?: string;
  /** How it was decided. */
  basis: 'automatic' | 'attested' | 'none';
  status: ChecklistStatus;
  /** Why this status, as a typed code with its facts (counts, dates, who). */
  reason: ChecklistReason;
  /** The item's automatic rule exactly as defined, so the document shows every condition. */
  rule?: ChecklistRule;
  evaluation?: RuleEvaluation;
  attestation?: AttestationView;
  /** Fingerprints of findings that decided an automatic rule or contradict an attestation. */
  findings: string[];
}

/** A waiver after evaluation. */
export interface WaiverResult {
  id: string;
  /** What it matches: a fingerprint, or a rule/advisory id (optionally limited to a tool). */
  match: { fingerprint?: string; ruleId?: string; tool?: string };
  justification: string;
  approver: string;
  expires?: string;
  state: 'active' | 'expired' | 'unmatched';
  matched: number;
}

/** Document metadata, the source of the YAML frontmatter. */
export interface ReportMetadata {
  title: string;
  purpose: string;
  description: string;
  project: string;
  repository?: string;
  appVersion?: string;
  documentVersion: string;
  documentStatus: string;
  distributedBy?: string;
  author?: string;
  license?: string;
  copyright?: string;
  classification: string;
  language: string;
  /** ISO-8601 UTC creation time from the injected clock (SOURCE_DATE_EPOCH). */
  created: string;
  /** Git facts of the work tree holding the scanned sources; absent when they were not established. */
  git?: GitProvenance;
  /** Why `git` is absent. */
  gitUnrecorded?: GitUnrecorded;
  template: { id: string; version: string };
  auditmarkVersion: string;
  /** Stable id of this document: hash of its inputs and template. */
  documentId: string;
}

/**
 * The commit of the scanned sources, taken from the work tree that holds them (never from the
 * folder a scan file happens to be in), and whether that tree differed from it.
 */
export interface GitProvenance {
  commit: string;
  /** Committer date, ISO-8601 UTC. */
  date: string;
  /** How the work tree was identified: `--source` / config `source`, or the working directory whose remote is the configured repository. */
  basis: 'source-option' | 'repository-remote';
  /** True when tracked files differ from the commit (staged or not). */
  dirty: boolean;
  /** Tracked files that differ: how many, and the first few paths (sorted). */
  changed: { count: number; paths: string[] };
}

/** An input of the build with its hash. */
export interface InputRecord {
  path: string;
  sha256: string;
  kind: 'scan' | 'checklist' | 'config' | 'vex' | 'kev' | 'epss' | 'osv' | 'history';
  /** Snapshots (kev, epss, osv): the `YYYY-MM-DD` the snapshot is of, from its own content. */
  date?: string;
}

/** The machine twin of the audit document (`report.json`). */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  metadata: ReportMetadata;
  status: { overall: OverallStatus; reasons: StatusReason[] };
  runs: RunSummary[];
  findings: ReportFinding[];
  summary: {
    total: number;
    open: number;
    waived: number;
    suppressed: number;
    /** Findings a VEX statement marks not_affected (absent in reports written before VEX support). */
    notAffected?: number;
    /** All findings by severity (open, waived and suppressed). */
    bySeverity: SeverityCounts;
    /** Open findings by severity. */
    openBySeverity: SeverityCounts;
    byTool: Record<string, number>;
  };
  owasp: {
    editions: OwaspEdition[];
    rows: OwaspRow[];
    /** Findings with no OWASP mapping in any reported edition: listed, never hidden. */
    unmapped: string[];
    data: Array<{ edition: OwaspEdition; source: string; license: string }>;
  };
  checklist?: { id: string; version: string; items: ChecklistItemResult[] };
  waivers: WaiverResult[];
  recommendations: Recommendation[];
  /** Next scan due date (YYYY-MM-DD), from the last scan and policy.scanCadenceDays. */
  nextScanDue?: string;
  /**
   * The sign-off block, always the three roles in order; a role nobody was named for (or a
   * person without a date) is a blank line to sign by hand. From the checklist state, else the config.
   */
  signOff?: SignOffEntry[];
  inputs: InputRecord[];
  /** Risk context: exploitability snapshots, VEX, fix-first order, SLA deadlines (absent in reports written before it). */
  risk?: ReportRisk;
}

/** One role of the sign-off block. */
export interface SignOffEntry {
  role: 'prepared' | 'reviewed' | 'approved';
  name?: string;
  /** The person's role or title. */
  title?: string;
  date?: string;
  /** Where the entry comes from. */
  source?: 'config' | 'checklist';
}

/** An empty severity count. */
export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 };
}
