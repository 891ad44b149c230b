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
    place: f.location?.path ?? f.web?.url ?? f.package?.name ?? '',
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

/** Each value's position among the sorted distinct values, so comparisons become integer ones. */
function ranks(values: readonly string[]): Uint32Array {
  const distinct = [...new Set(values)].sort(cmp);
  const at = new Map(distinct.map((v, i) => [v, i]));
  return Uint32Array.from(values, (v) => at.get(v)!);
}

/**
 * Sort findings into the {@link compareFindings} order, returning a new array (stable). Keys are
 * computed once per finding, and rule ids, places and tools (few distinct values, compared in
 * almost every comparison) are replaced by their ranks: on 100,000 findings this is several
 * times faster than `.sort(compareFindings)`, with the same order.
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  const keys = findings.map(orderKey);
  const rule = ranks(keys.map((k) => k.ruleId));
  const place = ranks(keys.map((k) => k.place));
  const tool = ranks(keys.map((k) => k.tool));
  const order = Array.from(findings, (_f, i) => i);
  order.sort((a, b) => {
    const ka = keys[a]!, kb = keys[b]!;
    return ka.rank - kb.rank || rule[a]! - rule[b]! || place[a]! - place[b]! || ka.line - kb.line || cmp(ka.fingerprint, kb.fingerprint) || tool[a]! - tool[b]!;
  });
  return order.map((i) => findings[i]!);
}
