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

/** One column of sort keys: numbers (ascending; never NaN) or strings (UTF-16 code-unit order, as `<` compares them). */
export type SortColumn = ArrayLike<number> | readonly string[];

interface Ranked {
  ranks: Uint32Array;
  count: number;
}

/**
 * Each value's position among the column's sorted distinct values, so comparisons become integer
 * ones; `undefined` as soon as there are more than `limit` distinct values (a column that does
 * not fit the packed key is not worth ranking: it is compared only within runs of equal keys).
 */
function rankColumn(column: SortColumn, n: number, limit: number): Ranked | undefined {
  if (n > 0 && typeof column[0] === 'number') {
    const direct = smallIntegers(column as ArrayLike<number>, n, limit);
    if (direct) return direct;
  }
  const ids = new Uint32Array(n);
  const at = new Map<string | number, number>();
  const distinct: Array<string | number> = [];
  let last: string | number | undefined;
  let lastId = 0;
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    // Neighbours often share a value (one tool's findings, one rule's): no lookup then.
    if (v === last) {
      ids[i] = lastId;
      continue;
    }
    let id = at.get(v);
    if (id === undefined) {
      if (distinct.length >= limit) return undefined;
      id = distinct.length;
      at.set(v, id);
      distinct.push(v);
    }
    ids[i] = id;
    last = v;
    lastId = id;
  }
  // The default sort of strings compares UTF-16 code units, the order of `<`, without a
  // comparator call per comparison (twice as fast on 100,000 distinct paths); numbers sort
  // numerically in a typed array.
  const sorted: ArrayLike<string | number> = typeof distinct[0] === 'number' ? Float64Array.from(distinct as number[]).sort() : (distinct as string[]).sort();
  const position = new Uint32Array(distinct.length);
  for (let r = 0; r < sorted.length; r++) position[at.get(sorted[r]!)!] = r;
  for (let i = 0; i < n; i++) ids[i] = position[ids[i]!]!;
  return { ranks: ids, count: distinct.length };
}

/**
 * A column of integers in `[0, limit)` (lines, severity ranks) is its own ranking: the values
 * themselves order the rows, with `max + 1` as the radix. `undefined` for anything else, or when
 * the values are so sparse that the radix would waste much of the packed key.
 */
function smallIntegers(column: ArrayLike<number>, n: number, limit: number): Ranked | undefined {
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    if (!(v >= 0 && v < limit && v <= 0x7fffffff && Math.floor(v) === v)) return undefined;
    if (v > max) max = v;
  }
  if (max >= 4 * n + 64) return undefined;
  return { ranks: Uint32Array.from(column), count: max + 1 };
}

/**
 * The indices `0..n-1` ordered by `columns` in turn, ties in index order: exactly the order a
 * stable sort with the comparator "column 1, then column 2, ..., then index" gives, at a
 * fraction of its cost on 100,000 rows. Leading columns are replaced by their ranks and packed
 * into one number (mixed radix) while `packed * n + index` stays an exact integer, so one
 * numeric sort of a typed array (no comparator call at all) orders by them; only runs of equal
 * packed keys (few and short on real data: findings on one line under one rule) are finished
 * with a comparator over the remaining columns. A column with many distinct values (the
 * fingerprint) is thus never ranked unless it fits.
 */
export function sortedOrder(n: number, columns: readonly SortColumn[]): number[] {
  const budget = Math.floor(Number.MAX_SAFE_INTEGER / Math.max(n, 1));
  const packed: Ranked[] = [];
  let radix = 1;
  let k = 0;
  for (; k < columns.length; k++) {
    const r = rankColumn(columns[k]!, n, Math.floor(budget / radix));
    if (!r) break;
    packed.push(r);
    radix *= Math.max(r.count, 1);
  }
  const key = new Float64Array(n);
  for (const r of packed) {
    const { ranks, count } = r;
    for (let i = 0; i < n; i++) key[i] = key[i]! * count + ranks[i]!;
  }
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) combined[i] = key[i]! * n + i;
  combined.sort();
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = combined[i]! % n;
  const rest = columns.slice(k);
  if (rest.length === 0) return order;
  const compareRest = (a: number, b: number): number => {
    for (const c of rest) {
      const x = c[a]!, y = c[b]!;
      const d = typeof x === 'number' ? x - (y as number) : cmp(x, y as string);
      if (d !== 0) return d;
    }
    return a - b;
  };
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && key[order[end]!] === key[order[start]!]) end++;
    if (end - start > 1) {
      const run = order.slice(start, end).sort(compareRest);
      for (let m = 0; m < run.length; m++) order[start + m] = run[m]!;
    }
    start = end;
  }
  return order;
}

/**
 * Sort findings into the {@link compareFindings} order, returning a new array (ties keep input
 * order). Keys are read once per finding into columns ({@link sortedOrder}).
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return sortedFindingOrder(findings).map((i) => findings[i]!);
}

/** The indices of `findings` in {@link compareFindings} order, ties in input order. */
export function sortedFindingOrder(findings: readonly Finding[]): number[] {
  const n = findings.length;
  const rank = new Int8Array(n);
  const rule: string[] = new Array(n);
  const place: string[] = new Array(n);
  const line = new Float64Array(n);
  const fingerprint: string[] = new Array(n);
  const tool: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    // The keys {@link compareFindings} compares, read by the same function.
    const k = orderKey(findings[i]!);
    rank[i] = k.rank;
    rule[i] = k.ruleId;
    place[i] = k.place;
    line[i] = k.line;
    fingerprint[i] = k.fingerprint;
    tool[i] = k.tool;
  }
  return sortedOrder(n, [rank, rule, place, line, fingerprint, tool]);
}
