/**
 * Risk context as data: CVSS scores with their source, exploitability (CISA KEV, FIRST EPSS),
 * VEX statements, remediation deadlines (SLA) and the "fix first" order. Types only; parsing
 * lives in `src/ingest/risk/`, matching and ordering in `src/enrich/`.
 *
 * Everything here is dated and attributed: a score says where it came from (the scanner, an
 * OSV advisory record, a snapshot file), a snapshot says its own date, a VEX state says who
 * stated it and when. Reasons are typed `{ code, args }` values; documents word them.
 */
import type { CvssVersion } from './cvss.ts';
import type { Severity } from './types.ts';

/** Where a score, a severity or an exploitability fact came from. */
export interface RiskSource {
  /** `tool`: the scanner's own output; `advisory`: an OSV record of `--osv`; `snapshot`: a KEV catalog or EPSS file. */
  kind: 'tool' | 'advisory' | 'snapshot';
  /**
   * tool: `<tool>:<its source>` (`trivy:ghsa`, `grype:nvd@nist.gov`, `osv-scanner:GHSA-…`);
   * advisory: the OSV record id; snapshot: `kev` or `epss`.
   */
  name: string;
  /** advisory and snapshot: the input file as recorded in `report.inputs`. */
  file?: string;
}

/** One CVSS vector, scored. */
export interface CvssScore {
  version: CvssVersion;
  vector: string;
  /** v2/v3 base score; v4.0 the score of the vector as written (see `nomenclature`). Computed, never copied. */
  score: number;
  /** v4.0 only: `CVSS-B`, `CVSS-BT`, `CVSS-BE`, `CVSS-BTE`. */
  nomenclature?: string;
  /** The qualitative band of `score` for this version. */
  severity: Severity;
  source: RiskSource;
}

/** A FIRST EPSS score of one CVE on one day. */
export interface EpssScore {
  cve: string;
  /** Probability of exploitation activity in the next 30 days, in [0, 1]. */
  score: number;
  /** Rank among all scored CVEs that day, in [0, 1]. */
  percentile: number;
  /** `YYYY-MM-DD` the score is for: scores change daily, so it is always shown. */
  date: string;
  /** EPSS model version (`v2025.03.14`), when the source says it. */
  model?: string;
  source: RiskSource;
}

/** A CISA Known Exploited Vulnerabilities catalog entry for one CVE. */
export interface KevEntry {
  cve: string;
  /** `YYYY-MM-DD` CISA added it. */
  dateAdded?: string;
  /** `YYYY-MM-DD` remediation due date for US federal agencies (BOD 22-01). */
  dueDate?: string;
  /** `Known` when used in ransomware campaigns. */
  ransomware?: string;
  vulnerabilityName?: string;
  requiredAction?: string;
  source: RiskSource;
}

/** What is known about a finding's exploitation. */
export interface Exploitability {
  kev?: KevEntry;
  epss?: EpssScore;
  /** Grype's own `risk` number (its sort key), kept verbatim. */
  risk?: number;
}

/** The four VEX statuses (OpenVEX words; CycloneDX analysis states are mapped onto them). */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** A parsed package URL (purl), only the parts matching needs. */
export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

/** A product (or subcomponent) a VEX statement names. */
export interface VexProduct {
  /** The id as written: a purl, a bom-ref, a CPE, an image reference. */
  id: string;
  /** When `id` (or the BOM component it refers to) is a purl. */
  purl?: PurlParts;
  /**
   * A product that is not a package but the thing scanned (an image reference, a CycloneDX
   * document's own subject component): its name, lower-case, compared with the scan's target.
   */
  name?: string;
  subcomponents?: VexProduct[];
}

/** One VEX statement, normalised from OpenVEX or CycloneDX. */
export interface VexStatement {
  /** The VEX file as recorded in `report.inputs`. */
  file: string;
  format: 'openvex' | 'cyclonedx';
  /** JSON pointer of the statement in its file. */
  pointer: string;
  vulnerability: string;
  /** Other ids of the vulnerability (OpenVEX `aliases`, CycloneDX `references[].id`). */
  aliases: string[];
  /** Empty when the statement names no product: then, and only then, it applies by vulnerability id alone. */
  products: VexProduct[];
  status: VexStatus;
  /** CycloneDX `analysis.state` verbatim (`resolved`, `false_positive`, …). */
  rawStatus?: string;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  statusNotes?: string;
  author?: string;
  /** Statement timestamp, else the document's (RFC 3339). */
  timestamp?: string;
}

/** One VEX document as read. */
export interface VexDocument {
  file: string;
  sha256: string;
  format: 'openvex' | 'cyclonedx';
  id?: string;
  author?: string;
  timestamp?: string;
  version?: string;
  statements: VexStatement[];
}

/** The VEX state a finding carries: the statement that applies to it (the latest, when several do). */
export interface FindingVex extends Pick<VexStatement, 'status' | 'rawStatus' | 'justification' | 'impactStatement' | 'actionStatement' | 'statusNotes' | 'author' | 'timestamp'> {
  format: 'openvex' | 'cyclonedx';
  file: string;
  pointer: string;
  /** The product or subcomponent id that matched; absent when the statement names none. */
  product?: string;
  /** A `fixed` statement while the scan still finds the vulnerable package: the statement is contradicted. */
  contradicted?: true;
}

/** Remediation deadline of an open finding under `policy.sla`. */
export interface FindingSla {
  /** `YYYY-MM-DD` the finding was first seen. */
  firstSeen: string;
  /** Where that date comes from: the `--baseline`, a `--history` report, or this scan (first seen now). */
  firstSeenFrom: 'baseline' | 'history' | 'scan';
  /** Days the policy allows for this severity. */
  days: number;
  /** `YYYY-MM-DD`: first seen plus `days`. */
  due: string;
  /** Whole days past `due` at the report's creation time; 0 when not overdue. */
  overdueDays: number;
}

/** Typed reason codes of the risk model. Documents word them; the model never holds sentences. */
export type RiskReasonCode =
  | 'fix-first/kev'
  | 'fix-first/epss'
  | 'fix-first/severity'
  | 'fix-first/age'
  | 'vex/no-finding'
  | 'vex/other-product'
  | 'vex/unresolved-product';

/** A reason: a code and its arguments (numbers, dates, ids). */
export interface RiskReason {
  code: RiskReasonCode;
  args: Record<string, string | number | boolean>;
}

/** One row of "Fix first": an open finding, its rank, and why it sits there (strongest reason first). */
export interface FixFirstRow {
  rank: number;
  fingerprint: string;
  reasons: RiskReason[];
}

/** An overdue open finding. */
export interface OverdueRow {
  fingerprint: string;
  severity: Severity;
  firstSeen: string;
  due: string;
  overdueDays: number;
}

/** A VEX statement that matched no finding: listed, never dropped. */
export interface VexUnmatched {
  file: string;
  pointer: string;
  vulnerability: string;
  products: string[];
  status: VexStatus;
  reason: RiskReason;
}

/** A snapshot input (KEV catalog, EPSS scores, OSV advisory export) with its own date. */
export interface SnapshotRecord {
  kind: 'kev' | 'epss' | 'osv';
  file: string;
  sha256: string;
  /** `YYYY-MM-DD` the snapshot is of: KEV `dateReleased`, EPSS `score_date`, the newest OSV `modified`. */
  date?: string;
  /** KEV `catalogVersion`, EPSS `model_version`. */
  version?: string;
  /** Entries it holds (catalog entries, scored CVEs, advisory records). */
  entries: number;
}

/** One VEX document as the report lists it. */
export interface VexDocumentRecord extends Pick<VexDocument, 'file' | 'sha256' | 'format' | 'id' | 'author' | 'timestamp'> {
  statements: number;
  /** Statements that matched at least one finding. */
  matched: number;
}

/** The report's risk context (`report.risk`). */
export interface ReportRisk {
  snapshots: SnapshotRecord[];
  vex: {
    documents: VexDocumentRecord[];
    unmatched: VexUnmatched[];
    /** Fingerprints of findings whose `fixed` statement the scan contradicts. */
    contradicted: string[];
  };
  /** Open findings, most urgent first: KEV, then EPSS, then severity and CVSS, then age. */
  fixFirst: FixFirstRow[];
  /** Open findings past their SLA due date, most overdue first. */
  overdue: OverdueRow[];
  /** The policy in force: days allowed per severity (only the severities that have one). */
  sla: Partial<Record<Severity, number>>;
  counts: {
    /** Open findings in the KEV catalog. */
    kev: number;
    /** Findings with an EPSS score. */
    epss: number;
    /** Findings with at least one CVSS score. */
    cvss: number;
    notAffected: number;
    /** Findings whose severity came from an OSV advisory record (the tool gave none). */
    severityFromAdvisory: number;
    /** Open findings with an SLA due date. */
    withDueDate: number;
    overdue: number;
  };
}

/** A CISA KEV catalog snapshot, parsed (`--kev`). */
export interface KevCatalog {
  file: string;
  sha256: string;
  title?: string;
  catalogVersion?: string;
  /** `YYYY-MM-DD` of `dateReleased`. */
  date?: string;
  /** Entries by upper-case CVE id. */
  entries: ReadonlyMap<string, Omit<KevEntry, 'source'>>;
}

/** A FIRST EPSS scores snapshot, parsed (`--epss`). */
export interface EpssSnapshot {
  file: string;
  sha256: string;
  model?: string;
  /** `YYYY-MM-DD` of the file's `score_date`. */
  date: string;
  /** Scores by upper-case CVE id. */
  scores: ReadonlyMap<string, { score: number; percentile: number }>;
}

/** What auditmark keeps of one OSV advisory record. */
export interface OsvAdvisory {
  id: string;
  aliases: string[];
  modified?: string;
  /** `severity[]` entries: `type` (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`, …) and `score` (the vector). */
  severity: Array<{ type: string; score: string }>;
  /** `database_specific.severity` (GitHub's word), when present. */
  databaseSeverity?: string;
  /** Where the record sits: the entry of the folder or zip, for diagnostics and provenance. */
  entry: string;
}

/** An OSV advisory export (`--osv`: a folder or zip of OSV JSON records), parsed. */
export interface OsvAdvisories {
  file: string;
  sha256: string;
  /** `YYYY-MM-DD` of the newest `modified` among its records. */
  date?: string;
  count: number;
  /** Records by upper-case id and by each upper-case alias. */
  byId: ReadonlyMap<string, OsvAdvisory>;
}

/** The risk inputs of a build, parsed. */
export interface RiskInputs {
  vex: VexDocument[];
  kev?: KevCatalog;
  epss?: EpssSnapshot;
  osv: OsvAdvisories[];
}
