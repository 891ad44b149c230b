/**
 * First-seen dates from earlier reports: each earlier report's findings are matched to the
 * current ones with the diff's own matcher (fingerprint first, then the weaker strategies), and
 * a matched finding was first seen on the earlier report's own `firstSeen` date, else on that
 * report's creation day. The earliest wins over all earlier reports. Pure.
 */
import type { Report, ReportFinding } from '../model/report.ts';
import { matchFindings } from './match.ts';

/** An earlier report and how it was given. */
export interface EarlierReport {
  report: Report;
  from: 'baseline' | 'history';
  /** Its path and hash, recorded as a `history` input of the build. */
  file: string;
  sha256: string;
}

/** A resolver for `enrich`: for each current finding, where an earlier report saw it first. */
export function firstSeenFrom(earlier: readonly EarlierReport[]): (findings: readonly ReportFinding[]) => Array<{ date: string; from: 'baseline' | 'history' } | undefined> {
  return (findings) => {
    const out: Array<{ date: string; from: 'baseline' | 'history' } | undefined> = new Array(findings.length).fill(undefined);
    for (const e of earlier) {
      const created = e.report.metadata.created.slice(0, 10);
      const m = matchFindings(e.report.findings, findings);
      for (const p of m.pairs) {
        const b = e.report.findings[p.baseline]!;
        const own = b.firstSeen?.date ?? b.sla?.firstSeen;
        const date = own !== undefined && own < created ? own : created;
        const cur = out[p.current];
        if (!cur || date < cur.date) out[p.current] = { date, from: e.from };
      }
    }
    return out;
  };
}
