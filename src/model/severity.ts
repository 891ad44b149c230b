import type { Severity } from './types.ts';

/** Severities from worst to least; `unknown` sorts last but is never treated as "fine". */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

/** Rank for sorting: 0 = critical ... 5 = unknown. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** True when `s` is at least as severe as `threshold` (`unknown` meets no threshold but `unknown`). */
export function atLeast(s: Severity, threshold: Severity): boolean {
  if (s === 'unknown' || threshold === 'unknown') return s === threshold;
  return severityRank(s) <= severityRank(threshold);
}

/**
 * Band a CVSS base score (v3/v4 qualitative rating scale, FIRST): 9.0-10 critical, 7.0-8.9 high,
 * 4.0-6.9 medium, 0.1-3.9 low, 0 info. Non-finite or out-of-range scores give `unknown`.
 */
export function fromCvssScore(score: number): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/**
 * Map a severity word through a tool's fixed table. Matching is case-insensitive and ignores
 * surrounding white space (`"Critical "`), but never guesses: a word not in the table gives
 * `undefined` so the reader can report it naming the allowed values.
 */
export function fromTable(raw: unknown, table: Readonly<Record<string, Severity>>): Severity | undefined {
  if (typeof raw !== 'string') return undefined;
  const key = raw.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
