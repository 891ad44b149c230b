import type { Nodes, Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { resolveTemplateName } from '../../src/compose/environment.ts';
import { isoDate, isoDateTime, severityCounts } from '../../src/compose/values.ts';
import { composeMarkdown, parseGfm as parse, tmpl } from '../helpers/compose.ts';

/** The Markdown a one-line template gives for `value`, parsed back. */
function roundTrip(line: string, value: unknown): Root {
  const r = composeMarkdown(tmpl({ 'main.md.njk': `# T\n\n${line}\n` }), { value });
  expect(r.diagnostics).toEqual([]);
  return parse(r.markdown);
}

function nodes(tree: Nodes, type: string): Nodes[] {
  const out: Nodes[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === type) out.push(n);
    if ('children' in n) for (const c of n.children) walk(c as Nodes);
  };
  walk(tree);
  return out;
}

const textOf = (n: Nodes): string => ('value' in n && typeof n.value === 'string' ? n.value : 'children' in n ? n.children.map((c) => textOf(c as Nodes)).join('') : '');

describe('value filters: every value is a node, whatever it holds', () => {
  it('code: the fence is longer than any backtick run and the value survives', () => {
    for (const v of ['a`b', 'a ``` b', 'x ```` y `', '`lead', 'trail`', '|pipe|']) {
      const code = nodes(roundTrip('x {{ value | code }} y', v), 'inlineCode');
      expect(code.map((c) => ('value' in c ? c.value : ''))).toEqual([v]);
    }
  });

  it('cell: text and code cells keep pipes (and backslash-pipes) inside one cell', () => {
    for (const v of ['x | y', 'x\\| A03 \\| waived 1 \\| 0', '\\', '|']) {
      const tree = roundTrip('| a | b |\n| - | - |\n| {{ value | cell }} | {{ value | cell("code") }} |', v);
      const rows = nodes(tree, 'tableRow');
      expect(rows).toHaveLength(2);
      expect(nodes(rows[1]!, 'tableCell')).toHaveLength(2);
      expect(textOf(nodes(rows[1]!, 'tableCell')[0]!)).toBe(v);
      // A code value with a pipe is written as code spans around the pipe: same characters, one cell.
      expect(textOf(nodes(rows[1]!, 'tableCell')[1]!)).toBe(v);
      if (v.replace(/\|/g, '') !== '') expect(nodes(rows[1]!, 'inlineCode').length).toBeGreaterThan(0);
    }
  });

  it('codeblock: the fence outlasts backtick and tilde runs; the language is sanitised; deep indentation is kept', () => {
    const snippet = 'a\n```\nb\n````\n~~~\n' + ' '.repeat(300) + 'deep\n' + '>'.repeat(40) + ' q';
    const tree = roundTrip('{{ value | codeblock("python") }}\n\nafter', snippet);
    expect(nodes(tree, 'code')).toEqual([expect.objectContaining({ type: 'code', lang: 'python', value: snippet })]);
    expect(nodes(tree, 'paragraph')).toHaveLength(1);
    expect(nodes(roundTrip('{{ value | codeblock("py onerror=1") }}', 'x'), 'code')[0]).toMatchObject({ lang: null });
  });

  it('codeblock: a line cap shows the first lines and a visible marker', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const code = nodes(roundTrip('{{ value | codeblock("", 12) }}', text), 'code')[0]!;
    const lines = ('value' in code ? String(code.value) : '').split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toBe('… 28 more lines (full text in report.json)');
  });

  it('link: only http, https and mailto become links', () => {
    expect(nodes(roundTrip('{{ value | link("site") }}', 'https://example.org/a?b=1'), 'link')).toMatchObject([{ url: 'https://example.org/a?b=1' }]);
    expect(nodes(roundTrip('{{ value | link }}', 'mailto:sec@example.org'), 'link')).toMatchObject([{ url: 'mailto:sec@example.org' }]);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'file:///etc/passwd', '../../secret.png', 'data:text/html,x', '//evil.example']) {
      const tree = roundTrip('{{ value | link("click") }}', bad);
      expect(nodes(tree, 'link')).toEqual([]);
      expect(textOf(tree)).toContain('click');
    }
  });

  it('md: data never makes structure or links: headings, rules, lists, bare URLs, e-mail addresses, HTML', () => {
    const v = 'line one\n# two\n---\n- three https://evil.example www.evil.example a@b.example <b>x</b> <!-- c';
    const tree = roundTrip('{{ value | md }}', v);
    expect(tree.children.map((c) => c.type)).toEqual(['heading', 'paragraph']);
    expect(nodes(tree, 'link')).toEqual([]);
    expect(nodes(tree, 'html')).toEqual([]);
    expect(textOf(tree.children[1]!)).toBe(v.replace(/\n/g, ' '));
    expect(nodes(tree, 'inlineCode').map((c) => ('value' in c ? c.value : ''))).toEqual(['https://evil.example', 'www.evil.example', 'a@b.example']);
    expect(textOf(nodes(roundTrip('### {{ value | md }}', 'title ends with #'), 'heading')[1]!)).toBe('title ends with #');
  });

  it('controls and bidi overrides are shown, never passed through', () => {
    const tree = roundTrip('{{ value | md }} and {{ value | code }}', 'invoice\u202Etxt.py \u001b]52;c;x\u0007');
    expect(textOf(tree)).not.toMatch(/[\u202e\u001b\u0007]/);
    expect(textOf(tree)).toContain('invoice‹U+202E›txt.py ‹U+001B›]52;c;x‹U+0007›');
  });

  it('markdown: advisory text becomes a confined quote: no headings, tables, links or images escape it', () => {
    const v = '## Impact\n\nSee [site](https://x.example) and ![img](http://x/i.png)\n\n| a | b |\n|-|-|\n| 1 | 2 |\n\n# Top\n\n- a\n  - b\n    - c\n      - d\n\n<script>x</script>';
    const tree = roundTrip('before\n\n{{ value | markdown }}\n\nafter', v);
    expect(tree.children.map((c) => c.type)).toEqual(['heading', 'paragraph', 'blockquote', 'paragraph']);
    const quote = tree.children[2]!;
    for (const t of ['heading', 'table', 'link', 'image', 'html']) expect(nodes(quote, t)).toEqual([]);
    expect(textOf(quote)).toContain('site (https://x.example)');
    expect(textOf(quote)).toContain('<script>x</script>');
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
    expect(textOf(roundTrip('{{ value | date }}', 'not a date <b>').children[1]!)).toBe('not a date <b>');
  });

  it('sevcount: non-zero counts in severity order', () => {
    expect(severityCounts({ critical: 0, high: 2, medium: 0, low: 1, info: 0, unknown: 3 })).toBe('high 2, low 1, unknown 3');
    expect(severityCounts({ critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 })).toBe('none');
  });
});

describe('template lint', () => {
  it('refuses a value printed without a value filter, naming file, line and column', () => {
    for (const body of ['{{ value }}', '{{ value | upper }}', '{% filter upper %}x{% endfilter %}', '{{ value.toUpperCase() }}', '{{ a if b else value }}']) {
      const r = composeMarkdown(tmpl({ 'main.md.njk': `# T\n\n${body}\n` }), { value: 'x', a: 'y', b: true });
      expect(r.tree, body).toBeUndefined();
      expect(r.diagnostics[0], body).toMatchObject({ code: 'template/raw-output', file: '/tpl/t/1.0.0/main.md.njk', line: 3 });
    }
  });

  it('accepts literals, macros, super() and inline ifs whose branches are values', () => {
    const main = '{% macro m(x) %}**{{ x | md }}**{% endmacro %}# T\n\n{{ "lit" }} {{ m(value) }} {{ value | md if value else "none" }}\n';
    const r = composeMarkdown(tmpl({ 'main.md.njk': main }), { value: 'v' });
    expect(r.diagnostics).toEqual([]);
    expect(r.markdown).toBe('# T\n\nlit **v** v\n');
  });

  it('refuses block values inside a line and values inside code spans or link targets', () => {
    for (const body of ['text {{ value | codeblock }}', '`{{ value | md }}`', '[x]({{ value | md }})', '{{ value | rowdata }}']) {
      const r = composeMarkdown(tmpl({ 'main.md.njk': `# T\n\n${body}\n` }), { value: 'x' });
      expect(r.diagnostics.map((d) => d.code), body).toEqual(['template/bad-placement']);
    }
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
    const r = composeMarkdown(tmpl({ 'main.md.njk': '# T\n\nSeverity:\n{{ finding.sevrity | md }}\n' }), ctx);
    expect(r.markdown).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', level: 'error', file: '/tpl/t/1.0.0/main.md.njk', line: 4 });
  });

  it('a misspelt field inside a partial and through a filter names the partial and its line', () => {
    const r = composeMarkdown(tmpl({ 'main.md.njk': '# T\n{% include "_partials/p.njk" %}\n', '_partials/p.njk': 'a\n\nb {{ finding.sevrity | md }}\n' }), ctx);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', file: '/tpl/t/1.0.0/_partials/p.njk', line: 3 });
  });

  it('an include outside the loaded templates is an error naming its line, and nothing is read', () => {
    const r = composeMarkdown(tmpl({ 'main.md.njk': '# T\n\n{% include "/etc/passwd" %}\n' }), ctx);
    expect(r.diagnostics[0]).toMatchObject({ code: 'template/render-error', line: 3 });
    expect(r.diagnostics[0]!.message).toContain('/etc/passwd');
    expect(r.diagnostics[0]!.message).not.toContain('root:');
  });

  it('template syntax in data is printed, never evaluated', () => {
    const r = composeMarkdown(tmpl({ 'main.md.njk': '# T\n\n{{ finding.message | md }}\n\n{{ finding.message | code }}\n' }), ctx);
    expect(r.diagnostics).toEqual([]);
    expect(r.markdown).toContain('range.constructor("return process")()');
    expect(r.markdown).toContain('{% include "/etc/passwd" %}');
    expect(r.markdown).not.toContain('[object process]');
  });

  it('limit/markdown-nesting when the rendered document nests deeper than the limit', () => {
    const deep = Array.from({ length: 12 }, (_, i) => '  '.repeat(i) + '- x').join('\n');
    const ok = composeMarkdown(tmpl({ 'main.md.njk': `# T\n\n${deep}\n` }), ctx, { limits: { maxMarkdownNesting: 12 } });
    expect(ok.diagnostics).toEqual([]);
    const bad = composeMarkdown(tmpl({ 'main.md.njk': `# T\n\n${deep}\n` }), ctx, { limits: { maxMarkdownNesting: 11 } });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['limit/markdown-nesting']);
    expect(bad.diagnostics[0]!.message).toMatch(/12.*11/);
    const quotes = composeMarkdown(tmpl({ 'main.md.njk': `${'>'.repeat(50_000)} x\n` }), ctx);
    expect(quotes.diagnostics.map((d) => d.code)).toEqual(['limit/markdown-nesting']);
  });

  it('output is normalised: the same content written differently gives the same bytes', () => {
    const a = composeMarkdown(tmpl({ 'main.md.njk': 'Title\n=====\n\n* a\n* b\n\n| x | y |\n|:-|--|\n| 1 | 2 |\n' }), ctx);
    const b = composeMarkdown(tmpl({ 'main.md.njk': '# Title\n\n- a\n- b\n\n| x | y |\n| :- | - |\n| 1 | 2 |\n' }), ctx);
    expect(a.markdown).toBe(b.markdown);
  });
});
