/**
 * report.html in real Chromium with JavaScript on: the filter/sort script runs under the CSP,
 * makes no request and logs no error; without JavaScript everything stays readable.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestBrowser, testBrowser } from '../helpers/browser.ts';
import { toHtml } from '../../src/render/html/to-html.ts';

// tsconfig has no DOM lib (this is a Node package); the few DOM shapes used in page callbacks:
type El = { hidden: boolean; offsetParent: unknown; textContent: string | null; getAttribute(n: string): string | null };
type Row = El & { cells: ArrayLike<El> };
import type { ReportMetadata } from '../../src/model/report.ts';

const metadata: ReportMetadata = JSON.parse(readFileSync(new URL('../fixtures/emit/metadata.json', import.meta.url), 'utf8'));
const html = toHtml(readFileSync(new URL('../fixtures/emit/report.md', import.meta.url), 'utf8'), { metadata });

let page: Page;
const requests: string[] = [];
const problems: string[] = [];

async function open(javaScript: boolean): Promise<Page> {
  const { browser } = await testBrowser();
  const p = await browser.newPage();
  await p.setJavaScriptEnabled(javaScript);
  await p.setRequestInterception(true);
  p.on('request', (r) => {
    // In-memory data: URLs (the embedded fonts) are not requests to anything; all else counts.
    if (r.url().startsWith('data:')) return void r.continue();
    requests.push(r.url());
    void r.abort();
  });
  p.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text());
  });
  p.on('pageerror', (e) => problems.push(String(e)));
  await p.setContent(html, { waitUntil: 'load' });
  return p;
}

/** Rule ids of the visible findings index rows, in display order. */
const visibleRules = () =>
  page.$$eval('#am-findings-index tbody tr', (rows) => rows.filter((r) => !(r as unknown as El).hidden && (r as unknown as El).offsetParent !== null).map((r) => (r as unknown as Row).cells[2]!.textContent));

async function choose(name: string, value: string): Promise<void> {
  await page.select(`#am-filters select[name="${name}"]`, value);
}

beforeAll(async () => {
  page = await open(true);
});
afterAll(async () => {
  await closeTestBrowser();
});

describe('report.html in Chromium', () => {
  it('carries a strict CSP and runs its script under it (the filter form is shown)', async () => {
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; font-src data:; img-src data:; script-src 'sha256-[^']+'/);
    expect(await page.$eval('#am-filters', (f) => (f as unknown as El).hidden)).toBe(false);
    expect(await page.$eval('#am-filter-count', (o) => o.textContent)).toBe('6 of 6 rows shown');
  });

  it('uses the embedded Noto Sans, accented Latin included', async () => {
    const loaded = (await page.evaluate(
      "document.fonts.ready.then(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family + ' ' + f.unicodeRange.split(',')[0]))",
    )) as string[];
    expect(loaded).toEqual(expect.arrayContaining(['Noto Sans U+0-FF', 'Noto Sans U+100-2BA']));
  });

  it('filters by severity, tool, OWASP category and state', async () => {
    expect(await visibleRules()).toEqual(['B602', 'PYSEC-2023-228', 'B108', 'B506', 'B101', 'B404']);
    await choose('severity', 'high');
    expect(await visibleRules()).toEqual(['B602', 'PYSEC-2023-228']);
    await choose('tool', 'bandit');
    expect(await visibleRules()).toEqual(['B602']);
    await choose('severity', '');
    await choose('owasp', 'A05:2025');
    expect(await visibleRules()).toEqual(['B602', 'B404']);
    await choose('owasp', 'unmapped');
    expect(await visibleRules()).toEqual(['B101']);
    await choose('owasp', '');
    await choose('state', 'waived');
    expect(await visibleRules()).toEqual(['B108']);
    expect(await page.$eval('#am-filter-count', (o) => o.textContent)).toBe('1 of 6 rows shown');
    await page.click('#am-filters button');
    expect(await visibleRules()).toHaveLength(6);
  });

  it('sorts by a column, both directions, severity by rank', async () => {
    const header = (i: number) => `#am-findings-index thead th:nth-child(${i}) button`;
    await page.click(header(7));
    expect(await page.$eval('#am-findings-index thead th:nth-child(7)', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    const counts = await page.$$eval('#am-findings-index tbody tr', (rows) => rows.map((r) => Number((r as unknown as Row).cells[6]!.textContent)));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    await page.click(header(1));
    await page.click(header(1));
    const sev = await page.$$eval('#am-findings-index tbody tr', (rows) => rows.map((r) => r.getAttribute('data-severity')));
    expect(sev).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it('made no request and logged no error or CSP violation', () => {
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('is fully readable without JavaScript', async () => {
    const p = await open(false);
    try {
      expect(await p.$eval('#am-filters', (f) => (f as unknown as El).hidden)).toBe(true);
      const visible = await p.$$eval('#am-findings-index tbody tr', (rows) => rows.filter((r) => (r as unknown as El).offsetParent !== null).length);
      expect(visible).toBe(6);
      expect(await p.$$eval('#am-findings-index thead th[scope="col"]', (ths) => ths.map((t) => t.textContent))).toEqual(['Severity', 'Tool', 'Rule', 'Title', 'OWASP', 'State', 'Count']);
      const cover = await p.$eval('#am-cover', (c) => c.textContent);
      expect(cover).toContain('Classification: Confidential');
      expect(cover).toContain('Zoë Çelik');
      expect(await p.$$eval('#am-toc a', (as) => as.length)).toBe(10);
    } finally {
      await p.close();
    }
    expect(requests).toEqual([]);
  });
});
