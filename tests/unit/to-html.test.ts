import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { syntheticDocument, templateDocument } from '../helpers/documents.ts';

const report = syntheticDocument(60);

function inlineContent(html: string, tag: 'style' | 'script'): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!m) throw new Error(`no ${tag}`);
  return m[1]!;
}

describe('renderHtml', () => {
  it('is deterministic', () => {
    expect(renderHtml(report).html).toBe(renderHtml(report).html);
  });

  it('allows exactly its own inline style and script by CSP hash', () => {
    const { html } = renderHtml(report);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#x27;/g, "'");
    expect(csp).toBeDefined();
    const sha = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${sha(inlineContent(html, 'style'))}'`);
    expect(csp).toContain(`script-src 'sha256-${sha(inlineContent(html, 'script'))}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('embeds the latin and latin-ext Noto Sans subsets and references nothing external', () => {
    const { html } = renderHtml(report);
    expect((html.match(/@font-face/g) ?? []).length).toBe(6);
    expect(html).toMatch(/unicode-range:U\+0100-02BA/);
    expect(/(src|href)="(?!#|https:\/\/bandit\.readthedocs\.io\/)/.exec(html)?.[0]).toBeUndefined();
    expect(/url\((?!data:)/.exec(html)?.[0]).toBeUndefined();
  });

  it('annotates the findings index rows from the model and gives header cells a scope', () => {
    const { html } = renderHtml(report);
    expect(html).toContain('<table id="am-findings-index">');
    expect(html).toMatch(/<tr data-severity="high" data-severity-rank="1" data-tool="bandit" data-owasp="[^"]+" data-state="open">/);
    expect(/<th(?![^>]*scope="col")[ >]/.test(html)).toBe(false);
  });

  it('takes filter states from the model: "waiver expired" is one state, never two', () => {
    const doc = templateDocument('# T\n\n## Findings\n\n| Severity | State |\n| --- | --- |\n| {{ s | md }}{{ f | rowdata }} | {{ t | md }} |\n', {
      s: 'high', t: 'Waiver Expired 1', f: { severity: 'high', tool: 'x', owasp: ['unmapped'], state: ['waiver-expired'] },
    });
    const { html } = renderHtml(doc);
    expect(html).toContain('data-state="waiver-expired"');
    expect(html).toContain('<option value="waiver-expired">waiver expired</option>');
    expect(html).not.toContain('<option value="waiver">');
  });

  it('filters the checklist by its own form: a status is one whole option, never split; findings keep theirs', () => {
    const doc = templateDocument([
      '# T', '', '## Findings', '', '| Severity | State |', '| --- | --- |', '| {{ s | md }}{{ f | rowdata }} | open |', '',
      '## Checklist', '', '| Item | Status |', '| --- | --- |',
      '{% for c in items %}| {{ c.id | cell }}{{ c.filter | rowdata }} | {{ c.word | md }} |', '{% endfor %}', '',
    ].join('\n'), {
      s: 'high', f: { severity: 'high', tool: 'x', state: ['open'] },
      items: [
        { id: 'a', word: 'N/A', filter: { status: 'not-applicable', basis: 'attested' } },
        { id: 'b', word: 'PASS', filter: { status: 'pass', basis: 'automatic' } },
        { id: 'c', word: 'stale', filter: { status: 'stale', basis: 'automatic' } },
      ],
    });
    const { html } = renderHtml(doc);
    expect(html).toContain('<table id="am-findings-index">');
    expect(html).toContain('<table id="am-checklist-index">');
    expect(html).toMatch(/<div id="am-checklist-filters" class="am-filters" role="search" aria-label="Filter checklist items" data-for="am-checklist-index" hidden>/);
    const statusSelect = /<select name="status" data-match="exact">(.*?)<\/select>/.exec(html)?.[1];
    expect(statusSelect).toBe('<option value="">All</option><option value="pass">pass</option><option value="not-applicable">not applicable</option><option value="stale">stale</option>');
    expect(html).toContain('<tr data-status="not-applicable" data-basis="attested">');
    expect(html).not.toContain('<option value="not">');
    expect(html.match(/class="am-filters"/g)).toHaveLength(2);
  });

  it('renders the filters whatever the header says (a reworded or translated header)', () => {
    const doc = templateDocument('# T\n\n## Befunde\n\n| Schwere | Anzahl |\n| --- | --- |\n| {{ s | md }}{{ f | rowdata }} | 1 |\n', { s: 'hoch', f: { severity: 'high', tool: 'x', state: ['open'] } });
    const { html } = renderHtml(doc);
    expect(html).toContain('id="am-filters"');
    expect(html).toContain('<table id="am-findings-index">');
  });

  it('draws accessible charts from model data with every number as text', () => {
    const { html } = renderHtml(report);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="am-chart-open-severity-title am-chart-open-severity-desc"/);
    expect(html).toMatch(/<desc id="am-chart-open-severity-desc">critical: \d+; high: \d+; medium: \d+; low: \d+; info: \d+/);
    expect(html).toMatch(/<text[^>]*>A03 Injection<\/text>/);
    expect(html).toMatch(/<text[^>]*>A05 Injection<\/text>/);
  });

  it('keeps headings in order: one h1, no level skipped', () => {
    const { html } = renderHtml(report);
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    levels.forEach((l, i) => {
      if (i > 0) expect(l - levels[i - 1]!).toBeLessThanOrEqual(1);
    });
  });

  it('gives long tokens break points at their separators, never inside short words', () => {
    const doc = templateDocument('# T\n\n| Path | Severity |\n| --- | --- |\n| {{ p | cell("code") }} | {{ s | md }} |\n', { p: 'src/very/long/module_path/with-many.parts/file.py', s: 'critical' });
    const { html } = renderHtml(doc);
    expect(html).toContain('<code>src/<wbr>very/<wbr>long/<wbr>module_<wbr>path/<wbr>with-<wbr>many.<wbr>parts/<wbr>file.<wbr>py</code>');
    expect(html).toContain('<td>critical</td>');
  });

  it('drops the embedded font with a warning when it exceeds maxAssetBytes', () => {
    const r = renderHtml(report, { limits: { maxAssetBytes: 100_000 } });
    expect(r.diagnostics.map((d) => `${d.code}:${d.level}`)).toEqual(['html/asset-limit:warning']);
    expect(r.html).not.toContain('@font-face');
    expect(r.diagnostics[0]!.fix).toContain('maxAssetBytes');
  });

  it('prints a small document as one part and a large one in parts, each a full page without script', () => {
    expect(renderHtml(report, { printParts: 'auto' }).parts).toHaveLength(1);
    const large = syntheticDocument(2000);
    const r = renderHtml(large, { printParts: 300 });
    const parts = r.parts!;
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const p of parts) {
      expect(p.html.startsWith('<!doctype html>')).toBe(true);
      expect(p.html).not.toContain('<script');
      expect(p.html).toContain("script-src &#x27;none&#x27;");
    }
    const rows = (html: string) => (html.match(/<tr data-severity=/g) ?? []).length;
    expect(parts.reduce((n, p) => n + rows(p.html), 0)).toBe(rows(r.html));
    const headers = parts.reduce((n, p) => n + (p.html.match(/<th scope="col">Severity<\/th>/g) ?? []).length, 0);
    expect(headers).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.headings.map((h) => h.id))).toEqual([r.headings[0]!.id, 'am-contents', ...r.headings.slice(1).map((h) => h.id)]);
    // A part never ends with a heading: it stays with what follows.
    for (const p of parts.slice(0, -1)) expect(p.html).not.toMatch(/<\/h[1-6]><\/main><\/body>|<\/h[1-6]><\/body>/);
  });
});
