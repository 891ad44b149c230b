import type { OwaspEdition } from './config.ts';
import type { CvssScore, FindingSla, FindingVex, ReportRisk } from './risk.ts';
import type { Finding, NotScanned, Severity } from './types.ts';

/** Version of `report.json` (`schemas/report.schema.json`). */
export const REPORT_SCHEMA_VERSION = '1.0' as const;

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
  /** Flags about this run's evidence, e.g. `older than policy.maxScanAgeDays`. */
  warnings: string[];
}

/** Status of one OWASP category. PASS needs evidence that something covering it ran. */
export type OwaspStatus = 'FAIL' | 'WARN' | 'PASS' | 'NOT ASSESSED';

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
}

/** A checklist item after evaluation. */
export interface ChecklistItemResult {
  id: string;
  title: string;
  owasp: string[];
  section?: string;
  /** How it was decided. */
  basis: 'automatic' | 'attested' | 'none';
  status: 'pass' | 'fail' | 'pending' | 'stale' | 'contradicted' | 'expired';
  /** One sentence: why this status (counts, dates, who). */
  reason: string;
  attestation?: { status: string; by: string; at: string; expires?: string; evidence: Array<{ text?: string; link?: string; file?: string; sha256?: string }> };
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
  /** Last commit of the git work tree holding the inputs, when there is one. */
  git?: { commit: string; date: string };
  template: { id: string; version: string };
  auditmarkVersion: string;
  /** Stable id of this document: hash of its inputs and template. */
  documentId: string;
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
  status: { overall: OverallStatus; reasons: string[] };
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
  recommendations: string[];
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
