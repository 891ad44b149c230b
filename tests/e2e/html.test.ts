/**
 * report.html in real Chromium with JavaScript on: the filter/sort script runs under the CSP,
 * makes no request and logs no error; without JavaScript everything stays readable; axe-core
 * finds no WCAG 2.1 AA violation; nothing overflows the page at 390 px or 1280 px.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeReport } from '../../src/compose/documents.ts';
import { selectTemplate } from '../../src/compose/template-registry.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { closeTestBrowser, testBrowser } from '../helpers/browser.ts';
import { syntheticDocument } from '../helpers/documents.ts';
import { buildReport, finding, run } from '../helpers/report-builder.ts';
import type { ChecklistItemResult } from '../../src/model/report.ts';

// tsconfig has no DOM lib (this is a Node package); the few DOM shapes used in page callbacks:
type El = { hidden: boolean; offsetParent: unknown; textContent: string | null; getAttribute(n: string): string | null };
type Row = El & { cells: ArrayLike<El> };

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const template = selectTemplate(templates, 'security-scan@^1').template!;
const who = { by: 'Zoë Çelik', at: '2026-01-01' };
const item = (id: string, status: ChecklistItemResult['status'], basis: ChecklistItemResult['basis'], reason: ChecklistItemResult['reason'], extra: Partial<ChecklistItemResult> = {}): ChecklistItemResult =>
  ({ id, title: `Item ${id}`, owasp: [], basis, status, reason, findings: [], ...extra });
const count = { matched: 0, maxCount: 0, tools: ['bandit'] };
const report = buildReport({
  metadata: {
    classification: 'Confidential', author: 'Zoë Çelik, Łukasz Dąbrowski', title: 'Security scan report: payments-api 2.4.0', repository: 'https://example.org/acme/payments-api/with/a/rather/long/path/that/must/wrap/somewhere',
    git: { commit: 'c'.repeat(40), date: '2026-01-01T12:00:00.000Z', basis: 'source-option', dirty: true, changed: { count: 4, paths: ['src/app/very/deeply/nested/package/module_with_a_long_name.py', 'src/tmp.py', 'src/yaml.py', 'src/run.py'] } },
  } as never,
  checklist: {
    id: 'security-scan', version: '1.0.0', items: [
      item('SEC-1', 'pass', 'automatic', { code: 'rule-pass', args: count }, { rule: { tools: ['bandit'], severityAtLeast: 'high', maxCount: 0 }, evaluation: { tools: ['bandit'], runs: [0], matched: 0, maxCount: 0, belowThreshold: [] } }),
      item('SEC-2', 'not-applicable', 'attested', { code: 'attested', args: { status: 'not-applicable', ...who } }, { attestation: { status: 'not-applicable', ...who, evidence: [{ text: 'no e-mail is sent' }] } }),
      item('SEC-3', 'stale', 'automatic', { code: 'rule-pass-stale', args: { ...count, staleTools: ['bandit'], maxScanAgeDays: 30 } }),
      item('SEC-4', 'partial', 'automatic', { code: 'rule-pass-partial', args: { ...count, partialTools: ['bandit'], notScanned: 3 } }),
      item('SEC-5', 'pending', 'none', { code: 'no-attestation', args: {} }),
    ],
  },
  runs: [run(), run({ tool: 'pip-audit', format: 'pip-audit', source: { path: 'scans/pip-audit.json', sha256: 'b'.repeat(64) } })],
  findings: [
    finding({ ruleId: 'B602', severity: 'high', owasp: ['A03:2021', 'A05:2025'], location: { path: 'src/app/very/deeply/nested/package/module_with_a_long_name.py', startLine: 12, snippet: 'subprocess.call(cmd, shell=True)' } }),
    finding({ ruleId: 'PYSEC-2023-228', tool: 'pip-audit', kind: 'dependency', severity: 'high', run: 1, owasp: ['A06:2021', 'A03:2025'], package: { name: 'pip', version: '23.0', fixedVersions: ['23.3'] } }),
    finding({ ruleId: 'B108', severity: 'medium', status: 'waived', owasp: ['A01:2021', 'A01:2025'], location: { path: 'src/tmp.py', startLine: 3 } }),
    finding({ ruleId: 'B506', severity: 'medium', owasp: ['A08:2021', 'A08:2025'], location: { path: 'src/yaml.py', startLine: 9 } }),
    finding({ ruleId: 'B101', severity: 'low', owasp: [], location: { path: 'tests/test_a.py', startLine: 1 } }),
    finding({ ruleId: 'B404', severity: 'low', owasp: ['A03:2021', 'A05:2025'], location: { path: 'src/run.py', startLine: 1 } }),
  ],
});
const composed = composeReport(report, template);
const html = renderHtml(composed.document!).html;

let page: Page;
const requests: string[] = [];
const problems: string[] = [];

async function open(content: string, javaScript: boolean, width = 1280): Promise<Page> {
  const { browser } = await testBrowser();
  const p = await browser.newPage();
  await p.setViewport({ width, height: 900 });
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
  await p.setContent(content, { waitUntil: 'load' });
  return p;
}

/** axe-core WCAG 2.0/2.1 A and AA violations of the open page (injected through CDP, which the page's CSP does not govern). */
async function axeViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE);
  const result = (await p.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.length + ' nodes, e.g. ' + v.nodes[0].target.join(' ')))")) as string[];
  return result;
}

/** Rule ids of the visible findings index rows, in display order. */
const visibleRules = () =>
  page.$$eval('#am-findings-index tbody tr', (rows) => rows.filter((r) => !(r as unknown as El).hidden && (r as unknown as El).offsetParent !== null).map((r) => (r as unknown as Row).cells[2]!.textContent));

async function choose(name: string, value: string): Promise<void> {
  await page.select(`#am-filters select[name="${name}"]`, value);
}

beforeAll(async () => {
  expect(composed.diagnostics).toEqual([]);
  page = await open(html, true);
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

  it('filters the checklist by status and basis, each status one whole option (N/A, stale and partial are not PASS)', async () => {
    const visibleItems = () => page.$$eval('#am-checklist-index tbody tr', (rows) => rows.filter((r) => !(r as unknown as El).hidden).map((r) => (r as unknown as Row).cells[0]!.textContent));
    expect(await page.$eval('#am-checklist-filters', (f) => (f as unknown as El).hidden)).toBe(false);
    expect(await page.$$eval('#am-checklist-filters select[name="status"] option', (os) => os.map((o) => o.textContent))).toEqual(['All', 'pass', 'not applicable', 'stale', 'partial', 'pending']);
    await page.select('#am-checklist-filters select[name="status"]', 'pass');
    expect(await visibleItems()).toEqual(['SEC-1']);
    await page.select('#am-checklist-filters select[name="status"]', 'not-applicable');
    expect(await visibleItems()).toEqual(['SEC-2']);
    await page.select('#am-checklist-filters select[name="status"]', '');
    await page.select('#am-checklist-filters select[name="basis"]', 'automatic');
    expect(await visibleItems()).toEqual(['SEC-1', 'SEC-3', 'SEC-4']);
    expect(await page.$eval('#am-checklist-filter-count', (o) => o.textContent)).toBe('3 of 5 rows shown');
    await page.click('#am-checklist-filters button');
    expect(await visibleItems()).toHaveLength(5);
    // The findings filter is a form of its own: the checklist selection never hid a finding.
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
    const p = await open(html, false);
    try {
      expect(await p.$eval('#am-filters', (f) => (f as unknown as El).hidden)).toBe(true);
      const visible = await p.$$eval('#am-findings-index tbody tr', (rows) => rows.filter((r) => (r as unknown as El).offsetParent !== null).length);
      expect(visible).toBe(6);
      expect(await p.$$eval('#am-findings-index thead th[scope="col"]', (ths) => ths.map((t) => t.textContent))).toEqual(['Severity', 'Tool', 'Rule', 'Title', 'OWASP', 'State', 'Count']);
      const cover = await p.$eval('#am-cover', (c) => c.textContent);
      expect(cover).toContain('CONFIDENTIAL');
      expect(cover).toContain(`Source commit: ${'c'.repeat(40)} (2026-01-01, from the source work tree)`);
      expect(cover).toContain('DIRTY: uncommitted changes to 4 tracked files');
      expect(await p.$eval('#am-checklist-filters', (f) => (f as unknown as El).hidden)).toBe(true);
      expect(cover).toContain('Zoë Çelik');
      expect(await p.$$eval('#am-toc a', (as) => as.length)).toBeGreaterThanOrEqual(10);
    } finally {
      await p.close();
    }
    expect(requests).toEqual([]);
  });

  for (const width of [390, 1280]) {
    it(`has no WCAG 2.1 AA violation (axe-core) and no horizontal overflow at ${width} px`, async () => {
      for (const content of [html, renderHtml(syntheticDocument(200)).html]) {
        const p = await open(content, true, width);
        try {
          expect(await axeViolations(p)).toEqual([]);
          const overflow = (await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
          expect(overflow).toBeLessThanOrEqual(0);
        } finally {
          await p.close();
        }
      }
    });
  }
});
