/**
 * The cached, row-cutting section parser of `compose/tree.ts` must give exactly the tree a
 * plain parse of each whole section gives: on every section the shipped templates write (golden
 * reports, a synthetic 400-finding report) and on generated skeletons full of tables in every
 * form (aligned columns, escaped pipes, code spans, ragged rows, tables after text, in lists, in
 * fences, without a blank line after).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticBandit } from '../../bench/synthetic-bandit.ts';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import { sectionParser, skeletonToTree, splitSections } from '../../src/compose/tree.ts';
import { ValueTable } from '../../src/compose/values.ts';
import type { Report } from '../../src/model/report.ts';
import { planBuild } from '../../src/plan.ts';
import { GOLDEN_ROOT, goldenCases } from '../helpers/golden.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = selectTemplate(templates, 'security-scan@^1').template!;

/** Every section a report's skeleton holds, as reading the composed content hands them to its parser. */
function sectionsOf(report: Report): string[] {
  const sections: string[] = [];
  const plain = sectionParser({ tableRows: false });
  let reading = false;
  const composed = composeReport(report, template, { parse: (s) => (reading && sections.push(s), plain(s)) });
  expect(composed.diagnostics).toEqual([]);
  reading = true;
  composed.document!.content.tree();
  return sections;
}

function expectSameTrees(sections: readonly string[]): number {
  const fast = sectionParser();
  let rows = 0;
  for (const s of sections) {
    const plain = sectionParser({ tableRows: false })(s);
    expect(fast(s), s.slice(0, 200)).toEqual(plain);
    rows += (s.match(/^\|/gm) ?? []).length;
  }
  return rows;
}

describe('section parser', () => {
  it('gives the plain parse on every section of the golden reports', () => {
    let rows = 0;
    for (const name of goldenCases('compose')) {
      const report = JSON.parse(readFileSync(join(GOLDEN_ROOT, 'compose', name, 'report.json'), 'utf8')) as Report;
      rows += expectSameTrees(sectionsOf(report));
    }
    expect(rows).toBeGreaterThan(50);
  });

  it('gives the plain parse on every section of a 400-finding report', () => {
    const r = planBuild({ scans: [{ file: 'synthetic-bandit.json', bytes: Buffer.from(syntheticBandit(400)) }], templates, now: new Date('2026-11-20T09:00:00Z'), auditmarkVersion: 'test' });
    const sections = sectionsOf(r.plan!.report);
    expect(expectSameTrees(sections)).toBeGreaterThan(800);
  });

  it('gives the plain parse on generated skeletons with tables of every form', () => {
    const values = new ValueTable();
    const ph = Array.from({ length: 40 }, (_, i) => values.add({ kind: 'text', value: `v${i}` }));
    const cell = fc.oneof(
      fc.constantFrom('', ' ', 'a', 'b c', '\\|', '`x|y`', '`a`', '**b**', '_i_', '~~s~~', '<b>', '[l](u)', '---', ':-:', '\\', '#', '> q', '- li', '1.'),
      fc.constantFrom(...ph),
    );
    const row = fc.tuple(fc.array(cell, { minLength: 0, maxLength: 5 }), fc.boolean(), fc.boolean()).map(([cells, lead, trail]) => `${lead ? '|' : ''} ${cells.join(' | ')} ${trail ? '|' : ''}`);
    const delimiter = fc.array(fc.constantFrom('---', ':--', '--:', ':-:', ' - '), { minLength: 1, maxLength: 4 }).map((d) => `| ${d.join(' | ')} |`);
    const table = fc.tuple(fc.array(cell, { minLength: 1, maxLength: 4 }), delimiter, fc.array(row, { maxLength: 6 })).map(([head, delim, rows]) => [`| ${head.join(' | ')} |`, delim, ...rows].join('\n'));
    const before = fc.constantFrom('', 'Text.\n', 'Text.\n\n', '- item\n', '- item\n\n', '> quote\n', '```\n', '  ', '### h\n\n');
    const after = fc.constantFrom('', '\n', '\n\nAfter.', '\nlazy line', '\n```', '\n\n| x |\n| --- |\n| y |', '\n> q');
    const skeleton = fc.array(fc.tuple(before, table, after).map(([b, t, a]) => `${b}${t}${a}`), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('\n\n'));
    fc.assert(fc.property(skeleton, (text) => {
      const fast = skeletonToTree(text, values, 'main.md.njk', undefined, sectionParser());
      const plain = skeletonToTree(text, values, 'main.md.njk', undefined, sectionParser({ tableRows: false }));
      expect(fast).toEqual(plain);
      for (const s of splitSections(text)) expect(sectionParser()(s)).toEqual(sectionParser({ tableRows: false })(s));
    }), { numRuns: 600 });
  });
});
