import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { markdownOf } from '../helpers/compose.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { listTemplates, parseTemplateSelector, selectTemplate } from '../../src/compose/template-registry.ts';
import { buildReport, finding, run } from '../helpers/report-builder.ts';

const tmp = mkdtempSync(join(tmpdir(), 'auditmark-tpl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const parse = (md: string): Root => unified().use(remarkParse).use(remarkGfm).parse(readFrontmatter(md).content) as Root;

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const manifest = (id: string, version: string, extra: object = {}): string =>
  JSON.stringify({ id, version, description: `${id} test`, kind: 'report', entry: 'report.md.njk', needs: ['scans'], sets: ['title'], ...extra });

describe('template selectors', () => {
  const available = ['1.0.0', '1.2.0', '1.10.1', '2.0.0', '2.1.0-beta.1'].map((version) => ({ id: 'security-scan', version })).concat([{ id: 'other', version: '3.0.0' }]);

  it('parses id@range and a bare id', () => {
    expect(parseTemplateSelector('security-scan@^1').selector).toEqual({ id: 'security-scan', range: '^1' });
    expect(parseTemplateSelector('security-scan').selector).toEqual({ id: 'security-scan', range: '*' });
    for (const bad of ['Security-Scan@1', 'x@not a range', '@1', '../x@1', 'x@']) {
      expect(parseTemplateSelector(bad).diagnostics.map((d) => d.code)).toEqual(['template/bad-selector']);
    }
  });

  it('picks the highest satisfying version (semver order, not string order), no prerelease unless asked', () => {
    const pick = (s: string): string | undefined => selectTemplate(available, s).template?.version;
    expect(pick('security-scan@^1')).toBe('1.10.1');
    expect(pick('security-scan@~1.2')).toBe('1.2.0');
    expect(pick('security-scan@1.0.0')).toBe('1.0.0');
    expect(pick('security-scan')).toBe('2.0.0');
    expect(pick('security-scan@>=2.1.0-beta.0')).toBe('2.1.0-beta.1');
  });

  it('template/not-found lists the available id@versions', () => {
    const r = selectTemplate(available, 'security-scan@^3');
    expect(r.template).toBeUndefined();
    expect(r.diagnostics[0]!.code).toBe('template/not-found');
    for (const t of available) expect(r.diagnostics[0]!.message).toContain(`${t.id}@${t.version}`);
    expect(selectTemplate(available, 'nope').diagnostics[0]!.code).toBe('template/not-found');
  });

  it('lists templates by id then semver', () => {
    expect(listTemplates(available).map((t) => `${t.id}@${t.version}`)).toEqual([
      'other@3.0.0', 'security-scan@1.0.0', 'security-scan@1.2.0', 'security-scan@1.10.1', 'security-scan@2.0.0', 'security-scan@2.1.0-beta.1',
    ]);
  });
});

describe('loading templates', () => {
  it('loads the shipped security-scan@1.0.0 cleanly', () => {
    const { templates, diagnostics } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
    expect(diagnostics).toEqual([]);
    const t = selectTemplate(templates, 'security-scan@^1').template!;
    expect(t.version).toBe('1.0.0');
    expect(t.manifest.kind).toBe('report');
    expect(t.manifest.checklist).toBe('checklist.yaml');
    expect(Object.keys(t.files)).toContain('report.md.njk');
    expect(Object.keys(t.files).filter((f) => f.startsWith('_partials/')).length).toBeGreaterThan(5);
  });

  it('reports bad manifests with a pointer, folder mismatches, duplicates and missing bases', () => {
    const root = join(tmp, 'bad');
    write(root, {
      'a/1.0.0/manifest.json': JSON.stringify({ id: 'a', version: '1.0.0', kind: 'pdf', entry: 'report.md.njk', needs: [], sets: [], description: 'x' }),
      'a/1.0.0/report.md.njk': '# a',
      'b/1.0.0/manifest.json': manifest('b', '2.0.0'),
      'b/1.0.0/report.md.njk': '# b',
      'c/v1/manifest.json': manifest('c', '1.0.0'),
      'security-scan/1.0.0/manifest.json': manifest('security-scan', '1.0.0'),
      'security-scan/1.0.0/report.md.njk': '# shadow',
      'd/1.0.0/manifest.json': manifest('d', '1.0.0', { extends: 'missing@1.0.0' }),
      'd/1.0.0/report.md.njk': '# d',
    });
    const { templates, diagnostics } = loadTemplates([SHIPPED_TEMPLATES_DIR, root]);
    const codes = diagnostics.map((d) => `${d.code}${d.pointer !== undefined ? ' ' + d.pointer : ''}`).sort();
    expect(codes).toEqual(['template/bad-manifest /kind', 'template/bad-manifest /version', 'template/bad-version', 'template/duplicate', 'template/missing-base /extends']);
    // The shipped template wins over a same-named project one.
    expect(templates.find((t) => t.id === 'security-scan')!.files['report.md.njk']).not.toBe('# shadow');
  });
});

describe('a project-local template extending the shipped one', () => {
  const root = join(tmp, 'project');
  write(root, {
    'acme-scan/1.0.0/manifest.json': manifest('acme-scan', '1.0.0', { extends: 'security-scan@1.0.0' }),
    'acme-scan/1.0.0/report.md.njk': [
      '{% extends "security-scan@1.0.0/report.md.njk" %}',
      '{% block recommendations %}',
      '{% include "_partials/acme.njk" %}',
      '{{ super() }}',
      '{% endblock %}',
      '',
    ].join('\n'),
    'acme-scan/1.0.0/_partials/acme.njk': '## ACME sign-off\n\nSigned for {{ meta.project | md }}.\n',
  });
  const { templates, diagnostics } = loadTemplates([SHIPPED_TEMPLATES_DIR, root]);

  it('renders the shipped document with the overridden block', () => {
    expect(diagnostics).toEqual([]);
    const t = selectTemplate(templates, 'acme-scan@^1').template!;
    const report = buildReport({ runs: [run()], findings: [finding({ ruleId: 'B602', severity: 'high' })], metadata: { project: 'rocket' } as never });
    const composed = composeReport(report, t, { library: templates });
    const markdown = markdownOf(composed);
    const d = composed.diagnostics;
    expect(d).toEqual([]);
    const h2 = parse(markdown).children.filter((n) => n.type === 'heading' && n.depth === 2).map((n) => toString(n));
    expect(h2).toContain('ACME sign-off');
    expect(h2.indexOf('ACME sign-off')).toBe(h2.indexOf('Recommendations') - 1);
    expect(h2).toContain('Findings');
    expect(markdown).toContain('Signed for rocket.');
  });

  it('without the shipped templates in the library the base is not found', () => {
    const t = selectTemplate(templates, 'acme-scan@^1').template!;
    const r = composeReport(buildReport({ runs: [], findings: [] }), t);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error' });
    expect(r.diagnostics[0]!.message).toContain('security-scan@1.0.0/report.md.njk');
  });
});

describe('security-scan@1.0.0 document structure', () => {
  const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
  const template = selectTemplate(templates, 'security-scan@1.0.0').template!;
  const hits = Array.from({ length: 300 }, (_, i) =>
    finding({ fingerprint: `v1:${'b'.repeat(32)}${i ? `:${i}` : ''}`, ruleId: 'B101', title: 'assert_used', severity: 'low', status: i % 100 === 0 ? 'waived' : 'open', location: { path: `src/m${i % 7}.py`, startLine: i + 1 } }));
  const report = buildReport({ runs: [run()], findings: [...hits, finding({ ruleId: 'B602', severity: 'high', location: { path: 'a.py', startLine: 1 } })] });
  const composed = composeReport(report, template);
      const markdown = markdownOf(composed);
      const diagnostics = composed.diagnostics;
  const tree = parse(markdown);

  it('renders without diagnostics and deterministically', () => {
    expect(diagnostics).toEqual([]);
    expect(markdownOf(composeReport(report, template))).toBe(markdown);
  });

  it('a rule hit 300 times is one group with a 300-row occurrence table', () => {
    const h3 = tree.children.map((n, i) => ({ n, i })).filter(({ n }) => n.type === 'heading' && n.depth === 3 && toString(n).includes('B101'));
    expect(h3).toHaveLength(1);
    const start = h3[0]!.i;
    const table = tree.children.slice(start).find((n) => n.type === 'table') as Table;
    expect(table.children).toHaveLength(301);
    expect(toString(table.children[0]!)).toBe('LocationLineStateFingerprint');
    const states = table.children.slice(1).map((r) => toString(r.children[2]!));
    expect(states.filter((s) => s === 'waived')).toHaveLength(3);
    expect(states.filter((s) => s === 'open')).toHaveLength(297);
  });

  it('has the findings index contract: header row, one row per rule, under ## Findings', () => {
    expect(markdown).toContain('\n## Findings\n');
    expect(markdown).toContain('\n| Severity | Tool | Rule | Title | OWASP | State | Count |\n');
    const i = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2 && toString(n) === 'Findings');
    const table = tree.children.slice(i).find((n) => n.type === 'table') as Table;
    const rows = table.children.slice(1).map((r) => r.children.map((c) => toString(c)));
    expect(rows).toEqual([
      ['high', 'bandit', 'B602', 'B602', 'unmapped', 'open 1', '1'],
      ['low', 'bandit', 'B101', 'assert_used', 'unmapped', 'open 297, waived 3', '300'],
    ]);
  });

  it('headings: one h1 first, then h2 sections, h3 only under an h2', () => {
    const depths = tree.children.filter((n) => n.type === 'heading').map((n) => (n.type === 'heading' ? n.depth : 0));
    expect(depths[0]).toBe(1);
    expect(depths.filter((d) => d === 1)).toHaveLength(1);
    for (let i = 1; i < depths.length; i++) expect(depths[i]! - depths[i - 1]!).toBeLessThanOrEqual(1);
    const h2 = tree.children.filter((n) => n.type === 'heading' && n.depth === 2).map((n) => toString(n));
    expect(h2).toEqual(['Executive summary', 'Status words', 'Findings', 'Scanner runs', 'Findings by rule', 'Dependency findings', 'OWASP Top 10', 'Checklist', 'Waivers', 'Recommendations', 'Next scan', 'How this report was produced', 'Sign-off']);
  });

  it('summary numbers are the report numbers', () => {
    const i = tree.children.findIndex((n) => n.type === 'heading' && toString(n) === 'Executive summary');
    const table = tree.children.slice(i).find((n) => n.type === 'table') as Table;
    expect(table.children[1]!.children.map((c) => toString(c))).toEqual(['301', '298', '3', '0', 'high 1, low 297']);
  });
});
