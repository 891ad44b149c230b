import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticMarkdown } from '../../bench/synthetic-markdown.ts';
import { renderHtml, toHtml } from '../../src/render/html/to-html.ts';
import type { ReportMetadata } from '../../src/model/report.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/emit/${name}`, import.meta.url), 'utf8');
const metadata: ReportMetadata = JSON.parse(fixture('metadata.json'));
const report = fixture('report.md');

function inlineContent(html: string, tag: 'style' | 'script'): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!m) throw new Error(`no ${tag}`);
  return m[1]!;
}

describe('toHtml', () => {
  it('is deterministic', () => {
    expect(toHtml(report, { metadata })).toBe(toHtml(report, { metadata }));
  });

  it('allows exactly its own inline style and script by CSP hash', () => {
    const html = toHtml(report, { metadata });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#x27;/g, "'");
    expect(csp).toBeDefined();
    const sha = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${sha(inlineContent(html, 'style'))}'`);
    expect(csp).toContain(`script-src 'sha256-${sha(inlineContent(html, 'script'))}'`);
    expect(csp).toMatch(/default-src 'none'/);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('embeds the latin and latin-ext Noto Sans subsets and references nothing external', () => {
    const html = toHtml(report, { metadata });
    expect((html.match(/@font-face/g) ?? []).length).toBe(6);
    expect(html).toMatch(/unicode-range:U\+0100-02BA/);
    expect(/(src|href)="(?!#|https:\/\/osv\.dev\/)/.exec(html)?.[0]).toBeUndefined();
    expect(/url\((?!data:)/.exec(html)?.[0]).toBeUndefined();
  });

  it('strips the frontmatter without evaluating it, and reports executable frontmatter', () => {
    const html = toHtml(report, { metadata });
    expect(html).not.toContain('documentId: am-');
    const evil = renderHtml('---js\n{ title: require("fs").writeFileSync("/tmp/auditmark-pwned", "x") }\n---\n# T\n', { metadata });
    expect(evil.diagnostics.map((d) => d.code)).toEqual(['frontmatter/engine-not-allowed']);
  });

  it('annotates the findings index rows and header cells', () => {
    const html = toHtml(report, { metadata });
    expect(html).toContain('<table id="am-findings-index">');
    expect(html).toContain('<tr data-severity="medium" data-severity-rank="2" data-tool="bandit" data-owasp="A01:2021 A01:2025" data-state="open waived">');
    expect(html).toContain('data-owasp="unmapped" data-state="open suppressed"');
    expect(/<th(?![^>]*scope="col")[ >]/.test(html)).toBe(false);
  });

  it('renders hostile content inert: no raw HTML, no images, only safe links', () => {
    const md = [
      '# T',
      '## Hostile content',
      '<script>alert(1)</script><iframe src="file:///etc/passwd"></iframe><img src="http://169.254.169.254/x" onerror="alert(1)">',
      '<meta http-equiv="refresh" content="0;url=http://evil"><base href="http://evil/"><link rel=stylesheet href="http://evil/s.css">',
      '<style>@import url(http://evil/i.css)</style>',
      '![remote alt](http://127.0.0.1:9/y.png) ![file alt](file:///etc/passwd) ![rel alt](../../secret.png)',
      '[js](javascript:alert(1)) [JS2](JaVaScRiPt:alert(1)) [rel](../../secret) [ok](https://example.org/a) <javascript:alert(1)>',
      '[ref][r]',
      '',
      '[r]: javascript:alert(2)',
      '',
      '## __proto__',
      '## constructor',
      '## __proto__',
    ].join('\n');
    const html = toHtml(md, { metadata: { ...metadata, title: '</title><script>alert(1)</script>' } });
    const body = html.slice(html.indexOf('<body>'), html.lastIndexOf('<script>'));
    expect(body).not.toMatch(/<(script|iframe|img|meta|base|link|style)\b/i);
    const withoutFonts = html.replace(/<style>[\s\S]*?<\/style>/, '');
    expect(/evil|169\.254|127\.0\.0\.1|file:/i.exec(withoutFonts)?.[0]).toBeUndefined();
    // The autolink `<javascript:…>` survives only as inert text, never as an attribute.
    expect(/="[^"]*javascript:/i.exec(withoutFonts)?.[0]).toBeUndefined();
    for (const alt of ['remote alt', 'file alt', 'rel alt']) expect(body).toContain(alt);
    expect(body).toContain('<a href="https://example.org/a">ok</a>');
    expect(body).toContain('<span>rel</span>');
    expect(html).toContain('<title>&#x3C;/title>&#x3C;script>alert(1)&#x3C;/script></title>');
    const ids = [...body.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws accessible charts with every number as text', () => {
    const html = toHtml(report, { metadata });
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="am-chart-severity-title am-chart-severity-desc"/);
    expect(html).toContain('<desc id="am-chart-severity-desc">critical: 0; high: 2; medium: 5; low: 7; info: 0.</desc>');
    expect(html).toMatch(/<text[^>]*>A03:2021<\/text>/);
  });

  it('keeps headings in order: one h1, no level skipped', () => {
    const html = toHtml(report, { metadata });
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    levels.forEach((l, i) => {
      if (i > 0) expect(l - levels[i - 1]!).toBeLessThanOrEqual(1);
    });
  });

  it('parses a large document in pieces to the same HTML as in one piece', () => {
    const md = syntheticMarkdown(1200);
    const pieces = toHtml(md, { metadata, pieceRows: 100 });
    expect(pieces).toBe(toHtml(md, { metadata, pieceRows: 0 }));
    expect((pieces.match(/<tr data-severity=/g) ?? []).length).toBe(1200);
  });

  it('drops the embedded font with a warning when it exceeds maxAssetBytes', () => {
    const r = renderHtml(report, { metadata, limits: { maxAssetBytes: 100_000 } });
    expect(r.diagnostics.map((d) => `${d.code}:${d.level}`)).toEqual(['html/asset-limit:warning']);
    expect(r.html).not.toContain('@font-face');
    expect(r.diagnostics[0]!.fix).toContain('maxAssetBytes');
  });

  it('bounds nesting before parsing', () => {
    const r = renderHtml('# T\n' + '>'.repeat(5000) + ' deep\n', { metadata });
    expect(r.diagnostics.map((d) => d.code)).toContain('html/nesting');
    expect(r.diagnostics.find((d) => d.code === 'html/nesting')?.fix).toMatch(/maxMarkdownNesting/);
  });

  it('splits print parts at sections and long tables, each a full page without script', () => {
    const r = renderHtml(syntheticMarkdown(400), { metadata, printParts: { rowsPerPart: 150 } });
    const parts = r.parts!;
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const p of parts) {
      expect(p.html.startsWith('<!doctype html>')).toBe(true);
      expect(p.html).not.toContain('<script');
      expect(p.html).toContain("script-src &#x27;none&#x27;");
    }
    const rows = parts.reduce((n, p) => n + (p.html.match(/<tr data-severity=/g) ?? []).length, 0);
    expect(rows).toBe(400);
    const headers = parts.reduce((n, p) => n + (p.html.match(/<th scope="col">Severity<\/th>/g) ?? []).length, 0);
    expect(headers).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.headings.map((h) => h.id))).toEqual(['security-scan-report-synthetic-service-400-findings', 'am-contents', ...r.headings.slice(1).map((h) => h.id)]);
  });
});
