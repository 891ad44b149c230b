/**
 * Real PDFs from real Chromium (the bundled @sparticuz/chromium here), checked with pdfjs-dist.
 * One browser for the whole file (the shared process browser).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMarkdown } from '../../bench/synthetic-markdown.ts';
import { closeTestBrowser, testBrowser } from '../helpers/browser.ts';
import { renderHtml } from '../../src/render/html/to-html.ts';
import { toPdf } from '../../src/render/pdf/to-pdf.ts';
import type { ReportMetadata } from '../../src/model/report.ts';
import { inspectPdf, type PdfInspection } from '../helpers/pdf-inspect.ts';

const metadata: ReportMetadata = JSON.parse(readFileSync(new URL('../fixtures/emit/metadata.json', import.meta.url), 'utf8'));
const fixture = readFileSync(new URL('../fixtures/emit/report.md', import.meta.url), 'utf8');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// A realistic multi-section document: the hand-written report plus a long findings section.
const markdown = fixture + '\n' + syntheticMarkdown(180).split('\n').slice(syntheticMarkdown(180).split('\n').indexOf('## Finding details')).join('\n').replace('## Finding details', '## Occurrences');
const doc = renderHtml(markdown, { metadata, printParts: { rowsPerPart: 60 } });

let a4: Uint8Array;
let pdf: PdfInspection;

beforeAll(async () => {
  const r = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4' });
  expect(r.diagnostics).toEqual([]);
  a4 = r.pdf!;
  pdf = await inspectPdf(a4);
});
afterAll(async () => {
  await closeTestBrowser();
});

describe('toPdf', () => {
  it('prints at least three parts and merges them', () => {
    expect(doc.parts!.length).toBeGreaterThanOrEqual(3);
    expect(pdf.pages.length).toBeGreaterThan(doc.parts!.length);
  });

  it('stamps classification, title, "Page N of M" and the document id on every page', () => {
    const total = pdf.pages.length;
    pdf.pages.forEach((p, i) => {
      expect(p.text, `page ${i + 1}`).toContain('CONFIDENTIAL');
      expect(p.text, `page ${i + 1}`).toContain('Security scan report: payments-api 2.4.0');
      expect(p.text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${total}`);
      expect(p.text, `page ${i + 1}`).toContain('Document am-3f2a9c1d7e5b');
    });
  });

  it('keeps all content: every occurrence row appears exactly once', () => {
    const all = pdf.pages.map((p) => p.text).join('\n');
    for (let i = 0; i < 180; i++) expect(all.split(`fp1:occ:${String(i).padStart(6, '0')}`).length - 1, `row ${i}`).toBe(1);
    expect(all).toContain('Łukasz Wróbel');
  });

  it('pins metadata', () => {
    expect(pdf.info.Title).toBe(metadata.title);
    expect(pdf.info.Author).toBe('Zoë Çelik');
    expect(pdf.info.Creator).toBe('auditmark 0.1.0');
    expect(pdf.info.Subject).toBe(metadata.purpose);
    expect(pdf.info.Keywords).toContain('am-3f2a9c1d7e5b');
    expect(pdf.info.CreationDate).toBe('D:20261120090000Z');
    expect(pdf.info.ModDate).toBe('D:20261120090000Z');
  });

  it('has an outline from h1/h2/h3 whose entries point at the pages holding those headings', () => {
    const titles = pdf.outline.map((o) => `${o.depth}:${o.title}`);
    expect(titles.slice(0, 4)).toEqual(['1:Security scan report: payments-api 2.4.0', '2:Contents', '2:Summary', '2:Scope and evidence']);
    expect(titles).toContain('3:B506: Use of unsafe yaml load');
    expect(titles).toContain('2:Occurrences');
    expect(titles).toContain('3:Group 6: Probable insecure usage of temp file/directory');
    const expectedH2 = doc.headings.filter((h) => h.depth === 2).map((h) => h.text);
    expect(pdf.outline.filter((o) => o.depth === 2).map((o) => o.title)).toEqual(['Contents', ...expectedH2]);
    for (const o of pdf.outline) {
      const text = pdf.pages[o.page - 1]!.text.replace(/\s+/g, ' ');
      expect(text, `${o.title} -> page ${o.page}`).toContain(o.title.replace(/\s+/g, ' '));
    }
    const pages = pdf.outline.map((o) => o.page);
    expect([...pages].sort((x, y) => x - y)).toEqual(pages);
  });

  it('prints A4 and Letter', async () => {
    expect(pdf.pages[0]).toMatchObject({ width: 596, height: 842 });
    const letter = await toPdf(doc.parts!.slice(0, 2), { browser: await testBrowser(), metadata, paper: 'Letter' });
    const l = await inspectPdf(letter.pdf!);
    expect(l.pages.every((p) => p.width === 612 && p.height === 792)).toBe(true);
    expect(l.pages.at(-1)!.text).toContain(`Page ${l.pages.length} of ${l.pages.length}`);
  });

  it('stamps non-Windows-1252 classification and title letters exactly on every page, reproducibly', async () => {
    // The parts keep the fixture's metadata, so these strings can only come from the stamp.
    const intl: ReportMetadata = { ...metadata, classification: 'Důvěrné — Zastrzeżone', title: 'Audyt Ł ő ğ — Kraków' };
    const first = await toPdf(doc.parts!.slice(0, 2), { browser: await testBrowser(), metadata: intl, paper: 'A4' });
    const second = await toPdf(doc.parts!.slice(0, 2), { browser: await testBrowser(), metadata: intl, paper: 'A4' });
    expect(sha(second.pdf!)).toBe(sha(first.pdf!));
    const stamped = await inspectPdf(first.pdf!);
    expect(stamped.pages.length).toBeGreaterThan(1);
    stamped.pages.forEach((p, i) => {
      expect(p.text, `page ${i + 1}`).toContain('DŮVĚRNÉ — ZASTRZEŻONE');
      expect(p.text, `page ${i + 1}`).toContain('Audyt Ł ő ğ — Kraków');
      expect(p.text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${stamped.pages.length}`);
    });
  });

  it('stamps a visible ? for characters Noto Sans lacks instead of failing', async () => {
    const odd: ReportMetadata = { ...metadata, title: 'Audit 中文 \u{1F512}\u0007 end' };
    const r = await toPdf(doc.parts!.slice(0, 1), { browser: await testBrowser(), metadata: odd, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    const p = await inspectPdf(r.pdf!);
    expect(p.pages[0]!.text).toContain('Audit ?? ?? end');
  });

  it('is reproducible: the same inputs give byte-identical PDFs, whatever the print concurrency', async () => {
    const again = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4', concurrency: 1 });
    expect(sha(again.pdf!)).toBe(sha(a4));
    const other = await toPdf(doc.parts!, { browser: await testBrowser(), metadata: { ...metadata, created: '2026-11-21T09:00:00Z' }, paper: 'A4' });
    expect(sha(other.pdf!)).not.toBe(sha(a4));
  });

  it('reports progress once per part, in order', async () => {
    const seen: string[] = [];
    await toPdf(doc.parts!.slice(0, 3), { browser: await testBrowser(), metadata, paper: 'A4', onProgress: (done, total) => seen.push(`${done}/${total}`) });
    expect(seen).toEqual(['0/3', '1/3', '2/3', '3/3']);
  });

  it('reports pdf/print-failed and returns no bytes when Chromium is killed mid-print', async () => {
    const { browser } = await testBrowser();
    const proc = browser.process()!;
    const r = await toPdf(doc.parts!, {
      browser: await testBrowser(),
      metadata,
      paper: 'A4',
      onProgress: (done) => {
        if (done === 1) proc.kill('SIGKILL');
      },
    });
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['pdf/print-failed']);
    const ok = await toPdf(doc.parts!.slice(0, 1), { browser: await testBrowser(), metadata, paper: 'A4' });
    expect(ok.diagnostics).toEqual([]);
  });

  it('fails with pdf/timeout naming renderTimeoutMs when the whole render is too slow', async () => {
    const r = await toPdf(doc.parts!, { browser: await testBrowser(), signal: AbortSignal.timeout(1), metadata, paper: 'A4', limits: { renderTimeoutMs: 1 } });
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['pdf/timeout']);
    expect(r.diagnostics[0]!.message).toContain('renderTimeoutMs (1 ms)');
  });

  it('fails with pdf/timeout, no bytes and no Chromium left when a part exceeds printTimeoutMs', async () => {
    const { browser } = await testBrowser();
    const pid = browser.process()!.pid!;
    const r = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4', limits: { printTimeoutMs: 1 } });
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'pdf/timeout', level: 'error' });
    expect(r.diagnostics[0]!.message).toContain('printTimeoutMs (1 ms)');
    expect(r.diagnostics[0]!.fix).toContain('--limit printTimeoutMs=');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(() => process.kill(pid, 0)).toThrow();
    // The next render starts a fresh browser.
    const ok = await toPdf(doc.parts!.slice(0, 1), { browser: await testBrowser(), metadata, paper: 'A4' });
    expect(ok.diagnostics).toEqual([]);
  });
});

describe('offline printing of hostile content', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.end('canary');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const hostile = () =>
    [
      '# Hostile finding',
      '## Finding',
      `<img src="http://127.0.0.1:${port}/img">`,
      '<iframe src="file:///etc/passwd"></iframe>',
      `<link rel=stylesheet href="http://127.0.0.1:${port}/link.css">`,
      `<style>@import url(http://127.0.0.1:${port}/import.css); body{background:url(http://127.0.0.1:${port}/bg.png)}</style>`,
      `<object data="http://127.0.0.1:${port}/object"></object><video src="http://127.0.0.1:${port}/video"></video>`,
      `<meta http-equiv="refresh" content="0;url=http://127.0.0.1:${port}/refresh">`,
      '',
      `![remote alt text](http://127.0.0.1:${port}/y.png) and ![secret alt text](../../secret.png) and ![file alt text](file:///etc/passwd)`,
      '',
      `Visit <http://127.0.0.1:${port}/autolink> (a link, never fetched).`,
    ].join('\n');

  it('makes zero connections and keeps the alt text (sanitizer + CSP + interception)', async () => {
    const title = 'Bezpečnostní audit – Łódź </title><script>alert(1)</script>';
    const hostileMeta = { ...metadata, title };
    const parts = renderHtml(hostile(), { metadata: hostileMeta, printParts: true }).parts!;
    const r = await toPdf(parts, { browser: await testBrowser(), metadata: hostileMeta, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    const inspected = await inspectPdf(r.pdf!);
    expect(inspected.info.Title).toBe(title);
    // The stamped header draws the title as literal text in the embedded Noto Sans: exact letters, markup shown as text.
    for (const p of inspected.pages) expect(p.text).toContain(`${title} Document am-3f2a9c1d7e5b`);
    const text = inspected.pages.map((p) => p.text).join(' ');
    for (const alt of ['remote alt text', 'secret alt text', 'file alt text']) expect(text).toContain(alt);
    expect(text).not.toMatch(/root:x:0:0/);
    expect(connections).toBe(0);
  });

  it('interception alone stops every request when the sanitizer and CSP are disabled (defence in depth)', async () => {
    const parts = renderHtml(hostile(), { metadata, printParts: true, unsafeDisableSanitizerForTestsOnly: true }).parts!;
    expect(parts.some((p) => p.html.includes(`<img src="http://127.0.0.1:${port}/img">`))).toBe(true);
    expect(parts.every((p) => !p.html.includes('Content-Security-Policy'))).toBe(true);
    const r = await toPdf(parts, { browser: await testBrowser(), metadata, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    expect(connections).toBe(0);
    expect(paths).toEqual([]);
    // The page did try: interception saw and aborted the requests.
    expect(r.blockedRequests.some((u) => u.includes(`127.0.0.1:${port}`))).toBe(true);
    const text = (await inspectPdf(r.pdf!)).pages.map((p) => p.text).join(' ');
    expect(text).not.toMatch(/root:x:0:0/);
  });
});
