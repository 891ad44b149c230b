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
function ranks(values: readonly string[]): { ranks: Uint32Array; count: number } {
  const distinct = [...new Set(values)].sort(cmp);
  const at = new Map(distinct.map((v, i) => [v, i]));
  return { ranks: Uint32Array.from(values, (v) => at.get(v)!), count: distinct.length };
}

/**
 * Sort findings into the {@link compareFindings} order, returning a new array. Keys are read once
 * per finding; rule ids, places and tools (few distinct values, compared in almost every
 * comparison) become their ranks, and severity, rule, place and line are packed into one number
 * whenever it fits in 53 bits, so most comparisons are one subtraction. On 100,000 findings this is
 * many times faster than `.sort(compareFindings)`, with the same order; ties keep input order.
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  const n = findings.length;
  const keys = findings.map(orderKey);
  const rule = ranks(keys.map((k) => k.ruleId));
  const place = ranks(keys.map((k) => k.place));
  const tool = ranks(keys.map((k) => k.tool)).ranks;
  let maxLine = 0;
  for (const k of keys) if (k.line > maxLine) maxLine = k.line;
  const lines = Number.isSafeInteger(maxLine) ? maxLine + 1 : Infinity;
  const packed = 6 * rule.count * place.count * lines <= Number.MAX_SAFE_INTEGER;
  const primary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    primary[i] = packed ? ((k.rank * rule.count + rule.ranks[i]!) * place.count + place.ranks[i]!) * lines + k.line : 0;
  }
  const rest = (a: number, b: number) => cmp(keys[a]!.fingerprint, keys[b]!.fingerprint) || tool[a]! - tool[b]! || a - b;
  let order: number[];
  if (packed && 6 * rule.count * place.count * lines * Math.max(n, 1) <= Number.MAX_SAFE_INTEGER) {
    // The packed key times n plus the index is still exact: a plain numeric sort of one typed
    // array (no comparator calls at all) orders by it, and only runs of equal keys, findings on
    // one line under one rule, are finished with the fingerprint comparison.
    const combined = new Float64Array(n);
    for (let i = 0; i < n; i++) combined[i] = primary[i]! * n + i;
    combined.sort();
    order = Array.from(combined, (c) => c % n);
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && primary[order[end]!] === primary[order[start]!]) end++;
      if (end - start > 1) {
        const run = order.slice(start, end).sort(rest);
        for (let k = 0; k < run.length; k++) order[start + k] = run[k]!;
      }
      start = end;
    }
  } else {
    order = Array.from({ length: n }, (_v, i) => i);
    order.sort((a, b) => {
      if (packed) {
        const d = primary[a]! - primary[b]!;
        if (d !== 0) return d;
      } else {
        const ka = keys[a]!, kb = keys[b]!;
        const d = ka.rank - kb.rank || rule.ranks[a]! - rule.ranks[b]! || place.ranks[a]! - place.ranks[b]! || ka.line - kb.line;
        if (d !== 0) return d;
      }
      return rest(a, b);
    });
  }
  return order.map((i) => findings[i]!);
}
