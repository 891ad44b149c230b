import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { markdownOf } from '../helpers/compose.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import type { Report } from '../../src/model/report.ts';
import { expectGolden, GOLDEN_ROOT, goldenCases } from '../helpers/golden.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = selectTemplate(templates, 'security-scan@^1').template!;

describe('compose golden documents', () => {
  const cases = goldenCases('compose');
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const name of cases) {
    it(name, () => {
      const dir = join(GOLDEN_ROOT, 'compose', name);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
      const composed = composeReport(report, template);
      const markdown = markdownOf(composed);
      const diagnostics = composed.diagnostics;
      expect(diagnostics).toEqual([]);
      expectGolden(join(dir, 'expected.md'), markdown);
    });
  }
});
