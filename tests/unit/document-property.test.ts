/**
 * The document model's promise, as a property: whatever string sits in any untrusted field that
 * a template shows (title, message, path, snippet, rule id, tool, package name and version,
 * advisory text, waiver justification and approver, attestation by/evidence/note, config project
 * name, baseline statuses of a diff), the parsed report.md and the HTML DOM have the same number
 * of sections, tables, rows and cells as with a plain string, the value is intact as text in its
 * own cell, and no link or image appears that the template did not make.
 */
import * as fc from 'fast-check';
import type { Element, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Nodes, Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeDiff, composeReport } from '../../src/compose/documents.ts';
import { shownInlineText } from '../../src/compose/shown-text.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import { diffReports } from '../../src/diff/diff.ts';
import type { StatusReason } from '../../src/model/reasons.ts';
import type { Report } from '../../src/model/report.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { markdownOf, parseBody } from '../helpers/compose.ts';
import { buildReport, finding, run } from '../helpers/report-builder.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const reportTemplate = selectTemplate(templates, 'security-scan@^1').template!;
const diffTemplate = selectTemplate(templates, 'scan-diff@^1').template!;
// The embedded fonts are 400 kB of CSS per page, the same for every value: left out to keep runs fast.
const NO_FONTS = { limits: { maxAssetBytes: 1 } };
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

/** Pieces that mean something to Markdown, HTML, GFM, YAML, Nunjucks or a terminal. */
const FRAGMENTS = [
  '|', '\\|', '\\', '`', '```', '````', '~~~', '---', '***', '# ', '## x', '- ', '* ', '1. ', '> ', '>>>>', '<!--', '-->', '<script>alert(1)</script>',
  '<img src=x onerror=1>', '[x](javascript:alert(1))', '![i](http://169.254.169.254/x)', 'https://evil.example/a?b=1', 'www.evil.example', 'sec@evil.example',
  'mailto:x@y.z', '&amp;', '&#x3C;', '&lt;b&gt;', '*em*', '__strong__', '[^1]', '[a]: http://x', '\n', '\r\n', '\n\n', '\t', '\u202E', '\u2066', '\u001b[31m',
  '\u001b]52;c;eA==\u0007', '\u0000', '\u200b', '{{ 7*7 }}', '{% include "/etc/passwd" %}', '{# c #}', '| --- | --- |', ':', '@', '.', 'é', '中文', '\u{1F512}',
  ' ', '  ', '    indented', '[[x]]', '$x$', '\\\\', '=', '"', "'",
];

const hostile = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''))
  // A value that is only white space is shown as nothing, as a plain empty value would be.
  .filter((v) => v.trim() !== '');

/** A report whose every untrusted field holds `v`. */
function reportWith(v: string): Report {
  return buildReport({
    metadata: { title: v, purpose: v, description: v, project: v, copyright: v, author: v, distributedBy: v, appVersion: v, repository: v,
      // File names in a dirty work tree are whatever the repository holds.
      git: { commit: 'a'.repeat(40), date: '2026-01-01T00:00:00Z', basis: 'source-option', dirty: true, changed: { count: 2, paths: [v, `${v}/x`] } } } as Report['metadata'],
    // Typed reasons carry untrusted text in their args (item ids, tools, people); an unknown code (a newer model) is printed as its code.
    status: { overall: 'CONDITIONAL', reasons: [{ code: 'checklist-failed', args: { items: [v] } }, { code: 'runs-partial', args: { runs: 1, notScanned: 1, tools: [v] } }, { code: v, args: {} } as unknown as StatusReason] },
    runs: [run({ tool: v, version: v, target: v, notScanned: [{ reason: v, path: v }], warnings: [{ code: 'scan-partial', args: { notScanned: 1 } }] }), run({ tool: 'pip-audit', format: 'pip-audit' })],
    findings: [
      finding({ fingerprint: 'v1:code', tool: v, ruleId: v, title: v, message: v, cwe: [v], owasp: [v], aliases: [v], references: [v], location: { path: v, startLine: 3, snippet: v } }),
      finding({ fingerprint: 'v1:dep', kind: 'dependency', tool: 'pip-audit', ruleId: 'ADV-1', severity: 'high', title: v, message: v, aliases: [v], owasp: [], run: 1, package: { name: v, version: v, fixedVersions: [v] } }),
    ],
    recommendations: [{ code: 'fix-rule', args: { tool: v, ruleId: v, title: v, severity: 'high', count: 1, files: 1 } }, { code: 'upgrade-package', args: { package: v, version: v, target: v, fixes: 1, unfixed: [v] } }],
    waivers: [{ id: v, match: { ruleId: v, tool: v }, justification: v, approver: v, expires: '2027-01-01', state: 'active', matched: 0 }],
    checklist: {
      id: v, version: '1.0.0', items: [{
        id: v, title: v, owasp: [], basis: 'attested', status: 'pass', reason: { code: 'evidence-not-accepted', args: { status: 'pass', by: v, at: '2026-01-01', file: v, problem: 'changed' } }, findings: [],
        attestation: { status: 'pass', by: v, at: '2026-01-01T00:00:00Z', evidence: [{ text: v }, { link: v }, { file: v, sha256: 'a'.repeat(64), check: { state: 'changed', sha256: 'c'.repeat(64) } }] },
      }],
    },
    inputs: [{ path: v, kind: 'scan', sha256: 'b'.repeat(64) }],
  });
}

interface Shape {
  headings: number;
  tables: number;
  rows: number;
  cells: number;
  links: number;
  images: number;
  html: number;
  quotes: number;
}

/** Structure of a parsed Markdown body; block quotes (the confined advisory containers) are counted, not entered. */
function mdShape(tree: Root): Shape {
  const s: Shape = { headings: 0, tables: 0, rows: 0, cells: 0, links: 0, images: 0, html: 0, quotes: 0 };
  const walk = (n: Nodes): void => {
    if (n.type === 'blockquote') {
      s.quotes++;
      const inner = mdShapeOf(n);
      expect(inner.headings + inner.tables + inner.links + inner.images + inner.html, 'nothing structural inside an advisory quote').toBe(0);
      return;
    }
    if (n.type === 'heading') s.headings++;
    if (n.type === 'table') s.tables++;
    if (n.type === 'tableRow') s.rows++;
    if (n.type === 'tableCell') s.cells++;
    if (n.type === 'link' || n.type === 'linkReference' || n.type === 'definition') s.links++;
    if (n.type === 'image' || n.type === 'imageReference') s.images++;
    if (n.type === 'html') s.html++;
    if ('children' in n) for (const c of n.children) walk(c as Nodes);
  };
  walk(tree);
  return s;
}

function mdShapeOf(n: Nodes): Omit<Shape, 'quotes'> {
  const s = { headings: 0, tables: 0, rows: 0, cells: 0, links: 0, images: 0, html: 0 };
  const walk = (x: Nodes): void => {
    if (x.type === 'heading') s.headings++;
    if (x.type === 'table') s.tables++;
    if (x.type === 'link' || x.type === 'linkReference') s.links++;
    if (x.type === 'image' || x.type === 'imageReference') s.images++;
    if (x.type === 'html') s.html++;
    if ('children' in x) for (const c of x.children) walk(c as Nodes);
  };
  walk(n);
  return s;
}

/** Structure of the HTML body (filter form and script excluded: they are the page's own). */
function htmlShape(html: string): Shape {
  const root = fromHtml(html) as HastRoot;
  const s: Shape = { headings: 0, tables: 0, rows: 0, cells: 0, links: 0, images: 0, html: 0, quotes: 0 };
  const walk = (n: HastRoot | Element): void => {
    for (const c of n.children) {
      if (c.type !== 'element') continue;
      if (c.tagName === 'blockquote') { s.quotes++; continue; }
      if (/^h[1-6]$/.test(c.tagName)) s.headings++;
      if (c.tagName === 'table') s.tables++;
      if (c.tagName === 'tr') s.rows++;
      if (c.tagName === 'td' || c.tagName === 'th') s.cells++;
      if (c.tagName === 'a') s.links++;
      if (['img', 'iframe', 'object', 'embed', 'video', 'audio', 'link', 'base', 'meta'].includes(c.tagName) && !['meta'].includes(c.tagName)) s.images++;
      if (c.tagName === 'script' && !(c.children[0] && c.children[0].type === 'text' && c.children[0].value.startsWith('(function(){'))) s.html++;
      walk(c);
    }
  };
  walk(root);
  return s;
}

const textOf = (n: Nodes): string => ('value' in n && typeof n.value === 'string' ? n.value : 'children' in n ? n.children.map((c) => textOf(c as Nodes)).join('') : '');

function findingsIndexRow(tree: Root, severity: string): string[] | undefined {
  const at = tree.children.findIndex((n) => n.type === 'heading' && textOf(n) === 'Findings');
  const table = tree.children.slice(at).find((n) => n.type === 'table');
  if (!table || table.type !== 'table') return undefined;
  return table.children.slice(1).map((r) => r.children.map((c) => textOf(c))).find((cells) => cells[0] === severity);
}

describe('untrusted text never changes the document (property)', () => {
  const plainReport = reportWith('plain value');
  const plain = composeReport(plainReport, reportTemplate);
  const plainMd = mdShape(parseBody(markdownOf(plain)));
  const plainHtml = htmlShape(renderHtml(plain.document!, NO_FONTS).html);

  it('report.md and report.html keep their structure and show every value intact', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        const composed = composeReport(reportWith(v), reportTemplate);
        expect(composed.diagnostics).toEqual([]);
        const markdown = markdownOf(composed);
        const tree = parseBody(markdown);
        expect(mdShape(tree)).toEqual(plainMd);
        expect(htmlShape(renderHtml(composed.document!, NO_FONTS).html)).toEqual(plainHtml);
        // The code finding's index row: 7 cells, its title intact as the Title cell's text.
        const row = findingsIndexRow(tree, 'medium');
        expect(row).toHaveLength(7);
        // Leading and trailing spaces of a cell are not content in GFM: compared trimmed.
        expect(row![3]!.trim()).toBe(shownInlineText(v).trim());
        expect(row![2]!.trim()).toBe(shownInlineText(v).trim());
        // No raw terminal control or bidi override reaches the file.
        expect(markdown).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: RUNS, seed: 20261201 },
    );
  });

  it('diff.md and diff.html keep their structure whatever a baseline report.json says', () => {
    const sides = (v: string) => {
      const base = reportWith(v);
      // Baseline statuses come from a file on disk: a hostile one is refused by the schema when loaded, and must be inert even if it were not.
      base.status = { overall: v as Report['status']['overall'], reasons: [{ code: v, args: {} } as unknown as StatusReason] };
      base.findings = base.findings.map((f) => ({ ...f, severity: 'high', status: 'open' }));
      base.owasp.rows = [{ id: v, edition: '2021', name: v, open: base.summary.openBySeverity, accepted: 0, checklistItems: [], coveredBy: [v], status: v as never, coverage: v as never, scans: [], attestations: [] }];
      const cur = reportWith(v);
      cur.findings = [...cur.findings, finding({ ruleId: 'NEW-1', severity: 'high', location: { path: 'new.py', startLine: 1, snippet: 'eval(x)' } })];
      return diffReports(base, cur, { created: '2026-12-01T00:00:00Z', template: { id: 'scan-diff', version: '1.0.0' } });
    };
    const plainDiff = composeDiff(sides('plain value'), diffTemplate);
    const plainShape = mdShape(parseBody(markdownOf(plainDiff)));
    const plainDiffHtml = htmlShape(renderHtml(plainDiff.document!, NO_FONTS).html);
    fc.assert(
      fc.property(hostile, (v) => {
        const composed = composeDiff(sides(v), diffTemplate);
        expect(composed.diagnostics).toEqual([]);
        const tree = parseBody(markdownOf(composed));
        expect(mdShape(tree)).toEqual(plainShape);
        expect(htmlShape(renderHtml(composed.document!, NO_FONTS).html)).toEqual(plainDiffHtml);
        // The new high finding is listed, whatever the baseline claims.
        expect(markdownOf(composed)).toContain('## New findings (1)');
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
  });
});
