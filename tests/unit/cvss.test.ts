import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvssSeverity, cvssVersionOf, scoreCvss } from '../../src/model/cvss.ts';
import { realFixture, realFixtureNames } from '../helpers/real-fixtures.ts';

const FIRST = JSON.parse(readFileSync(new URL('../fixtures/cvss/first-v4-examples.json', import.meta.url), 'utf8')) as { examples: Array<{ vector: string; score: number }> };

type J = any;
const walk = (o: J, visit: (o: Record<string, J>) => void): void => {
  if (Array.isArray(o)) o.forEach((x) => walk(x, visit));
  else if (o && typeof o === 'object') {
    visit(o);
    Object.values(o).forEach((x) => walk(x, visit));
  }
};
const real = (format: string): J[] => realFixtureNames(format).map((n) => readFileSync(realFixture(format, n), 'utf8')).filter((t) => t.trim() !== '').map((t) => JSON.parse(t));

describe('scoreCvss: CVSS v4.0 by the specification (MacroVector lookup)', () => {
  it.each(FIRST.examples.map((e) => [e.vector, e.score] as const))('FIRST example %s = %s', (vector, score) => {
    const r = scoreCvss(vector);
    expect(r.ok && r.version === '4.0' && r.score).toBe(score);
  });

  it('names the score by what the vector holds (CVSS-B, -BT, -BE, -BTE)', () => {
    const named = (v: string) => { const r = scoreCvss(v); return r.ok ? r.nomenclature : undefined; };
    expect(named('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe('CVSS-B');
    expect(named('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U')).toBe('CVSS-BT');
    expect(named('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H')).toBe('CVSS-BE');
    expect(named('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:H')).toBe('CVSS-BTE');
  });

  it('agrees with every (V40Vector, V40Score) pair in the real Trivy files', () => {
    const pairs: Array<[string, number]> = [];
    for (const value of real('trivy')) walk(value, (o) => { if (typeof o.V40Vector === 'string' && typeof o.V40Score === 'number') pairs.push([o.V40Vector, o.V40Score]); });
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.filter(([v, s]) => { const r = scoreCvss(v); return !r.ok || r.score !== s; })).toEqual([]);
  });
});

describe('scoreCvss: v2 and v3', () => {
  it.each([
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5],
    ['(AV:N/AC:M/Au:N/C:P/I:P/A:P)', '2.0', 6.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', '3.0', 8.8],
  ])('%s is v%s, %s', (vector, version, score) => {
    expect(scoreCvss(vector)).toMatchObject({ ok: true, version, score });
  });

  it('agrees with every (V2Vector, V2Score) pair in the real Trivy files and every v2 cvss entry in the real Grype files', () => {
    const pairs: Array<[string, number]> = [];
    for (const value of real('trivy')) walk(value, (o) => { if (typeof o.V2Vector === 'string' && typeof o.V2Score === 'number') pairs.push([o.V2Vector, o.V2Score]); });
    for (const value of real('grype')) for (const m of value.matches ?? []) for (const c of m.vulnerability?.cvss ?? []) if (String(c.version).startsWith('2')) pairs.push([c.vector, c.metrics.baseScore]);
    expect(pairs.length).toBeGreaterThan(50);
    expect(pairs.filter(([v, s]) => { const r = scoreCvss(v); return !r.ok || r.score !== s; })).toEqual([]);
  });

  it.each([
    ['', 'no CVSS version prefix'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'base metric is missing'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'given twice'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'not defined'],
    ['CVSS:3.1/AV:constructor/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'not a value of AV'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:N', 'ZZ is not a CVSS 4.0 metric'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', 'base metric is missing'],
    ['CVSS:3.1/Attack Vector:N', 'not a METRIC:VALUE part'],
    ['CVSS:5.0/AV:N', 'no CVSS version prefix'],
  ])('rejects %j (%s)', (vector, why) => {
    const r = scoreCvss(vector);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(why);
  });

  it('bands scores per version: v2 has no critical', () => {
    expect(cvssSeverity('2.0', 10)).toBe('high');
    expect(cvssSeverity('3.1', 9.0)).toBe('critical');
    expect(cvssSeverity('4.0', 0)).toBe('info');
    expect(cvssSeverity('4.0', 0.1)).toBe('low');
    expect(cvssVersionOf('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe('2.0');
  });
});
