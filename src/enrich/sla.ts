/**
 * Remediation deadlines (`policy.sla`). An open finding at a severity with a deadline gets its
 * first-seen date — from the baseline or a history report (the earliest report it matched in,
 * carried forward through their own `sla.firstSeen`), else the day its scan ran, else the
 * report's day — plus the allowed days as its due date, and the whole days past it.
 *
 * Waived, suppressed and VEX `not_affected` findings have no deadline. A finding whose waiver
 * expired is open again and is measured from its original first-seen date, so letting a waiver
 * lapse never resets the clock. Pure.
 */
import { addDays, daysBetween, isoDay, parseInstant, parseScanTime } from '../model/dates.ts';
import type { ReportFinding } from '../model/report.ts';
import type { FindingSla, OverdueRow } from '../model/risk.ts';
import { severityRank } from '../model/severity.ts';
import type { Severity } from '../model/types.ts';

/** Where an earlier report saw a finding first. */
export interface FirstSeen {
  /** `YYYY-MM-DD`. */
  date: string;
  from: 'baseline' | 'history';
}

/** The first-seen day of finding `i` and where it comes from: an earlier report if it saw it before this scan, else this scan (its run's day, else today). */
export function firstSeenDays(findings: readonly ReportFinding[], firstSeen: ReadonlyArray<FirstSeen | undefined>, runStarted: readonly (string | undefined)[], now: Date): Array<{ date: string; from: FindingSla['firstSeenFrom'] }> {
  const today = isoDay(now.getTime());
  return findings.map((f, i) => {
    const scanned = parseScanTime(runStarted[f.run]);
    // A scan stamped after the report's own time (a clock ahead, or a report dated to its release) cannot have been seen later than the report.
    const scanDay = scanned !== undefined && isoDay(scanned) < today ? isoDay(scanned) : today;
    const earlier = firstSeen[i];
    return earlier && earlier.date < scanDay ? { date: earlier.date, from: earlier.from } : { date: scanDay, from: 'scan' };
  });
}

/** Deadlines for open findings, given each one's first-seen day. */
export function applySla(
  findings: readonly ReportFinding[], sla: Partial<Record<Severity, number>>, first: ReadonlyArray<{ date: string; from: FindingSla['firstSeenFrom'] }>, now: Date,
): { findings: ReportFinding[]; overdue: OverdueRow[] } {
  const nowMs = now.getTime();
  const overdue: OverdueRow[] = [];
  const out = findings.map((f, i) => {
    const days = sla[f.severity];
    if (f.status !== 'open' || days === undefined) return f;
    const { date: firstDay, from } = first[i]!;
    const due = isoDay(addDays(parseInstant(firstDay)!, days));
    const late = Math.max(0, daysBetween(parseInstant(due)!, nowMs));
    const s: FindingSla = { firstSeen: firstDay, firstSeenFrom: from, days, due, overdueDays: late };
    if (late > 0) overdue.push({ fingerprint: f.fingerprint, severity: f.severity, firstSeen: firstDay, due, overdueDays: late });
    return { ...f, sla: s };
  });
  overdue.sort((a, b) => b.overdueDays - a.overdueDays || severityRank(a.severity) - severityRank(b.severity) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { findings: out, overdue };
}
