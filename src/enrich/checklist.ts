// The semver functions used, not the whole package (`semver` loads ~50 modules; a build's start-up counts them).
import satisfies from 'semver/functions/satisfies.js';
import type { OwaspEdition, Settings } from '../model/config.ts';
import type { Attestation, ChecklistDefinition, ChecklistItemDefinition, ChecklistRule, ChecklistState, Evidence, EvidenceHash } from '../model/checklist.ts';
import { diag, pointer, type Diagnostic } from '../model/diagnostics.ts';
import type { Attested, ChecklistReason, EvidenceProblem, RuleCount } from '../model/reasons.ts';
import type { AttestationView, ChecklistItemResult, EvidenceCheck, ReportFinding, RuleEvaluation } from '../model/report.ts';
import { atLeast } from '../model/severity.ts';
import type { ScanRun, Severity } from '../model/types.ts';
import { daysBetween, expiryInstant, isoDay, parseInstant } from '../model/dates.ts';
import { effectiveCwes, owaspFor } from './owasp.ts';
import { evidenceStrength, runEvidence } from './run-evidence.ts';

/** What {@link evaluateChecklist} returns: one result per definition item, plus warnings about the state. */
export interface ChecklistEvaluation {
  items: ChecklistItemResult[];
  diagnostics: Diagnostic[];
}

const ALL_EDITIONS: readonly OwaspEdition[] = ['2021', '2025'];

/** Findings an automatic rule counts: open ones only (waived and suppressed findings are accepted). */
function ruleMatches(rule: Omit<ChecklistRule, 'maxCount'>, findings: readonly ReportFinding[]): ReportFinding[] {
  return findings.filter((f) =>
    f.status === 'open' &&
    (!rule.tools || rule.tools.includes(f.tool)) &&
    (!rule.kinds || rule.kinds.includes(f.kind)) &&
    // A finding without severity could be anything: it counts against every threshold.
    (!rule.severityAtLeast || f.severity === 'unknown' || atLeast(f.severity, rule.severityAtLeast)) &&
    (!rule.ruleIds || rule.ruleIds.includes(f.ruleId) || f.aliases.some((a) => rule.ruleIds!.includes(a))) &&
    (!rule.cwe || effectiveCwes(f).some((c) => rule.cwe!.includes(c))));
}

/** Open blocking findings that contradict a pass attestation of `item`. */
function contradictions(item: ChecklistItemDefinition, findings: readonly ReportFinding[], blocking: readonly Severity[]): ReportFinding[] {
  return findings.filter((f) => {
    if (f.status !== 'open' || !blocking.includes(f.severity)) return false;
    if (item.rule?.cwe && effectiveCwes(f).some((c) => item.rule!.cwe!.includes(c))) return true;
    return owaspFor(f, ALL_EDITIONS).some((id) => item.owasp.includes(id));
  });
}

function latestAttestations(state: ChecklistState | undefined): Map<string, { a: Attestation; index: number }> {
  const latest = new Map<string, { a: Attestation; index: number }>();
  (state?.attestations ?? []).forEach((a, index) => {
    const prev = latest.get(a.item);
    // The most recent statement wins; on equal dates the later entry in the file does.
    if (!prev || (parseInstant(a.at) ?? 0) >= (parseInstant(prev.a.at) ?? 0)) latest.set(a.item, { a, index });
  });
  return latest;
}

/** What hashing an evidence file for this build found: matches, changed, unusable or not checked. */
function checkEvidence(e: Evidence, hashes: ReadonlyMap<string, EvidenceHash> | undefined): EvidenceCheck | undefined {
  if (e.file === undefined) return undefined;
  const h = hashes?.get(e.file);
  if (!h) return { state: 'unchecked' };
  if ('problem' in h) return { state: h.problem };
  return { state: h.sha256 === e.sha256 ? 'matches' : 'changed', sha256: h.sha256 };
}

function attestationView(a: Attestation, hashes: ReadonlyMap<string, EvidenceHash> | undefined): AttestationView {
  const view: AttestationView = {
    status: a.status, by: a.by, at: a.at,
    evidence: (a.evidence ?? []).map((e) => {
      const check = checkEvidence(e, hashes);
      return check ? { ...e, check } : { ...e };
    }),
  };
  if (a.expires !== undefined) view.expires = a.expires;
  if (a.note !== undefined) view.note = a.note;
  return view;
}

/** The first evidence file that does not support the attestation now, and why. */
function evidenceProblem(view: AttestationView): { file: string; problem: EvidenceProblem } | undefined {
  for (const e of view.evidence) {
    if (e.file !== undefined && e.check && e.check.state !== 'matches') return { file: e.file, problem: e.check.state };
  }
  return undefined;
}

const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/**
 * Evaluate a checklist definition against the state file and the scan evidence.
 *
 * - An item with a rule is decided by it when one of its tools ran (pass/fail, with counts and
 *   the deciding fingerprints); when none ran it falls back to its attestation, else pending
 *   "not assessed". A rule's pass needs one counted run that is fresh and complete: on runs
 *   older than `policy.maxScanAgeDays` only it is `stale`, on runs that skipped files it is
 *   `partial` (a fail stands on any run: a finding is evidence at any age).
 * - An attested pass is `contradicted` when the item's rule fails or an open finding at a
 *   blocking severity maps to the item's CWEs or OWASP categories.
 * - Otherwise an attestation is `pending` when its evidence files do not match their recorded
 *   sha256 (`evidenceHashes`, computed by the bundle, or why a file is unusable), `expired` after
 *   its `expires` day, `stale` when older than `policy.maxEvidenceAgeDays`, else taken as stated:
 *   `pass`, `fail` or `not-applicable` (its own status, never a pass).
 * - Attestations for ids the definition does not have produce a warning with a pointer.
 */
export function evaluateChecklist(
  definition: ChecklistDefinition,
  state: ChecklistState | undefined,
  findings: readonly ReportFinding[],
  runs: readonly ScanRun[],
  settings: Pick<Settings, 'policy'>,
  now: Date,
  evidenceHashes?: ReadonlyMap<string, EvidenceHash>,
  stateFile?: string,
): ChecklistEvaluation {
  const diagnostics: Diagnostic[] = [];
  const ids = new Set(definition.items.map((i) => i.id));
  (state?.attestations ?? []).forEach((a, i) => {
    if (!ids.has(a.item)) {
      diagnostics.push(diag('checklist/unknown-item', 'warning', `attestation for "${a.item}", which checklist ${definition.id}@${definition.version} does not define; it is ignored`, {
        ...(stateFile ? { file: stateFile } : {}), pointer: pointer('attestations', i, 'item'),
        expected: `one of the item ids of ${definition.id}@${definition.version}`, fix: 'correct the item id or remove the attestation',
      }));
    }
  });
  if (state?.checklist) {
    const [wantId, range] = state.checklist.split('@') as [string, string];
    if (wantId !== definition.id || !satisfies(definition.version, range)) {
      diagnostics.push(diag('checklist/definition-mismatch', 'warning', `the state file was written for checklist ${state.checklist}, but ${definition.id}@${definition.version} is being evaluated`, {
        ...(stateFile ? { file: stateFile } : {}), pointer: '/checklist',
        expected: `${definition.id}@<range matching ${definition.version}>`, fix: 'select the matching checklist definition (config `checklist:`), or update the state file to the new definition and re-attest',
      }));
    }
  }
  const latest = latestAttestations(state);
  const nowMs = now.getTime();
  const { blockingSeverities, maxEvidenceAgeDays, maxScanAgeDays } = settings.policy;
  const evidence = runs.map((r) => runEvidence(r, maxScanAgeDays, nowMs));

  const items = definition.items.map((item): ChecklistItemResult => {
    const base: Pick<ChecklistItemResult, 'id' | 'title' | 'owasp' | 'section' | 'rule'> = { id: item.id, title: item.title, owasp: [...item.owasp], section: item.section };
    if (item.rule) base.rule = { ...item.rule };
    const att = latest.get(item.id)?.a;
    const view = att ? attestationView(att, evidenceHashes) : undefined;
    const who: Attested | undefined = att ? { status: att.status, by: att.by, at: att.at } : undefined;
    let evaluation: RuleEvaluation | undefined;
    const result = (basis: ChecklistItemResult['basis'], status: ChecklistItemResult['status'], reason: ChecklistReason, findings: readonly ReportFinding[] = []): ChecklistItemResult => {
      const r: ChecklistItemResult = { ...base, basis, status, reason, findings: findings.map((f) => f.fingerprint) };
      if (evaluation) r.evaluation = evaluation;
      if (view) r.attestation = view;
      return r;
    };

    // Automatic decision when the rule's tools ran.
    let ruleFailed: { matched: ReportFinding[]; count: RuleCount } | undefined;
    let notAssessed: string[] | undefined;
    if (item.rule) {
      const rule = item.rule;
      const counted = runs.flatMap((r, i) => (!rule.tools || rule.tools.includes(r.tool.name) ? [i] : []));
      if (counted.length > 0) {
        const matched = ruleMatches(rule, findings);
        const { severityAtLeast: _threshold, ...withoutThreshold } = rule;
        const matchedSet = new Set(matched);
        const below = rule.severityAtLeast ? ruleMatches(withoutThreshold, findings).filter((f) => !matchedSet.has(f)) : [];
        const tools = sortedUnique(counted.map((i) => runs[i]!.tool.name));
        evaluation = { tools, runs: counted, matched: matched.length, maxCount: rule.maxCount, belowThreshold: below.map((f) => f.fingerprint) };
        const count: RuleCount = { matched: matched.length, maxCount: rule.maxCount, tools };
        if (matched.length <= rule.maxCount) {
          // A person who found a problem the scanners cannot see overrides the automatic pass.
          if (who && who.status === 'fail') return result('attested', 'fail', { code: 'attested-fail-over-rule', args: { ...who, ...count } });
          const strength = evidenceStrength(counted.map((i) => evidence[i]!));
          if (strength === 'confirmed') return result('automatic', 'pass', { code: 'rule-pass', args: count }, matched);
          if (strength === 'partial') {
            const partial = counted.filter((i) => evidence[i]!.notScanned > 0);
            return result('automatic', 'partial', {
              code: 'rule-pass-partial',
              args: { ...count, partialTools: sortedUnique(partial.map((i) => runs[i]!.tool.name)), notScanned: partial.reduce((n, i) => n + evidence[i]!.notScanned, 0) },
            }, matched);
          }
          const stale = counted.filter((i) => evidence[i]!.freshness === 'stale');
          return result('automatic', 'stale', { code: 'rule-pass-stale', args: { ...count, staleTools: sortedUnique(stale.map((i) => runs[i]!.tool.name)), maxScanAgeDays } }, matched);
        }
        ruleFailed = { matched, count };
        if (!who || who.status !== 'pass') return result('automatic', 'fail', { code: 'rule-fail', args: count }, matched);
      } else {
        notAssessed = rule.tools ? [...rule.tools] : [];
      }
    }

    if (!att || !who || !view) {
      return result('none', 'pending', notAssessed ? { code: 'rule-not-assessed', args: { tools: notAssessed } } : { code: 'no-attestation', args: {} });
    }
    if (who.status === 'pass') {
      if (ruleFailed) return result('attested', 'contradicted', { code: 'contradicted-by-rule', args: { ...who, ...ruleFailed.count } }, ruleFailed.matched);
      const against = contradictions(item, findings, blockingSeverities);
      if (against.length > 0) {
        return result('attested', 'contradicted', { code: 'contradicted-by-findings', args: { ...who, count: against.length, blockingSeverities: [...blockingSeverities] } }, against);
      }
    }
    const problem = evidenceProblem(view);
    if (problem) return result('attested', 'pending', { code: 'evidence-not-accepted', args: { ...who, ...problem } });
    const expires = att.expires !== undefined ? expiryInstant(att.expires) : undefined;
    if (att.expires !== undefined && expires !== undefined && nowMs >= expires) {
      return result('attested', 'expired', { code: 'attestation-expired', args: { ...who, expires: att.expires } });
    }
    const at = parseInstant(att.at) ?? nowMs;
    const ageDays = daysBetween(at, nowMs);
    if (ageDays > maxEvidenceAgeDays) {
      return result('attested', 'stale', { code: 'attestation-stale', args: { ...who, ageDays, maxEvidenceAgeDays, staleSince: isoDay(at + (maxEvidenceAgeDays + 1) * 86_400_000) } });
    }
    return result('attested', who.status, { code: 'attested', args: who });
  });
  return { items, diagnostics };
}
