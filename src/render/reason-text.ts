/**
 * Typed reasons worded in code, for the outputs that have no template: the CI step summary
 * (`summary.ts`) and the OSCAL export (`oscal.ts`). The documents word the same codes in their
 * templates (`_partials/words.njk`), which a template may reword or translate; these sentences
 * are auditmark's own, in English, and say the same facts.
 */
import type { ChecklistReason, EvidenceProblem, RuleCount, StatusReason } from '../model/reasons.ts';
import type { SeverityCounts } from '../model/report.ts';
import { SEVERITIES } from '../model/severity.ts';
import { plural } from '../model/words.ts';

const counts = (c: SeverityCounts) => SEVERITIES.filter((s) => c[s] > 0).map((s) => `${s}: ${c[s]}`).join(', ');
const items = (ids: readonly string[]) => `${plural(ids.length, 'checklist item')}: ${ids.join(', ')}`;

/**
 * One status reason as a sentence, for the CI step summary and the OSCAL export. The document
 * words the same codes in its template (`_partials/words.njk`).
 */
export function statusReasonText(r: StatusReason): string {
  switch (r.code) {
    case 'findings-blocking': return `${plural(r.args.count, 'open finding')} at a blocking severity (${counts(r.args.bySeverity)}).`;
    case 'checklist-failed': return `Failed: ${items(r.args.items)}.`;
    case 'checklist-contradicted': return `Attested as passing but contradicted by scan evidence: ${items(r.args.items)}.`;
    case 'no-scans': return 'No scan results were given: nothing was measured.';
    case 'findings-warning': return `${plural(r.args.count, 'open finding')} at a warning severity (${counts(r.args.bySeverity)}).`;
    case 'findings-unknown-severity': return `${plural(r.args.count, 'open finding')} with no severity from the tool (unknown).`;
    case 'checklist-pending': return `Pending (not attested or not assessed): ${items(r.args.items)}.`;
    case 'checklist-stale': return `Stale (old attestation or old scan): ${items(r.args.items)}.`;
    case 'checklist-partial': return `Partial (passed on scans that skipped files): ${items(r.args.items)}.`;
    case 'checklist-expired': return `Attestation expired: ${items(r.args.items)}.`;
    case 'waivers-expired': return `${plural(r.args.waivers.length, 'waiver')} expired, findings open again: ${r.args.waivers.join(', ')}.`;
    case 'runs-partial': return `${plural(r.args.runs, 'scan run')} skipped ${plural(r.args.notScanned, 'file or package', 'files or packages')} (${r.args.tools.join(', ')}).`;
    case 'runs-stale': return `${plural(r.args.tools.length, 'scan run')} older than ${r.args.maxScanAgeDays} days: ${r.args.tools.join(', ')}.`;
    case 'validated': return `No open findings at a blocking or warning severity in ${plural(r.args.runs, 'scan run')} (${plural(r.args.findings, 'finding')}: ${r.args.waived} waived, ${r.args.suppressed} suppressed, ${r.args.openBelowThreshold} open below the warning threshold).`;
    case 'checklist-complete': return `Checklist complete: ${r.args.pass} of ${plural(r.args.items, 'item')} pass, ${r.args.notApplicable} not applicable.`;
  }
}

const EVIDENCE_PROBLEM: Record<EvidenceProblem, string> = {
  changed: 'changed since the attestation',
  unchecked: 'not checked (no current hash)',
  missing: 'missing',
  outside: "outside the checklist state's folder (refused)",
  'not-a-file': 'not a regular file (refused)',
  'too-large': 'over the size limit maxInputBytes (refused)',
  unreadable: 'unreadable',
  'symlink-loop': 'behind a symlink loop (refused)',
  'nul-in-path': 'a path with a NUL character (refused)',
};

const ruleCount = (a: RuleCount) => `${plural(a.matched, 'open matching finding')} (allowed ${a.maxCount}) from ${a.tools.join(', ') || 'no tool'}`;
const attested = (a: { status: string; by: string; at: string }) => `${a.status === 'not-applicable' ? 'not applicable' : a.status} attested by ${a.by} on ${a.at.slice(0, 10)}`;

/** Why a checklist item has its status, as one sentence (OSCAL finding description and remarks). */
export function checklistReasonText(r: ChecklistReason): string {
  const t = checklistReason(r);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function checklistReason(r: ChecklistReason): string {
  switch (r.code) {
    case 'rule-pass': return `${ruleCount(r.args)}.`;
    case 'rule-fail': return `${ruleCount(r.args)}.`;
    case 'rule-pass-stale': return `${ruleCount(r.args)}, but only on scans older than ${r.args.maxScanAgeDays} days (${r.args.staleTools.join(', ')}): stale, not a pass.`;
    case 'rule-pass-partial': return `${ruleCount(r.args)}, but ${r.args.partialTools.join(', ')} skipped ${plural(r.args.notScanned, 'item')}: partial, not a pass.`;
    case 'rule-not-assessed': return r.args.tools.length ? `Not assessed: none of ${r.args.tools.join(', ')} ran.` : 'Not assessed: no scan ran.';
    case 'no-attestation': return 'No attestation recorded.';
    case 'attested': return `${attested(r.args)}.`;
    case 'attested-fail-over-rule': return `${attested(r.args)} (the scan rule alone finds ${ruleCount(r.args)}).`;
    case 'contradicted-by-rule': return `${attested(r.args)}, but the item's rule finds ${plural(r.args.matched, 'open finding')} (allowed ${r.args.maxCount}).`;
    case 'contradicted-by-findings': return `${attested(r.args)}, but ${plural(r.args.count, 'open finding')} at a blocking severity (${r.args.blockingSeverities.join(', ')}) ${r.args.count === 1 ? 'maps' : 'map'} to this item.`;
    case 'evidence-not-accepted': return `${attested(r.args)}, not accepted: evidence file ${r.args.file} is ${EVIDENCE_PROBLEM[r.args.problem]}.`;
    case 'attestation-expired': return `${attested(r.args)}; expired after ${r.args.expires.slice(0, 10)}.`;
    case 'attestation-stale': return `${attested(r.args)}; ${r.args.ageDays} days old, policy allows ${r.args.maxEvidenceAgeDays} (stale since ${r.args.staleSince.slice(0, 10)}).`;
  }
}
