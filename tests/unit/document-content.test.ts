/**
 * A composed document keeps its skeleton's sections and values, not its tree: every read makes
 * the nodes again, section by section (so a 20,000-rule report never holds its 1.4 M-node tree),
 * and every read must make the same nodes. The renderers read the content once for Markdown and
 * HTML together; that pass must give the bytes of each rendering made on its own.
 */
import { describe, expect, it } from 'vitest';
import { syntheticBandit } from '../../bench/synthetic-bandit.ts';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeContent } from '../../src/compose/compose.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { sectionParser } from '../../src/compose/tree.ts';
import { planBuild } from '../../src/plan.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { documentMarkdown } from '../../src/render/markdown.ts';
import { renderDocument } from '../../src/render/render.ts';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';
import { tmpl } from '../helpers/compose.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const plan = planBuild({ scans: [{ file: 'synthetic-bandit.json', bytes: Buffer.from(syntheticBandit(300)) }], templates, now: new Date('2026-11-20T09:00:00Z'), auditmarkVersion: 'test' }).plan!;

describe('document content', () => {
  it('is made again, section by section, on every read, and equal each time', () => {
    let parsed = 0;
    const parse = sectionParser();
    const composed = composeReport(plan.report, plan.template, { parse: (s) => (parsed++, parse(s)) });
    const content = composed.document!.content;
    const composing = parsed;
    const first = content.tree();
    const sections = parsed - composing;
    expect(sections).toBeGreaterThan(10);
    // Composing checked each shape once, not every section.
    expect(composing).toBeLessThan(sections);
    const second = content.tree();
    expect(parsed).toBe(composing + 2 * sections);
    expect(second).toEqual(first);
    // New nodes each time: the document holds none between reads.
    expect(second.children[0]).not.toBe(first.children[0]);
    // Read lazily: taking the first nodes parses only the first section.
    const reader = content.blocks();
    reader.next();
    expect(parsed).toBe(composing + 2 * sections + 1);
  });

  it('renders Markdown and HTML in one pass to the bytes each makes alone', async () => {
    const doc = { base: 'report' as const, document: plan.document, twin: plan.report, paper: 'A4' as const, limits: DEFAULT_LIMITS };
    const both = await renderDocument(doc, ['md', 'html']);
    const file = (name: string) => both.files.find((f) => f.name === name)!.bytes.toString();
    expect(file('report.md')).toBe(documentMarkdown(plan.document));
    expect(file('report.html')).toBe(renderHtml(plan.document, { interactive: true, limits: DEFAULT_LIMITS }).html);
    const mdOnly = await renderDocument(doc, ['md']);
    expect(mdOnly.files.map((f) => f.name)).toEqual(['report.md']);
    expect(mdOnly.files[0]!.bytes.toString()).toBe(file('report.md'));
  });

  it('stops between sections when the render deadline is spent, writing nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await renderDocument({ base: 'report', document: plan.document, twin: plan.report, paper: 'A4', limits: DEFAULT_LIMITS }, ['md', 'html', 'json'], { signal: controller.signal });
    expect(r.files).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['render/timeout']);
  });
});

describe('composing checks every section', () => {
  // Sections of one shape are checked once per kind of value at each placeholder: a value of
  // another kind in the same place must still be found.
  const loop = (misplaced: number) => `{% for x in items %}## Item {{ x | text }}\n\nText {% if loop.index == ${misplaced} %}{{ x | codeblock }}{% else %}{{ x | text }}{% endif %}.\n\n{% endfor %}`;

  it('finds a misplaced value in the 150th of 300 sections of one shape', () => {
    const items = Array.from({ length: 300 }, (_, i) => `v${i}`);
    const ok = composeContent(tmpl({ 'main.md.njk': loop(0) }), { items });
    expect(ok.diagnostics).toEqual([]);
    const bad = composeContent(tmpl({ 'main.md.njk': loop(150) }), { items });
    expect(bad.content).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['template/bad-placement']);
  });

  it('measures the nesting of every advisory, also in sections of one shape', () => {
    const deep = Array.from({ length: 3 }, (_, d) => `${'  '.repeat(d)}- level ${d + 1}`).join('\n');
    const plain = Array.from({ length: 25 }, () => 'plain text');
    const advisories = [...plain, deep, ...plain];
    const template = tmpl({ 'main.md.njk': '{% for a in advisories %}## Advisory\n\n{{ a | markdown }}\n\n{% endfor %}' });
    expect(composeContent(template, { advisories }, { limits: { maxMarkdownNesting: 4 } }).diagnostics).toEqual([]);
    expect(composeContent(template, { advisories }, { limits: { maxMarkdownNesting: 3 } }).diagnostics.map((d) => d.code)).toEqual(['limit/markdown-nesting']);
  });
});
