import type { CvssScore, Exploitability, RiskSource } from './risk.ts';

/**
 * The normalised scan model: what every reader produces and what `schemas/scan.schema.json`
 * documents. This module imports nothing from other stages.
 */

/** One severity scale for every tool. `unknown` is explicit: a tool without severity never becomes `low`. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown';

/** Confidence as reported by the tool (Bandit, Semgrep metadata, SARIF precision). */
export type Confidence = 'high' | 'medium' | 'low';

/** What kind of problem a finding is; decides how it is fingerprinted and mapped. */
export type FindingKind = 'code' | 'dependency' | 'secret' | 'config';

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

/** How a finding was suppressed in its source (SARIF `suppressions`, `nosemgrep`, Safety ignores...). */
export interface Suppression {
  kind: string;
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
  package?: PackageRef;
  references: string[];
  /** Fingerprints the producer computed, when meaningful (never `"requires login"` or `""`). */
  producerFingerprints?: Record<string, string>;
  suppressed?: Suppression;
  /** JSON pointer into the raw input file where this finding came from. */
  pointer: string;
  /** CVSS vectors the tool gave (or enrich added from an OSV advisory), scored, each with its source. */
  cvss?: CvssScore[];
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

/** Version of the normalised scan JSON format. Bumped on incompatible change. */
export const SCAN_SCHEMA_VERSION = '1.0' as const;
