/**
 * Typed reasons: what the Report model says instead of English sentences. Every reason is
 * `{ code, args }`, a string-literal code and the facts behind it. The document words them in its
 * template (`templates/<id>/<version>/_partials/words.njk`, one branch per code), so a template can
 * reword or translate them; CLI and CI text words them in code (`src/render/summary.ts`). Nothing
 * ever parses a reason back from text. Each union below is listed as data too (`*_CODES`), which
 * `schemas/report.schema.json` and the template tests are checked against.
 */
import type { Severity } from './types.ts';

/** Counts per severity, every key present (the same shape as `SeverityCounts` in report.ts). */
type Counts = Record<Severity, number>;

/** Nothing to say beyond the code. */
export type NoArgs = Record<string, never>;

/** Why the overall status is what it is: one entry per triggered rule of the policy (docs/enrich.md). */
export type StatusReason =
  /** Open findings at a severity in `policy.blockingSeverities`. */
  | { code: 'findings-blocking'; args: { count: number; bySeverity: Counts } }
  /** Checklist items that failed (automatic rule exceeded, or attested fail). */
  | { code: 'checklist-failed'; args: { items: string[] } }
  /** Checklist items attested as passing that scan evidence contradicts. */
  | { code: 'checklist-contradicted'; args: { items: string[] } }
  /** No scan run was given: nothing was measured. */
  | { code: 'no-scans'; args: NoArgs }
  /** Open findings at a severity in `policy.warningSeverities`. */
  | { code: 'findings-warning'; args: { count: number; bySeverity: Counts } }
  /** Open findings the tool gave no severity (and the policy does not name `unknown`). */
  | { code: 'findings-unknown-severity'; args: { count: number } }
  /** Checklist items not attested, or whose tools did not run. */
  | { code: 'checklist-pending'; args: { items: string[] } }
  /** Checklist items whose attestation is older than `policy.maxEvidenceAgeDays`, or whose rule was decided by a scan older than `policy.maxScanAgeDays`. */
  | { code: 'checklist-stale'; args: { items: string[] } }
  /** Checklist items whose rule passed on scans that skipped files or packages. */
  | { code: 'checklist-partial'; args: { items: string[] } }
  /** Checklist items whose attestation is past its `expires` day. */
  | { code: 'checklist-expired'; args: { items: string[] } }
  /** Waivers past their expiry: their findings count as open again. */
  | { code: 'waivers-expired'; args: { waivers: string[] } }
  /** Scan runs that reported files or packages they could not scan. */
  | { code: 'runs-partial'; args: { runs: number; notScanned: number; tools: string[] } }
  /** Scan runs older than `policy.maxScanAgeDays`. */
  | { code: 'runs-stale'; args: { tools: string[]; maxScanAgeDays: number } }
  /** VALIDATED: nothing open at a blocking or warning severity. */
  | { code: 'validated'; args: { runs: number; findings: number; waived: number; suppressed: number; openBelowThreshold: number } }
  /** VALIDATED with a checklist: every item passes or is attested not applicable. */
  | { code: 'checklist-complete'; args: { items: number; pass: number; notApplicable: number } };

/** A flag about one scan run's evidence. */
export type RunWarning =
  /** The tool wrote no scan time: the age of this evidence cannot be checked. */
  | { code: 'scan-undated'; args: NoArgs }
  /** The scan is older than `policy.maxScanAgeDays`: its coverage is stale. */
  | { code: 'scan-stale'; args: { ageDays: number; maxScanAgeDays: number } }
  /** The tool could not scan some files or packages: its coverage is partial. */
  | { code: 'scan-partial'; args: { notScanned: number } }
  /** The reader declares no coverage for this tool: it cannot make an OWASP category PASS. */
  | { code: 'no-coverage-declared'; args: NoArgs };

/** What an automatic rule counted. */
export interface RuleCount {
  /** Open findings that meet every condition of the rule. */
  matched: number;
  maxCount: number;
  /** Tools whose runs were counted. */
  tools: string[];
}

/** Who attested what, and when. */
export interface Attested {
  status: 'pass' | 'fail' | 'not-applicable';
  by: string;
  at: string;
}

/** Why an evidence file cannot support its attestation now. */
export type EvidenceFileProblem = 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'unreadable' | 'symlink-loop' | 'nul-in-path';

/** Why an attestation's evidence was not accepted: the file changed, is unusable, or was not checked. */
export type EvidenceProblem = 'changed' | 'unchecked' | EvidenceFileProblem;

/** Why a checklist item has its status. */
export type ChecklistReason =
  /** The rule's tools ran and at most `maxCount` open findings match, on fresh and complete scans. */
  | { code: 'rule-pass'; args: RuleCount }
  /** More than `maxCount` open findings match. */
  | { code: 'rule-fail'; args: RuleCount }
  /** Within `maxCount`, but only scans older than `policy.maxScanAgeDays` decided it: stale. */
  | { code: 'rule-pass-stale'; args: RuleCount & { staleTools: string[]; maxScanAgeDays: number } }
  /** Within `maxCount`, but the deciding scans skipped files or packages: partial. */
  | { code: 'rule-pass-partial'; args: RuleCount & { partialTools: string[]; notScanned: number } }
  /** None of the rule's tools ran (`tools` empty: no scan ran at all). */
  | { code: 'rule-not-assessed'; args: { tools: string[] } }
  /** No rule decided and nobody attested. */
  | { code: 'no-attestation'; args: NoArgs }
  /** Taken as attested (pass, fail or not applicable). */
  | { code: 'attested'; args: Attested }
  /** A person attested fail although the rule alone passes: a reviewer sees what scanners cannot. */
  | { code: 'attested-fail-over-rule'; args: Attested & RuleCount }
  /** Attested pass, but the item's own rule finds more than `maxCount` open findings. */
  | { code: 'contradicted-by-rule'; args: Attested & RuleCount }
  /** Attested pass, but open findings at a blocking severity map to the item's CWEs or OWASP categories. */
  | { code: 'contradicted-by-findings'; args: Attested & { count: number; blockingSeverities: Severity[] } }
  /** An evidence file no longer supports the attestation. */
  | { code: 'evidence-not-accepted'; args: Attested & { file: string; problem: EvidenceProblem } }
  /** The attestation is past its `expires` day. */
  | { code: 'attestation-expired'; args: Attested & { expires: string } }
  /** The attestation is older than `policy.maxEvidenceAgeDays`. */
  | { code: 'attestation-stale'; args: Attested & { ageDays: number; maxEvidenceAgeDays: number; staleSince: string } };

/** A computed next action. */
export type Recommendation =
  /** Upgrade a package to the lowest version that fixes every fixable advisory. */
  | { code: 'upgrade-package'; args: { package: string; version?: string; target: string; fixes: number; unfixed: string[] } }
  /** No fixed version exists for any of the package's advisories. */
  | { code: 'mitigate-package'; args: { package: string; version?: string; advisories: string[] } }
  /** Open blocking/warning findings of one rule. */
  | { code: 'fix-rule'; args: { tool: string; ruleId: string; title: string; severity: Severity; count: number; files: number } }
  /** Resolve the findings contradicting an attested pass, or withdraw it. */
  | { code: 'resolve-contradiction'; args: { item: string; title: string; findings: number } }
  | { code: 'fix-item'; args: { item: string; title: string } }
  | { code: 'reattest-stale'; args: { item: string; staleSince: string } }
  | { code: 'reattest-expired'; args: { item: string; expires: string } }
  | { code: 'reattest-evidence'; args: { item: string; file: string; problem: EvidenceProblem } }
  /** Run one of the item's tools, or attest it. */
  | { code: 'assess-item'; args: { item: string; title: string; tools: string[] } }
  | { code: 'attest-item'; args: { item: string; title: string } }
  | { code: 'renew-waiver'; args: { waiver: string; expires: string; matched: number } }
  | { code: 'remove-waiver'; args: { waiver: string } }
  | { code: 'rerun-stale-scan'; args: { tool: string; ageDays: number; maxScanAgeDays: number } }
  | { code: 'rescan-skipped'; args: { tool: string; notScanned: number } };

/** Why the record states no git commit. */
export type GitUnrecorded =
  /** Neither `--source` / config `source` nor a config `repository` to match the working directory against. */
  | { code: 'no-source'; args: NoArgs }
  /** The source directory (or the working directory) is not inside a git work tree with a commit. */
  | { code: 'not-a-work-tree'; args: { basis: 'source-option' | 'working-directory' } }
  /** The working directory's remotes do not include the configured repository: it may be any checkout. */
  | { code: 'remote-mismatch'; args: { repository: string } }
  /** git could not be run. */
  | { code: 'git-unavailable'; args: NoArgs }
  /** Not collected for this report (a diff side assembled from scans, or a library call without provenance). */
  | { code: 'not-collected'; args: NoArgs };

/** Every key of a union of codes, checked by the compiler to be complete (a `Record` needs every key). */
function codes<C extends string>(all: Record<C, true>): readonly C[] {
  return Object.freeze(Object.keys(all) as C[]);
}

/** Every code of {@link StatusReason}. */
export const STATUS_REASON_CODES = codes<StatusReason['code']>({
  'findings-blocking': true, 'checklist-failed': true, 'checklist-contradicted': true, 'no-scans': true, 'findings-warning': true,
  'findings-unknown-severity': true, 'checklist-pending': true, 'checklist-stale': true, 'checklist-partial': true, 'checklist-expired': true,
  'waivers-expired': true, 'runs-partial': true, 'runs-stale': true, validated: true, 'checklist-complete': true,
});

/** Every code of {@link RunWarning}. */
export const RUN_WARNING_CODES = codes<RunWarning['code']>({ 'scan-undated': true, 'scan-stale': true, 'scan-partial': true, 'no-coverage-declared': true });

/** Every code of {@link ChecklistReason}. */
export const CHECKLIST_REASON_CODES = codes<ChecklistReason['code']>({
  'rule-pass': true, 'rule-fail': true, 'rule-pass-stale': true, 'rule-pass-partial': true, 'rule-not-assessed': true, 'no-attestation': true,
  attested: true, 'attested-fail-over-rule': true, 'contradicted-by-rule': true, 'contradicted-by-findings': true, 'evidence-not-accepted': true,
  'attestation-expired': true, 'attestation-stale': true,
});

/** Every code of {@link Recommendation}. */
export const RECOMMENDATION_CODES = codes<Recommendation['code']>({
  'upgrade-package': true, 'mitigate-package': true, 'fix-rule': true, 'resolve-contradiction': true, 'fix-item': true, 'reattest-stale': true,
  'reattest-expired': true, 'reattest-evidence': true, 'assess-item': true, 'attest-item': true, 'renew-waiver': true, 'remove-waiver': true,
  'rerun-stale-scan': true, 'rescan-skipped': true,
});

/** Every code of {@link GitUnrecorded}. */
export const GIT_UNRECORDED_CODES = codes<GitUnrecorded['code']>({ 'no-source': true, 'not-a-work-tree': true, 'remote-mismatch': true, 'git-unavailable': true, 'not-collected': true });

/** Every {@link EvidenceProblem}. */
export const EVIDENCE_PROBLEMS = codes<EvidenceProblem>({
  changed: true, unchecked: true, missing: true, outside: true, 'not-a-file': true, 'too-large': true, unreadable: true, 'symlink-loop': true, 'nul-in-path': true,
});
