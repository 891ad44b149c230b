import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFindings, sortedOrder, sortFindings } from '../../src/model/order.ts';
import type { Finding, Severity } from '../../src/model/types.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reference: a stable comparator sort of the indices, column by column, then index. */
function reference(n: number, columns: ReadonlyArray<ArrayLike<number> | readonly string[]>): number[] {
  return Array.from({ length: n }, (_v, i) => i).sort((a, b) => {
    for (const c of columns) {
      const x = c[a]!, y = c[b]!;
      const d = typeof x === 'number' ? x - (y as number) : cmp(x, y as string);
      if (d !== 0) return d;
    }
    return a - b;
  });
}

// Few distinct values (so ties and packing both happen), strings outside ASCII and astral ones
// (code-unit order differs from code-point order there), negative and large numbers.
const word = fc.oneof(fc.constantFrom('', 'a', 'B', 'a/b', 'é', '\u{1F600}', '\uFFFF', 'zz'), fc.string({ maxLength: 4 }));
const num = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 1e9, 2 ** 40, -1));

describe('sortedOrder', () => {
  it('gives the order of a stable comparator sort over the same columns', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(
        fc.constant(n),
        fc.array(fc.oneof(fc.array(word, { minLength: n, maxLength: n }), fc.array(num, { minLength: n, maxLength: n })), { minLength: 1, maxLength: 5 }),
      )),
      ([n, columns]) => {
        expect(sortedOrder(n, columns)).toEqual(reference(n, columns));
      },
    ), { numRuns: 500 });
  });

  it('finishes runs of equal packed keys with the columns that did not fit', () => {
    // 20,000 rows in pairs that agree on the first two columns (10,000 distinct values each: their
    // ranks fill the packed key), so the third (5,000 distinct) must be compared within each pair.
    const n = 20_000;
    const pairOf = Array.from({ length: n }, (_v, i) => `p${Math.floor(i / 2)}`);
    const pairNo = Float64Array.from({ length: n }, (_v, i) => (Math.floor(i / 2) * 7919) % 10_000);
    const third = Array.from({ length: n }, (_v, i) => `k${(i * 7919) % 5000}`);
    const fourth = Float64Array.from({ length: n }, (_v, i) => i % 3);
    const columns = [pairOf, pairNo, third, fourth];
    expect(sortedOrder(n, columns)).toEqual(reference(n, columns));
  });
});

describe('sortFindings', () => {
  const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];
  const finding = fc.record({
    severity: fc.constantFrom(...SEVERITIES),
    ruleId: fc.constantFrom('r1', 'R2', 'r10', 'é'),
    path: fc.option(fc.constantFrom('src/a.py', 'src/b.py', 'lib/é.py'), { nil: undefined }),
    line: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    fingerprint: fc.constantFrom('v1:aa', 'v1:ab', 'v1:aa:1', 'v2:00'),
    tool: fc.constantFrom('bandit', 'Semgrep', 'codeql'),
  }).map(({ severity, ruleId, path, line, fingerprint, tool }): Finding => ({
    tool, kind: 'code', ruleId, title: ruleId, message: 'm', severity, cwe: [], aliases: [], references: [], fingerprint, pointer: '/results/0',
    ...(path !== undefined ? { location: line !== undefined ? { path, startLine: line } : { path } } : {}),
  }));

  it('is the stable sort by compareFindings', () => {
    fc.assert(fc.property(fc.array(finding, { maxLength: 80 }), (findings) => {
      const got = sortFindings(findings);
      const want = [...findings].sort(compareFindings);
      expect(got.length).toBe(want.length);
      got.forEach((f, k) => expect(f).toBe(want[k]));
    }), { numRuns: 300 });
  });
});
