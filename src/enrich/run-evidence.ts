import { daysBetween, parseScanTime } from '../model/dates.ts';
import type { RunFreshness } from '../model/report.ts';
import type { ScanRun } from '../model/types.ts';

/** How far one run's evidence can be trusted: its age and what it skipped. */
export interface RunEvidence {
  freshness: RunFreshness;
  /** Whole days from the scan time to the report's creation; absent when the tool wrote no time. */
  ageDays?: number;
  /** Files or packages the run could not scan. */
  notScanned: number;
}

/**
 * The strength of a set of runs as evidence that "nothing was found": `confirmed` when one of
 * them is fresh and complete, else `partial` when one is fresh but skipped something, else
 * `stale` when all are older than the policy allows, `none` without runs.
 */
export type EvidenceStrength = 'confirmed' | 'partial' | 'stale' | 'none';

/**
 * Age and completeness of a run. A run without a scan time is `undated`: its age cannot be
 * checked, and it is not called stale on a guess; the document says "scan time not recorded"
 * wherever such a run is the evidence (decision recorded in docs/enrich.md).
 */
export function runEvidence(run: Pick<ScanRun, 'startedAt' | 'notScanned'>, maxScanAgeDays: number, nowMs: number): RunEvidence {
  const started = parseScanTime(run.startedAt);
  const notScanned = run.notScanned.length;
  if (started === undefined) return { freshness: 'undated', notScanned };
  const ageDays = daysBetween(started, nowMs);
  return { freshness: ageDays > maxScanAgeDays ? 'stale' : 'fresh', ageDays, notScanned };
}

/** A run that can confirm a pass: not stale and nothing skipped. */
export function confirms(e: RunEvidence): boolean {
  return e.freshness !== 'stale' && e.notScanned === 0;
}

/** The strength of several runs together; see {@link EvidenceStrength}. */
export function evidenceStrength(evidence: readonly RunEvidence[]): EvidenceStrength {
  if (evidence.length === 0) return 'none';
  if (evidence.some(confirms)) return 'confirmed';
  if (evidence.some((e) => e.freshness !== 'stale')) return 'partial';
  return 'stale';
}
