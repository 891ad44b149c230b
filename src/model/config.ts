import type { Limits } from './limits.ts';
import type { Severity } from './types.ts';

/** OWASP Top 10 editions auditmark ships mapping data for. */
export type OwaspEdition = '2021' | '2025';

/**
 * Project configuration as the user writes it (`auditmark.config.yaml`, `schemas/config.schema.json`).
 * Every field is optional; unknown keys are errors. Precedence: defaults < config file < CLI flags.
 */
export interface ConfigOptions {
  /** Project (application) name. */
  project?: string;
  /** Repository URL or name. */
  repository?: string;
  /** Application version the audit is about. */
  version?: string;
  distributedBy?: string;
  author?: string;
  /** SPDX licence expression of the audited project, validated. */
  license?: string;
  copyright?: { holder?: string; years?: string };
  /** Classification marking printed on every page (Public, Internal, Confidential, TLP:AMBER, ...). */
  classification?: string;
  /** BCP 47 language tag of the document. */
  language?: string;
  /** Which OWASP Top 10 editions to report. */
  owasp?: OwaspEdition[];
  policy?: PolicyOptions;
  document?: { title?: string; purpose?: string; description?: string; version?: string; status?: string };
  /** Template selector `id@semver-range`. */
  template?: string;
  /** Project-local template directory (trusted code, like a Makefile). */
  templatesDir?: string;
  /**
   * The git work tree holding the scanned sources, relative to the config file's folder: the
   * record's commit and dirty state come from it (see `src/bundle/provenance.ts`).
   */
  source?: string;
  /** Checklist definition selector `id@semver-range`, or a path to a definition file. */
  checklist?: string;
  paper?: 'A4' | 'Letter';
  limits?: Partial<Limits>;
  /** VEX documents (OpenVEX, CycloneDX), relative to the config file. */
  vex?: string[];
  /** CISA KEV catalog JSON snapshot, relative to the config file. */
  kev?: string;
  /** FIRST EPSS scores CSV (optionally .gz) snapshot, relative to the config file. */
  epss?: string;
  /** OSV advisory exports (zip or folder of OSV JSON records), relative to the config file. */
  osv?: string[];
  /** Who prepares, reviews and approves the document (shown in the sign-off block). */
  signOff?: SignOffOptions;
}

/** One person of the sign-off block. */
export interface Signatory {
  name: string;
  /** Their role or title, e.g. "Head of AppSec". */
  role?: string;
  /** When they signed (YYYY-MM-DD); omitted: a blank date line to sign by hand. */
  date?: string;
}

/** The sign-off block: prepared by, reviewed by, approved by. Any role left out is a blank line to sign. */
export interface SignOffOptions {
  preparedBy?: Signatory;
  reviewedBy?: Signatory;
  approvedBy?: Signatory;
}

/** Policy: what blocks, what warns, how old evidence may be. */
export interface PolicyOptions {
  /** Open findings at these severities make the report REMEDIATION REQUIRED. */
  blockingSeverities?: Severity[];
  /** Open findings at these severities make it CONDITIONAL. */
  warningSeverities?: Severity[];
  /** Attestations older than this are stale. */
  maxEvidenceAgeDays?: number;
  /** Days between scans; the next scan date is computed from it. */
  scanCadenceDays?: number;
  /** Scan runs older than this (by their own timestamp) are flagged as old evidence. */
  maxScanAgeDays?: number;
  /** Remediation deadlines per severity: `7d`, `30d` or a number of days (config); resolved to days in Settings. */
  sla?: Partial<Record<Severity, number | string>>;
}

/** Fully resolved configuration: every field has its value. */
export interface Settings {
  project: string;
  repository?: string;
  version?: string;
  distributedBy?: string;
  author?: string;
  license?: string;
  copyright?: { holder: string; years: string };
  classification: string;
  language: string;
  owasp: OwaspEdition[];
  policy: Required<Omit<PolicyOptions, 'sla'>> & { sla: Partial<Record<Severity, number>> };
  document: { title: string; purpose: string; description: string; version: string; status: string };
  template: string;
  templatesDir?: string;
  checklist?: string;
  paper: 'A4' | 'Letter';
  limits: Limits;
  signOff: SignOffOptions;
}
