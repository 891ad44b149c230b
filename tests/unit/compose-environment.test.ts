import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { composeDocument } from '../../src/compose/compose.ts';
import { resolveTemplateName } from '../../src/compose/environment.ts';
import { codeBlock, escapeMarkdown, inlineCode, isoDate, isoDateTime, safeLink, severityCounts, tableCell } from '../../src/compose/filters.ts';
import type { LoadedTemplate } from '../../src/compose/template-registry.ts';

const parser = unified().use(remarkParse).use(remarkGfm);
const parse = (md: string): Root => parser.parse(md) as Root;

function tmpl(files: Record<string, string>, id = 't', version = '1.0.0', entry = 'main.md.njk'): LoadedTemplate {
  return { id, version, dir: `/tpl/${id}/${version}`, files, manifest: { id, version, description: 'test', kind: 'report', entry, needs: [], sets: [] } };
}

describe('filters', () => {
  it('code: the fence is longer than any backtick run and the value survives', () => {
    for (const v of ['a`b', 'a ``` b', 'x ```` y `', '`lead', 'trail`', '|pipe|']) {
      const tree = parse(`x ${inlineCode(v)} y`);
      const para = tree.children[0];
      expect(para?.type).toBe('paragraph');
      const code = para && 'children' in para ? para.children.find((c) => c.type === 'inlineCode') : undefined;
      expect(code && 'value' in code ? code.value : undefined).toBe(v);
    }
  });

  it('cell: text and code cells keep pipes inside one cell', () => {
    const md = `| a | b |\n| - | - |\n| ${tableCell('x | y')} | ${tableCell('p|q', 'code')} |\n`;
    const table = parse(md).children[0];
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    const row = table.children[1]!;
    expect(row.children).toHaveLength(2);
    expect(row.children[0]!.children.map((c) => ('value' in c ? c.value : '')).join('')).toBe('x | y');
    expect(row.children[1]!.children[0]).toMatchObject({ type: 'inlineCode', value: 'p|q' });
  });

  it('codeblock: the fence outlasts backtick and tilde runs; the language is sanitised', () => {
    const snippet = 'a\n```\nb\n````\n~~~\n';
    const tree = parse(codeBlock(snippet, 'python') + '\n\nafter\n');
    expect(tree.children[0]).toMatchObject({ type: 'code', lang: 'python', value: snippet.replace(/\n$/, '') });
    expect(tree.children[1]?.type).toBe('paragraph');
    expect(parse(codeBlock('x', 'py onerror=1')).children[0]).toMatchObject({ type: 'code', lang: null });
  });

  it('link: only http, https and mailto become links', () => {
    expect(parse(safeLink('https://example.org/a?b=1', 'site')).children[0]).toMatchObject({ children: [{ type: 'link', url: 'https://example.org/a?b=1' }] });
    expect(parse(safeLink('mailto:sec@example.org')).children[0]).toMatchObject({ children: [{ type: 'link', url: 'mailto:sec@example.org' }] });
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'file:///etc/passwd', '../../secret.png', 'data:text/html,x', '//evil.example']) {
      const md = safeLink(bad, 'click');
      let links = 0;
      const visit = (n: { type: string; children?: unknown[] }): void => {
        if (n.type === 'link') links += 1;
        (n.children as Array<{ type: string }> | undefined)?.forEach((c) => visit(c));
      };
      visit(parse(md));
      expect(links).toBe(0);
      expect(md).toContain('click');
    }
  });

  it('md: escapes structure and collapses line breaks', () => {
    const tree = parse(escapeMarkdown('line one\n# two\n---\n- three'));
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]?.type).toBe('paragraph');
    expect(parse(`### ${escapeMarkdown('title ends with #')}`).children[0]).toMatchObject({ type: 'heading', children: [{ value: 'title ends with #' }] });
  });

  it('date: UTC day from zoned timestamps; a zone-less timestamp keeps its own day; TZ does not matter', () => {
    const before = process.env.TZ;
    const seen: string[][] = [];
    for (const tz of ['America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
      process.env.TZ = tz;
      seen.push([isoDate('2024-01-01'), isoDate('2024-01-01T23:30:00-05:00'), isoDate('2024-01-01T23:30:00'), isoDateTime('2024-01-01T23:30:00+02:00')]);
    }
    process.env.TZ = before;
    for (const s of seen) expect(s).toEqual(['2024-01-01', '2024-01-02', '2024-01-01', '2024-01-01 21:30 UTC']);
    expect(isoDate('not a date <b>')).toBe('not a date \\<b>');
  });

  it('sevcount: non-zero counts in severity order', () => {
    expect(severityCounts({ critical: 0, high: 2, medium: 0, low: 1, info: 0, unknown: 3 })).toBe('high 2, low 1, unknown 3');
    expect(severityCounts({ critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 })).toBe('none');
  });
});

describe('template names', () => {
  it('resolves absolute, root-relative and file-relative names inside the loaded templates only', () => {
    expect(resolveTemplateName('security-scan@1.0.0/report.md.njk')).toBe('security-scan@1.0.0/report.md.njk');
    expect(resolveTemplateName('_partials/x.njk', 'a@1.0.0/report.md.njk')).toBe('a@1.0.0/_partials/x.njk');
    expect(resolveTemplateName('./y.njk', 'a@1.0.0/_partials/x.njk')).toBe('a@1.0.0/_partials/y.njk');
    expect(resolveTemplateName('../y.njk', 'a@1.0.0/_partials/x.njk')).toBe('a@1.0.0/y.njk');
    expect(resolveTemplateName('../../etc/passwd', 'a@1.0.0/x.njk')).toBeUndefined();
    expect(resolveTemplateName('/etc/passwd', 'a@1.0.0/x.njk')).toBeUndefined();
    expect(resolveTemplateName('x.njk')).toBeUndefined();
  });
});

describe('render errors and data-as-value', () => {
  const ctx = { finding: { severity: 'high', message: '{{ range.constructor("return process")() }} {% include "/etc/passwd" %}' } };

  it('a misspelt field names the template file and line', () => {
    const r = composeDocument(tmpl({ 'main.md.njk': '# T\n\nSeverity:\n{{ finding.sevrity }}\n' }), ctx);
    expect(r.markdown).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', level: 'error', file: '/tpl/t/1.0.0/main.md.njk', line: 4 });
  });

  it('a misspelt field inside a partial and through a filter names the partial and its line', () => {
    const r = composeDocument(tmpl({ 'main.md.njk': '# T\n{% include "_partials/p.njk" %}\n', '_partials/p.njk': 'a\n\nb {{ finding.sevrity | md }}\n' }), ctx);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', file: '/tpl/t/1.0.0/_partials/p.njk', line: 3 });
  });

  it('an include outside the loaded templates is an error naming its line, and nothing is read', () => {
    const r = composeDocument(tmpl({ 'main.md.njk': '# T\n\n{% include "/etc/passwd" %}\n' }), ctx);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', line: 3 });
    expect(r.diagnostics[0]!.message).toContain('/etc/passwd');
    expect(r.diagnostics[0]!.message).not.toContain('root:');
  });

  it('template syntax in data is printed, never evaluated', () => {
    const r = composeDocument(tmpl({ 'main.md.njk': '# T\n\n{{ finding.message | md }}\n\n{{ finding.message }}\n' }), ctx);
    expect(r.diagnostics).toEqual([]);
    expect(r.markdown).toContain('range.constructor("return process")()');
    expect(r.markdown).toContain('{% include "/etc/passwd" %}');
    expect(r.markdown).not.toContain('[object process]');
  });

  it('limit/markdown-nesting when the rendered document nests deeper than the limit', () => {
    const deep = Array.from({ length: 12 }, (_, i) => '  '.repeat(i) + '- x').join('\n');
    const ok = composeDocument(tmpl({ 'main.md.njk': `# T\n\n${deep}\n` }), ctx, { limits: { maxMarkdownNesting: 12 } });
    expect(ok.diagnostics).toEqual([]);
    const bad = composeDocument(tmpl({ 'main.md.njk': `# T\n\n${deep}\n` }), ctx, { limits: { maxMarkdownNesting: 11 } });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['limit/markdown-nesting']);
    expect(bad.diagnostics[0]!.message).toMatch(/12.*11/);
    const quotes = composeDocument(tmpl({ 'main.md.njk': `${'>'.repeat(50_000)} x\n` }), ctx);
    expect(quotes.diagnostics.map((d) => d.code)).toEqual(['limit/markdown-nesting']);
  });

  it('output is normalised: the same content written differently gives the same bytes', () => {
    const a = composeDocument(tmpl({ 'main.md.njk': 'Title\n=====\n\n* a\n* b\n\n| x | y |\n|:-|--|\n| 1 | 2 |\n' }), ctx);
    const b = composeDocument(tmpl({ 'main.md.njk': '# Title\n\n- a\n- b\n\n| x | y |\n| :- | - |\n| 1 | 2 |\n' }), ctx);
    expect(a.markdown).toBe(b.markdown);
  });
});
