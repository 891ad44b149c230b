import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportDiff } from '../model/diff.ts';
import type { OverallStatus, Report } from '../model/report.ts';
import { atLeast, SEVERITIES } from '../model/severity.ts';
import type { Severity } from '../model/types.ts';
import { plural } from '../model/words.ts';

/** A `--fail-on` rule, parsed. */
export type Gate =
  | { kind: 'new'; severity: Severity | 'any'; text: string }
  | { kind: 'status'; status: OverallStatus; text: string }
  | { kind: 'expired-waivers'; text: string }
  | { kind: 'absent-coverage'; text: string }
  | { kind: 'kev'; text: string }
  | { kind: 'sla-overdue'; text: string };

/** Result of one gate: failed or not, and one line saying why with counts. */
export interface GateResult {
  gate: string;
  failed: boolean;
  reason: string;
}

/** Overall statuses from best to worst: a `status:` gate fails at its status or any worse one. */
export const STATUS_ORDER: readonly OverallStatus[] = ['VALIDATED', 'CONDITIONAL', 'REMEDIATION REQUIRED'];

/** Every valid gate form, for usage messages and `--help`. */
export const GATE_FORMS: readonly string[] = [
  ...SEVERITIES.filter((s) => s !== 'unknown').map((s) => `new:${s}`),
  'new:any',
  ...STATUS_ORDER.map((s) => `status:${s}`),
  'expired-waivers',
  'absent-coverage',
  'kev',
  'sla-overdue',
];

/** Gates that only make sense with a baseline (`auditmark diff`). */
export const DIFF_ONLY: ReadonlySet<Gate['kind']> = new Set(['new', 'absent-coverage']);

/**
 * Parse one `--fail-on` value. Case-insensitive for the keyword and severity; the status is matched
 * after collapsing spaces, underscores and dashes (`status:remediation-required` works).
 * `context: 'build'` rejects the gates that need a baseline instead of letting them pass silently.
 */
export function parseGate(text: string, context: 'build' | 'diff' = 'diff'): { gate?: Gate; diagnostics: Diagnostic[] } {
  const raw = text.trim();
  const usage = (why: string) => ({
    diagnostics: [diag('usage/invalid-gate', 'error', `invalid --fail-on "${raw}": ${why}`, {
      expected: `one of: ${GATE_FORMS.join(', ')}`,
      fix: 'pass --fail-on once per rule, e.g. --fail-on new:high --fail-on "status:REMEDIATION REQUIRED"',
    })],
  });
  const m = /^([a-z-]+)(?::(.*))?$/i.exec(raw);
  if (!m) return usage('not of the form <kind>[:<value>]');
  const kind = m[1]!.toLowerCase();
  const value = m[2]?.trim();
  let gate: Gate;
  if (kind === 'new') {
    const sev = value?.toLowerCase();
    if (sev === 'any') gate = { kind: 'new', severity: 'any', text: 'new:any' };
    else if (sev && sev !== 'unknown' && (SEVERITIES as readonly string[]).includes(sev)) gate = { kind: 'new', severity: sev as Severity, text: `new:${sev}` };
    else return usage(`"${value ?? ''}" is not a severity`);
  } else if (kind === 'status') {
    const want = (value ?? '').toUpperCase().replace(/[\s_-]+/g, ' ');
    const status = STATUS_ORDER.find((s) => s === want);
    if (!status) return usage(`"${value ?? ''}" is not an overall status`);
    gate = { kind: 'status', status, text: `status:${status}` };
  } else if ((kind === 'expired-waivers' || kind === 'absent-coverage' || kind === 'kev' || kind === 'sla-overdue') && value === undefined) {
    gate = { kind, text: kind };
  } else {
    return usage(`unknown gate "${kind}"`);
  }
  if (context === 'build' && DIFF_ONLY.has(gate.kind)) {
    return {
      diagnostics: [diag('usage/gate-needs-baseline', 'error', `--fail-on ${gate.text} compares against a baseline; it applies to auditmark diff, not build`, {
        expected: 'status:<STATUS> or expired-waivers for build',
        fix: `run auditmark diff <baseline> <current> --fail-on ${gate.text}`,
      })],
    };
  }
  return { gate, diagnostics: [] };
}

const isDiff = (x: ReportDiff | Report): x is ReportDiff => (x as ReportDiff).kind === 'diff';


/** Parse every `--fail-on` value; the gates that parsed plus a diagnostic for each that did not. */
export function parseGates(texts: readonly string[] | undefined, context: 'build' | 'diff'): { gates: Gate[]; diagnostics: Diagnostic[] } {
  const gates: Gate[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const text of texts ?? []) {
    const r = parseGate(text, context);
    diagnostics.push(...r.diagnostics);
    if (r.gate) gates.push(r.gate);
  }
  return { gates, diagnostics };
}

/**
 * Evaluate gates against a diff or a report. Pure. New-finding gates count open new findings at the
 * threshold or worse; a new finding of `unknown` severity meets every threshold, because an
 * unrated finding is never taken to be harmless. Waived and suppressed new findings do not count.
 */
export function evaluateGates(gates: readonly Gate[], subject: ReportDiff | Report): GateResult[] {
  return gates.map((g) => evaluate(g, subject));
}

function evaluate(g: Gate, subject: ReportDiff | Report): GateResult {
  const result = (failed: boolean, reason: string): GateResult => ({ gate: g.text, failed, reason });
  switch (g.kind) {
    case 'new': {
      if (!isDiff(subject)) return result(true, `${g.text} needs a baseline; it cannot be evaluated on a single report`);
      const hits = subject.findings.filter(
        (f) => f.state === 'new' && f.current?.status === 'open' && (g.severity === 'any' || f.severity === 'unknown' || atLeast(f.severity, g.severity)),
      );
      const by = SEVERITIES.map((s) => [s, hits.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
      const detail = by.length ? ` (${by.map(([s, n]) => `${n} ${s}`).join(', ')})` : '';
      const what = g.severity === 'any' ? 'open new' : `open new ${g.severity}-or-worse`;
      return result(hits.length > 0, `${plural(hits.length, `${what} finding`)}${detail}`);
    }
    case 'status': {
      const status = isDiff(subject) ? subject.current.status : subject.status.overall;
      const failed = STATUS_ORDER.indexOf(status) >= STATUS_ORDER.indexOf(g.status);
      return result(failed, `overall status is ${status}${failed ? `, at or worse than ${g.status}` : `, better than ${g.status}`}`);
    }
    case 'expired-waivers': {
      const expired = isDiff(subject) ? subject.waivers.currentlyExpired.map((w) => w.id) : subject.waivers.filter((w) => w.state === 'expired').map((w) => w.id);
      return result(expired.length > 0, `${plural(expired.length, 'expired waiver')}${expired.length ? `: ${expired.slice(0, 5).join(', ')}${expired.length > 5 ? ', …' : ''}` : ''}`);
    }
    case 'kev': {
      // Open findings of the report, or of the diff's current side (new, unchanged, updated).
      const hits = isDiff(subject)
        ? subject.findings.filter((f) => f.current?.status === 'open' && f.current.kev).map((f) => f.ruleId)
        : subject.findings.filter((f) => f.status === 'open' && f.exploit?.kev).map((f) => f.exploit!.kev!.cve);
      const ids = [...new Set(hits)].sort();
      return result(ids.length > 0, `${plural(hits.length, 'open finding')} in the CISA KEV catalog${ids.length ? `: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}` : ''}`);
    }
    case 'sla-overdue': {
      const late = isDiff(subject)
        ? subject.findings.filter((f) => f.current?.status === 'open' && (f.current.overdueDays ?? 0) > 0).map((f) => f.current!.overdueDays!)
        : subject.findings.filter((f) => f.status === 'open' && (f.sla?.overdueDays ?? 0) > 0).map((f) => f.sla!.overdueDays);
      const worst = late.length ? Math.max(...late) : 0;
      return result(late.length > 0, late.length ? `${plural(late.length, 'open finding')} past the SLA due date (most overdue: ${plural(worst, 'day')})` : 'no open finding past its SLA due date');
    }
    case 'absent-coverage': {
      if (!isDiff(subject)) return result(true, `${g.text} needs a baseline; it cannot be evaluated on a single report`);
      const gone = subject.coverage.toolsNotRun;
      return result(gone.length > 0, gone.length
        ? `${plural(gone.length, 'tool')} ran on the baseline but not now (${gone.join(', ')}); ${plural(subject.summary.notAssessed, 'finding')} not assessed`
        : 'every baseline tool ran again');
    }
  }
}
