import type { Suppression } from './types.ts';

/**
 * SARIF 2.1.0 (§3.27.23 `result.suppressions`): a result is suppressed only when it has at least
 * one suppression and none of them is `underReview` or `rejected`. A suppression without a status
 * counts as accepted. Every reader's suppressions are judged by this one rule.
 */
export function isSuppressed(suppressions: readonly Suppression[] | undefined): boolean {
  return suppressions !== undefined && suppressions.length > 0 && suppressions.every((s) => s.status === undefined || s.status === 'accepted');
}
