import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSourceLists, renderOwaspData } from '../../scripts/gen-owasp.ts';
import { OWASP_DATA, categoryCwes, coveredCategories, owaspFor } from '../../src/enrich/owasp.ts';

const read = (p: string) => readFileSync(new URL(`../../data/owasp/${p}`, import.meta.url), 'utf8');

describe('OWASP mapping data', () => {
  it('is exactly what scripts/gen-owasp.ts generates from the committed source lists', () => {
    const generated = parseSourceLists(read('source-lists.md'));
    expect(generated.map((d) => d.edition)).toEqual(['2021', '2025']);
    for (const data of generated) expect(read(`top10-${data.edition}.json`)).toBe(renderOwaspData(data));
  });

  it('2021: 197 list entries, 196 unique CWEs; only CWE-259 is in two categories (A02 and A07)', () => {
    const cats = OWASP_DATA['2021'].categories;
    const all = cats.flatMap((c) => c.cwes);
    expect(all).toHaveLength(197);
    expect(new Set(all).size).toBe(196);
    const shared = [...new Set(all)].filter((cwe) => cats.filter((c) => c.cwes.includes(cwe)).length > 1);
    expect(shared).toEqual(['CWE-259']);
    expect(cats.filter((c) => c.cwes.includes('CWE-259')).map((c) => c.id)).toEqual(['A02:2021', 'A07:2021']);
  });

  it('2025: 249 unique CWEs, none in two categories; the CWE-447/477 erratum maps both', () => {
    const cats = OWASP_DATA['2025'].categories;
    const all = cats.flatMap((c) => c.cwes);
    expect(all).toHaveLength(249);
    expect(new Set(all).size).toBe(249);
    const a03 = cats.find((c) => c.id === 'A03:2025')!;
    expect(a03.cwes).toContain('CWE-447');
    expect(a03.errata).toEqual([expect.objectContaining({ listed: 'CWE-447', intended: 'CWE-477' })]);
    expect(categoryCwes(a03)).toEqual(expect.arrayContaining(['CWE-447', 'CWE-477']));
    expect(owaspFor({ kind: 'code', cwe: ['CWE-477'] }, ['2025'])).toEqual(['A03:2025']);
    expect(owaspFor({ kind: 'code', cwe: ['CWE-447'] }, ['2025'])).toEqual(['A03:2025']);
  });

  it('records edition, source paths, retrieval date and the CC BY-SA attribution', () => {
    for (const edition of ['2021', '2025'] as const) {
      const d = OWASP_DATA[edition];
      expect(d.edition).toBe(edition);
      expect(d.license).toBe('CC BY-SA 4.0');
      expect(d.attribution).toMatch(/OWASP Foundation.*CC BY-SA 4\.0/);
      expect(d.source.repository).toBe('https://github.com/OWASP/Top10');
      expect(d.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.source.paths).toHaveLength(10);
      for (const c of d.categories) expect(c.source).toMatch(new RegExp(`^${edition}/docs/en/${c.id.slice(0, 3)}_${edition}-`));
    }
  });
});

describe('owaspFor', () => {
  it('maps many-to-many: CWE-259 is A02:2021 and A07:2021', () => {
    expect(owaspFor({ kind: 'code', cwe: ['CWE-259'] }, ['2021'])).toEqual(['A02:2021', 'A07:2021']);
    expect(owaspFor({ kind: 'code', cwe: ['CWE-259'] }, ['2021', '2025'])).toEqual(['A02:2021', 'A07:2021', 'A07:2025']);
  });

  it('puts dependency findings in A06:2021 and A03:2025 even without a CWE', () => {
    expect(owaspFor({ kind: 'dependency', cwe: [] }, ['2021', '2025'])).toEqual(['A06:2021', 'A03:2025']);
    expect(owaspFor({ kind: 'dependency', cwe: ['CWE-79'] }, ['2025'])).toEqual(['A03:2025', 'A05:2025']);
  });

  it('maps secret findings through CWE-798', () => {
    expect(owaspFor({ kind: 'secret', cwe: [] }, ['2021', '2025'])).toEqual(['A07:2021', 'A07:2025']);
  });

  it('returns nothing for a CWE no category lists (the finding is then reported unmapped)', () => {
    expect(owaspFor({ kind: 'code', cwe: ['CWE-605'] }, ['2021', '2025'])).toEqual([]);
  });

  it('derives covered categories from declared coverage', () => {
    expect([...coveredCategories({ dependencies: true, source: 'x' } as never, '2021')]).toEqual(['A06:2021']);
    expect([...coveredCategories({ secrets: true }, '2025')]).toEqual(['A07:2025']);
    expect([...coveredCategories({ cwe: ['CWE-89'] }, '2025')]).toEqual(['A05:2025']);
    expect(coveredCategories(undefined, '2025').size).toBe(0);
  });
});
