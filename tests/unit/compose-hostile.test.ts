import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { markdownOf } from '../helpers/compose.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import type { Report } from '../../src/model/report.ts';
import { buildReport, finding, run } from '../helpers/report-builder.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = selectTemplate(templates, 'security-scan@1.0.0').template!;
const parser = unified().use(remarkParse).use(remarkGfm);

/** Strings that would change Markdown structure (or be evaluated) if inserted raw. */
const HOSTILE = [
  '# x',
  '](javascript:alert(1))',
  '[x](javascript:alert(1))',
  '| a | b |',
  'a ``` b',
  'a ```` b',
  '~~~',
  '<!--',
  '<script>alert(1)</script>',
  '<img src=x onerror=1>',
  '---',
  '1. one',
  '- item',
  '> quote',
  '{{ 7*7 }}',
  '{% include "/etc/passwd" %}',
  '{{ range.constructor("return process")() }}',
  '__proto__',
  'trailing #',
  'back\\slash\\',
  '*em* _em_ **strong**',
  '&lt;entity&gt;',
  '[ref]: javascript:alert(1)',
];

function reportWith(value: string, benign: boolean): Report {
  const v = benign ? 'plain' : value;
  return buildReport({
    metadata: { title: v, purpose: v, description: v, project: v, copyright: v, author: v, gitUnrecorded: { code: 'remote-mismatch', args: { repository: v } } } as Report['metadata'],
    status: { overall: 'CONDITIONAL', reasons: [{ code: 'checklist-pending', args: { items: [v] } }, { code: 'runs-stale', args: { tools: [v], maxScanAgeDays: 30 } }] },
    runs: [run({ tool: v, version: v, target: v, notScanned: [{ reason: v, path: v }], warnings: [{ code: 'scan-partial', args: { notScanned: 1 } }] })],
    findings: [
      finding({ tool: v, ruleId: v, title: v, message: v, cwe: [v], owasp: [v], location: { path: v, startLine: 3, snippet: v } }),
      finding({ fingerprint: 'v1:dep', kind: 'dependency', tool: 'pip-audit', ruleId: 'ADV-1', severity: 'high', title: v, message: v, aliases: [v], owasp: [], package: { name: v, version: v, fixedVersions: [v] } }),
    ],
    recommendations: [{ code: 'fix-rule', args: { tool: v, ruleId: v, title: v, severity: 'high', count: 1, files: 1 } }, { code: 'upgrade-package', args: { package: v, version: v, target: v, fixes: 1, unfixed: [v] } }],
    waivers: [{ id: v, match: { ruleId: v, tool: v }, justification: v, approver: v, state: 'active', matched: 0 }],
    checklist: {
      id: v, version: '1.0.0',
      items: [{
        id: v, title: v, owasp: [], basis: 'attested', status: 'pass', reason: { code: 'attested', args: { status: 'pass', by: v, at: '2026-01-01T00:00:00Z' } },
        attestation: {
          status: 'pass', by: v, at: '2026-01-01T00:00:00Z', note: v,
          evidence: [{ text: v }, { link: v }, { file: v, sha256: 'a'.repeat(64), check: { state: 'changed', sha256: 'b'.repeat(64) } }],
        },
        findings: [],
      }],
    },
  });
}

function body(markdown: string): Root {
  return parser.parse(readFrontmatter(markdown).content) as Root;
}

/**
 * The document's structure, without the inside of block quotes: advisory text is Markdown by
 * nature and gets a confined quote of its own, whose inner paragraphs and lists follow the text.
 */
function shape(tree: Root): string[] {
  const out: string[] = [];
  visit(tree, (n: Nodes) => {
    if (n.type === 'blockquote') return 'skip';
    if (n.type === 'heading') out.push(`h${n.depth}`);
    if (n.type === 'table') out.push(`table:${n.children.length}x${n.children[0]?.children.length}`);
    if (n.type === 'list') out.push(`list:${n.children.length}`);
    if (n.type === 'code') out.push('code');
    if (n.type === 'thematicBreak' || n.type === 'definition' || n.type === 'image') out.push(n.type);
    return undefined;
  });
  return out;
}

function texts(tree: Root): string[] {
  const out: string[] = [];
  visit(tree, (n: Nodes) => {
    if (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code') out.push(n.value);
    if (n.type === 'paragraph' || n.type === 'tableCell' || n.type === 'heading') out.push(toString(n));
  });
  return out;
}

describe('hostile strings in report data stay literal text', () => {
  const baseline = body(markdownOf(composeReport(reportWith('', true), template)));
  for (const value of HOSTILE) {
    it(JSON.stringify(value), () => {
      const composed = composeReport(reportWith(value, false), template);
      const markdown = markdownOf(composed);
      const diagnostics = composed.diagnostics;
      expect(diagnostics).toEqual([]);
      const tree = body(markdown);
      let html = 0;
      let links = 0;
      visit(tree, (n: Nodes) => {
        if (n.type === 'html') html += 1;
        if (n.type === 'link' || n.type === 'linkReference' || n.type === 'imageReference') links += 1;
      });
      expect(html).toBe(0);
      expect(links).toBe(0);
      // Same document structure as with a benign value: no extra heading, list, table row, rule.
      expect(shape(tree)).toEqual(shape(baseline));
      const all = texts(tree);
      expect(all.some((t) => t === value)).toBe(true);
      expect(all.filter((t) => t.includes(value)).length).toBeGreaterThan(10);
      expect(markdown).not.toMatch(/\b49\b/);
    });
  }

  it('the frontmatter holds hostile metadata as strings', () => {
    const markdown = markdownOf(composeReport(reportWith('</title><script>alert(1)</script>', false), template));
    const { data } = readFrontmatter(markdown);
    expect(data.title).toBe('</title><script>alert(1)</script>');
  });
});
