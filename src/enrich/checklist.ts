import semver from 'semver';
import type { OwaspEdition, Settings } from '../model/config.ts';
import type { Attestation, ChecklistDefinition, ChecklistItemDefinition, ChecklistRule, ChecklistState, EvidenceHash } from '../model/checklist.ts';
import { diag, pointer, type Diagnostic } from '../model/diagnostics.ts';
import type { ChecklistItemResult, ReportFinding } from '../model/report.ts';
import { atLeast } from '../model/severity.ts';
import type { ScanRun, Severity } from '../model/types.ts';
import { daysBetween, expiryInstant, isoDay, parseInstant } from '../model/dates.ts';
import { effectiveCwes, owaspFor } from './owasp.ts';

/** What {@link evaluateChecklist} returns: one result per definition item, plus warnings about the state. */
export interface ChecklistEvaluation {
  items: ChecklistItemResult[];
  diagnostics: Diagnostic[];
}

const ALL_EDITIONS: readonly OwaspEdition[] = ['2021', '2025'];

function list(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Findings an automatic rule counts: open ones only (waived and suppressed findings are accepted). */
function ruleMatches(rule: ChecklistRule, findings: readonly ReportFinding[]): ReportFinding[] {
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

/** Why an attestation's evidence is not accepted, or undefined when every evidence file still matches. */
function evidenceProblem(a: Attestation, hashes: Readonly<Record<string, EvidenceHash>> | undefined): string | undefined {
  for (const e of a.evidence ?? []) {
    if (e.file === undefined) continue;
    const current = hashes?.[e.file];
    if (current === undefined) return `evidence file ${e.file} was not checked (no current hash available)`;
    if (current === null) return `evidence file ${e.file} is missing`;
    if (typeof current !== 'string') return `evidence file ${e.file} is not usable: ${current.unusable}`;
    if (current !== e.sha256) return `evidence file ${e.file} changed since the attestation (sha256 recorded ${e.sha256?.slice(0, 12)}…, now ${current.slice(0, 12)}…)`;
  }
  return undefined;
}

function attestationView(a: Attestation): NonNullable<ChecklistItemResult['attestation']> {
  const view: NonNullable<ChecklistItemResult['attestation']> = { status: a.status, by: a.by, at: a.at, evidence: (a.evidence ?? []).map((e) => ({ ...e })) };
  if (a.expires !== undefined) view.expires = a.expires;
  return view;
}

/**
 * Evaluate a checklist definition against the state file and the scan evidence.
 *
 * - An item with a rule is decided by it when one of its tools ran (pass/fail, with counts and
 *   the deciding fingerprints); when none ran it falls back to its attestation, else pending
 *   "not assessed".
 * - An attested pass is `contradicted` when the item's rule fails or an open finding at a
 *   blocking severity maps to the item's CWEs or OWASP categories.
 * - Otherwise an attestation is `pending` when its evidence files do not match their recorded
 *   sha256 (`evidenceHashes`, computed by the CLI; `null` = file missing, `{ unusable }` = refused), `expired` after its
 *   `expires` day, `stale` when older than `policy.maxEvidenceAgeDays`, else taken as stated
 *   (`not-applicable` counts as pass and says so).
 * - Attestations for ids the definition does not have produce a warning with a pointer.
 */
export function evaluateChecklist(
  definition: ChecklistDefinition,
  state: ChecklistState | undefined,
  findings: readonly ReportFinding[],
  runs: readonly ScanRun[],
  settings: Pick<Settings, 'policy'>,
  now: Date,
  evidenceHashes?: Readonly<Record<string, EvidenceHash>>,
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
    if (wantId !== definition.id || !semver.satisfies(definition.version, range)) {
      diagnostics.push(diag('checklist/definition-mismatch', 'warning', `the state file was written for checklist ${state.checklist}, but ${definition.id}@${definition.version} is being evaluated`, {
        ...(stateFile ? { file: stateFile } : {}), pointer: '/checklist',
        expected: `${definition.id}@<range matching ${definition.version}>`, fix: 'select the matching checklist definition (config `checklist:`), or update the state file to the new definition and re-attest',
      }));
    }
  }
  const latest = latestAttestations(state);
  const ran = new Set(runs.map((r) => r.tool.name));
  const nowMs = now.getTime();
  const { blockingSeverities, maxEvidenceAgeDays } = settings.policy;

  const items = definition.items.map((item): ChecklistItemResult => {
    const base = { id: item.id, title: item.title, owasp: [...item.owasp], section: item.section };
    const att = latest.get(item.id)?.a;
    const withAtt = (r: ChecklistItemResult): ChecklistItemResult => (att ? { ...r, attestation: attestationView(att) } : r);

    // Automatic decision when the rule's tools ran.
    let ruleFailed: ReportFinding[] | undefined;
    let notAssessed: string | undefined;
    if (item.rule) {
      const rule = item.rule;
      const decidable = rule.tools ? rule.tools.some((t) => ran.has(t)) : runs.length > 0;
      if (decidable) {
        const matched = ruleMatches(rule, findings);
        const by = rule.tools ? rule.tools.filter((t) => ran.has(t)) : [...ran].sort();
        const counted = `${plural(matched.length, 'open matching finding')} (allowed ${rule.maxCount}) from ${by.join(', ')}`;
        if (matched.length <= rule.maxCount) {
          // A person who found a problem the scanners cannot see overrides the automatic pass.
          if (att?.status === 'fail') {
            return withAtt({ ...base, basis: 'attested', status: 'fail', reason: `fail attested by ${att.by} on ${att.at} (the scan rule alone finds ${counted})`, findings: [] });
          }
          return withAtt({ ...base, basis: 'automatic', status: 'pass', reason: counted, findings: matched.map((f) => f.fingerprint) });
        }
        ruleFailed = matched;
        if (!att || att.status !== 'pass') {
          return withAtt({ ...base, basis: 'automatic', status: 'fail', reason: counted, findings: matched.map((f) => f.fingerprint) });
        }
      } else {
        notAssessed = rule.tools ? `not assessed: ${rule.tools.length === 1 ? `${rule.tools[0]} did not run` : `none of ${list(rule.tools)} ran`}` : 'not assessed: no scan ran';
      }
    }

    if (!att) {
      return { ...base, basis: 'none', status: 'pending', reason: notAssessed ?? 'no attestation recorded', findings: [] };
    }
    const who = `${att.status} attested by ${att.by} on ${att.at}`;
    if (att.status === 'pass') {
      const against = ruleFailed ?? contradictions(item, findings, blockingSeverities);
      if (against.length > 0) {
        const why = ruleFailed
          ? `the item's rule finds ${plural(against.length, 'open finding')} (allowed ${item.rule!.maxCount})`
          : `${plural(against.length, 'open finding')} at a blocking severity (${blockingSeverities.join('/')}) map to this item`;
        return withAtt({ ...base, basis: 'attested', status: 'contradicted', reason: `${who}, but ${why}`, findings: against.map((f) => f.fingerprint) });
      }
    }
    const problem = evidenceProblem(att, evidenceHashes);
    if (problem) return withAtt({ ...base, basis: 'attested', status: 'pending', reason: `attestation not accepted: ${problem}`, findings: [] });
    const expires = att.expires !== undefined ? expiryInstant(att.expires) : undefined;
    if (expires !== undefined && nowMs >= expires) {
      return withAtt({ ...base, basis: 'attested', status: 'expired', reason: `${who}; expired after ${att.expires}`, findings: [] });
    }
    const at = parseInstant(att.at) ?? nowMs;
    const age = daysBetween(at, nowMs);
    if (age > maxEvidenceAgeDays) {
      return withAtt({ ...base, basis: 'attested', status: 'stale', reason: `${who}; ${age} days old, policy allows ${maxEvidenceAgeDays} (stale since ${isoDay(at + (maxEvidenceAgeDays + 1) * 86_400_000)})`, findings: [] });
    }
    const status = att.status === 'fail' ? 'fail' : 'pass';
    const na = att.status === 'not-applicable' ? ' (not applicable)' : '';
    return withAtt({ ...base, basis: 'attested', status, reason: `${who}${na}`, findings: [] });
  });
  return { items, diagnostics };
}
