/**
 * Checklist definitions and checklist state as data: what `settings/checklist.ts` parses and
 * `enrich/checklist.ts` evaluates.
 */
import type { SignOffOptions } from './config.ts';
import type { EvidenceFileProblem } from './reasons.ts';
import type { FindingKind, Severity } from './types.ts';

/** Version of the checklist state format this auditmark reads. */
export const CHECKLIST_STATE_VERSION = '1.0' as const;

/** Declarative rule of an automatic checklist item: counts open findings matching every condition. */
export interface ChecklistRule {
  /** Any-of: at least one must have run; only their findings count. Omitted: any run. */
  tools?: string[];
  kinds?: FindingKind[];
  severityAtLeast?: Severity;
  ruleIds?: string[];
  cwe?: string[];
  maxCount: number;
}

/** One item of a checklist definition. */
export interface ChecklistItemDefinition {
  id: string;
  title: string;
  section: string;
  owasp: string[];
  guidance?: string;
  rule?: ChecklistRule;
}

/** A versioned checklist definition (`schemas/checklist-definition.schema.json`). */
export interface ChecklistDefinition {
  id: string;
  version: string;
  title: string;
  description?: string;
  items: ChecklistItemDefinition[];
}

/** Evidence supporting an attestation: exactly one of text, link, or file with its sha256. */
export interface Evidence {
  text?: string;
  link?: string;
  file?: string;
  sha256?: string;
}

/**
 * The current sha256 of an evidence file, or why it cannot be used (computed by the bundle's
 * evidence hasher and passed to the pure core as data).
 */
export type EvidenceHash = { sha256: string } | { problem: EvidenceFileProblem };

/** A manual statement about one checklist item. */
export interface Attestation {
  item: string;
  status: 'pass' | 'fail' | 'not-applicable';
  by: string;
  at: string;
  expires?: string;
  note?: string;
  evidence?: Evidence[];
}

/** A risk acceptance: one finding by fingerprint, or a rule/advisory (optionally of one tool). */
export interface Waiver {
  id: string;
  fingerprint?: string;
  ruleId?: string;
  tool?: string;
  justification: string;
  approver: string;
  expires: string;
}

/** The checklist state file (`schemas/checklist.schema.json`). */
export interface ChecklistState {
  schemaVersion: typeof CHECKLIST_STATE_VERSION;
  checklist?: string;
  attestations?: Attestation[];
  waivers?: Waiver[];
  signOff?: SignOffOptions;
}
