/**
 * "Fix first": open findings ordered by what makes them urgent, each row with the typed reasons
 * that placed it. Order: in the CISA KEV catalog first; then higher EPSS score (no score last);
 * then worse severity; then higher CVSS score (the preferred one, see `preferredCvss`); then
 * older first-seen date; then fingerprint, so equal findings keep one order. Pure.
 */
import { daysBetween, parseInstant } from '../model/dates.ts';
import { compareFindings } from '../model/order.ts';
import type { ReportFinding } from '../model/report.ts';
import type { FixFirstRow, RiskReason } from '../model/risk.ts';
import { severityRank } from '../model/severity.ts';
import { preferredCvss } from './exploitability.ts';

interface Key {
  f: ReportFinding;
  kev: boolean;
  epss: number;
  sev: number;
  cvss: number;
  first: string;
  i: number;
}

/** The fix-first rows of the open findings. */
export function fixFirst(findings: readonly ReportFinding[], firstSeen: readonly string[], now: Date): FixFirstRow[] {
  const keys: Key[] = findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.status === 'open')
    .map(({ f, i }) => ({
      f, kev: f.exploit?.kev !== undefined, epss: f.exploit?.epss?.score ?? -1, sev: severityRank(f.severity),
      cvss: preferredCvss(f.cvssScores ?? [])?.score ?? -1, first: firstSeen[i] ?? '9999-12-31', i,
    }));
  keys.sort((a, b) =>
    Number(b.kev) - Number(a.kev) || b.epss - a.epss || a.sev - b.sev || b.cvss - a.cvss || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)
    || (a.f.fingerprint < b.f.fingerprint ? -1 : a.f.fingerprint > b.f.fingerprint ? 1 : 0) || compareFindings(a.f, b.f) || a.f.run - b.f.run);
  return keys.map((k, i) => ({ rank: i + 1, fingerprint: k.f.fingerprint, reasons: reasonsOf(k.f, k.first, now) }));
}

function reasonsOf(f: ReportFinding, first: string, now: Date): RiskReason[] {
  const out: RiskReason[] = [];
  const kev = f.exploit?.kev;
  if (kev) out.push({ code: 'fix-first/kev', args: { cve: kev.cve, ...(kev.dateAdded ? { dateAdded: kev.dateAdded } : {}), ...(kev.ransomware ? { ransomware: kev.ransomware } : {}), source: kev.source.kind } });
  const epss = f.exploit?.epss;
  if (epss) out.push({ code: 'fix-first/epss', args: { cve: epss.cve, score: epss.score, percentile: epss.percentile, date: epss.date, source: epss.source.kind } });
  const cvss = preferredCvss(f.cvssScores ?? []);
  out.push({ code: 'fix-first/severity', args: { severity: f.severity, ...(cvss ? { cvss: cvss.score, cvssVersion: cvss.version, cvssSource: cvss.source.name } : {}) } });
  const t = parseInstant(first);
  if (t !== undefined) out.push({ code: 'fix-first/age', args: { firstSeen: first, days: Math.max(0, daysBetween(t, now.getTime())) } });
  return out;
}
