import type { Exploitability, RiskSource } from './risk.ts';

/**
 * The normalised scan model: what every reader produces and what `schemas/scan.schema.json`
 * documents. This module imports nothing from other stages.
 */

/** One severity scale for every tool. `unknown` is explicit: a tool without severity never becomes `low`. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown';

/** Confidence as reported by the tool (Bandit, Semgrep metadata, SARIF precision). */
export type Confidence = 'high' | 'medium' | 'low';

/**
 * What kind of problem a finding is; decides how it is fingerprinted and mapped. `web`: found on
 * a running service by a dynamic scanner (ZAP, Nuclei), located by {@link WebLocation}.
 */
export type FindingKind = 'code' | 'dependency' | 'secret' | 'config' | 'web';

/** A place in source code. Paths are repo-relative where knowable, always with `/`. Lines and columns are 1-based. */
export interface SourceLocation {
  path: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  /** The flagged code with tool decorations (e.g. Bandit's line-number prefixes) removed. */
  snippet?: string;
  /** The path exactly as the tool wrote it, when normalisation changed it. */
  originalPath?: string;
}

/**
 * A place on a running service, for dynamic scanners (OWASP ZAP, Nuclei). Everything here is
 * untrusted text from the scanned service or the scanner: shown as text, never as markup.
 */
export interface WebLocation {
  /**
   * `scheme://host[:port]/path` with scheme and host lower-cased and a default port dropped; for
   * matches that are not URLs (Nuclei network and DNS templates) `host[:port]`. Never user info,
   * query or fragment: they carry credentials and values that change from run to run.
   */
  url: string;
  /** HTTP method, upper-case, when the tool says. */
  method?: string;
  /** The request parameter (query, form field, header, cookie) the finding is about. */
  parameter?: string;
  /** Names of the query parameters of the tested URL, sorted and unique; their values are never kept. */
  queryParameters?: string[];
  /** The payload the scanner sent (ZAP `attack`), as text. */
  attack?: string;
  /** What in the response showed the problem (ZAP `evidence`, Nuclei extracted results), as text. */
  evidence?: string;
}

/** One CVSS rating of an advisory, as the tool gives it. */
export interface CvssRating {
  /** CVSS version: `2.0`, `3.0`, `3.1`, `4.0`, or `3.x` when the tool says v3 without the minor version. */
  version: string;
  /** The vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`. */
  vector?: string;
  /** The base score the tool reports (0.0-10.0). */
  score?: number;
  /** Who rated it (`NVD`, `OSSINDEX`, a vendor), when the tool says. */
  source?: string;
}

/** A vulnerable dependency. */
export interface PackageRef {
  /** Lower-case ecosystem name: `pypi`, `npm`, `maven`, `go`, `debian`, ... */
  ecosystem?: string;
  name: string;
  version?: string;
  /** Versions that fix the advisory; `[]` when none is known. Never a range of the vulnerable versions. */
  fixedVersions: string[];
  purl?: string;
  /** Dependency paths (`from` chains) when the tool reports them. */
  paths?: string[][];
}

/**
 * Review state of a suppression, as SARIF 2.1.0 defines it: `accepted` (also when absent)
 * suppresses the finding; `underReview` (someone asked, nobody decided) and `rejected` (the
 * request was turned down) do not.
 */
export type SuppressionStatus = 'accepted' | 'underReview' | 'rejected';

/**
 * One suppression of a finding as its tool recorded it: SARIF `suppressions[]`, Semgrep
 * `nosemgrep`, Safety ignores, Snyk `.snyk` ignores, Trivy ignore files and VEX, Grype ignore
 * rules and VEX, Dependency-Check suppression files. A finding is suppressed only when it has
 * at least one and none is `underReview` or `rejected` (see `isSuppressed`).
 */
export interface Suppression {
  /** SARIF `inSource` or `external`, or the tool's own mechanism (`nosemgrep`, `safety-ignore`, `snyk-ignore`, `trivy-ignore`, `grype-ignore`, `dependency-check-suppression`). */
  kind: string;
  /** Review state; absent means accepted (SARIF). */
  status?: SuppressionStatus;
  /** Why, when given. */
  justification?: string;
}

/** One problem reported by one tool. */
export interface Finding {
  /** Versioned, line-number-free identity of the problem; see `src/model/fingerprint.ts`. */
  fingerprint: string;
  /** Lower-case tool name, e.g. `bandit`, `pip-audit`, `semgrep`. */
  tool: string;
  kind: FindingKind;
  /** Rule or advisory id as the tool reports it (`B602`, `PYSEC-2021-76`, `java/sql-injection`). */
  ruleId: string;
  title: string;
  message: string;
  severity: Severity;
  /** The tool's own severity word or number, kept verbatim for audit. */
  rawSeverity?: string;
  confidence?: Confidence;
  /** CWE ids as `CWE-<n>`, sorted, unique. */
  cwe: string[];
  /** True when `cwe` was filled from the tool's documented rule metadata, not from the file. */
  cweInferred?: boolean;
  /** Other advisory ids for the same problem (CVE, GHSA, PYSEC, ...), sorted, unique, excluding `ruleId`. */
  aliases: string[];
  location?: SourceLocation;
  /** Where on a running service, for `web` findings. */
  web?: WebLocation;
  package?: PackageRef;
  /**
   * CVSS ratings as the tool gives them (Dependency-Check, Nuclei, Trivy, Grype, OSV-Scanner).
   * Enrich scores every vector itself (`ReportFinding.cvssScores`); a tool's number is kept here.
   */
  cvss?: CvssRating[];
  references: string[];
  /** Fingerprints the producer computed, when meaningful (never `"requires login"` or `""`). */
  producerFingerprints?: Record<string, string>;
  /** Every suppression the tool recorded, in its order; see {@link Suppression} for when they suppress. */
  suppressions?: Suppression[];
  /** JSON pointer into the raw input file where this finding came from. */
  pointer: string;
  /** Exploitability the tool reported (Grype's EPSS, KEV and risk), or enrich found in a snapshot. */
  exploit?: Exploitability;
  /** Which source decided `severity` when the tool names one (Trivy's `SeveritySource`) or enrich filled it from an advisory. */
  severitySource?: RiskSource;
}

/** Something the tool did not scan, or a part of the input that was not a result. */
export interface NotScanned {
  reason: string;
  path?: string;
  pointer?: string;
}

/**
 * What a tool can detect, declared by its reader from the tool's documented rule metadata.
 * Used to decide whether an OWASP category was assessed at all.
 */
export interface Coverage {
  /** CWEs the tool's rule set can report. */
  cwe?: string[];
  /** True for software-composition-analysis tools (vulnerable dependencies). */
  dependencies?: boolean;
  /** True for secret scanners. */
  secrets?: boolean;
  /** Where the declaration comes from, for the report's appendix. */
  source: string;
}

/** One execution of one tool over one target. */
export interface ScanRun {
  tool: { name: string; version?: string };
  /** The reader that produced this run, e.g. `bandit-json`, `sarif`. */
  format: string;
  target?: string;
  /** ISO-8601 start (or generation) time, as the tool reports it. */
  startedAt?: string;
  /** The input file this run came from: the path as given, and the sha256 of its bytes. */
  source: { path: string; sha256: string };
  /** Files or parts the tool could not scan: a coverage gap, never silently dropped. */
  notScanned: NotScanned[];
  coverage?: Coverage;
  findings: Finding[];
}

/** The normalised scan document (`schemas/scan.schema.json`). */
export interface ScanDocument {
  $schema?: string;
  schemaVersion: typeof SCAN_SCHEMA_VERSION;
  runs: ScanRun[];
}

/**
 * Version of the normalised scan JSON format: the major is bumped on incompatible change, the
 * minor when fields are added. 1.1 added `web`, `cvss`, `suppressions` (replacing 1.0's
 * single `suppressed`, which is still read), `exploit` and `severitySource`.
 */
export const SCAN_SCHEMA_VERSION = '1.1' as const;
