/**
 * Real PDFs from real Chromium (the bundled @sparticuz/chromium here), checked with pdfjs-dist
 * (text, lines, links, outline, attachments) and pdf-lib (catalog entries). One browser per file.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportMetadata } from '../../src/model/report.ts';
import { renderHtml, TOC_LINK_PREFIX } from '../../src/render/html/to-html.ts';
import { toPdf, type PdfResult } from '../../src/render/pdf/to-pdf.ts';
import { closeTestBrowser, testBrowser } from '../helpers/browser.ts';
import { METADATA as metadata, syntheticDocument, templateDocument } from '../helpers/documents.ts';
import { inspectPdf, type PdfInspection } from '../helpers/pdf-inspect.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// A multi-part document: the synthetic 400-finding report printed in parts of 120 rows.
const doc = renderHtml(syntheticDocument(400), { printParts: 120 });
// A document printed as one part (tagged).
const small = renderHtml(syntheticDocument(40), { printParts: 'one' });

let a4: PdfResult;
let pdf: PdfInspection;
let one: PdfResult;
let onePdf: PdfInspection;
const attachment = { name: 'report.json', bytes: Buffer.from('{"x":1}\n'), mimeType: 'application/json', description: 'twin' };

beforeAll(async () => {
  a4 = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4', attachments: [attachment] });
  expect(a4.diagnostics).toEqual([]);
  pdf = await inspectPdf(a4.pdf!);
  one = await toPdf(small.parts!, { browser: await testBrowser(), metadata, paper: 'A4' });
  expect(one.diagnostics).toEqual([]);
  onePdf = await inspectPdf(one.pdf!);
});
afterAll(async () => {
  await closeTestBrowser();
});

describe('toPdf', () => {
  it('prints several parts and merges them', () => {
    expect(doc.parts!.length).toBeGreaterThanOrEqual(3);
    expect(pdf.pages.length).toBeGreaterThan(doc.parts!.length);
  });

  it('stamps classification, title, "Page N of M" and the document id on every page, as artifacts', () => {
    const total = pdf.pages.length;
    pdf.pages.forEach((p, i) => {
      const stamped = p.lines.filter((l) => l.artifact).map((l) => l.text).join(' ');
      expect(stamped, `page ${i + 1}`).toContain('CONFIDENTIAL');
      expect(stamped, `page ${i + 1}`).toContain('Security scan report: payments-api 2.4.0');
      expect(stamped, `page ${i + 1}`).toContain(`Page ${i + 1} of ${total}`);
      expect(stamped, `page ${i + 1}`).toContain('Document am-3f2a9c1d7e5b');
    });
  });

  it('keeps all content: every fingerprint of the document appears', () => {
    const all = pdf.pages.map((p) => p.text).join('\n').replace(/\s/g, '');
    const fingerprints = [...doc.html.replace(/<wbr>/g, '').matchAll(/v1:[0-9a-f]{32}(?::\d+)?/g)].map((m) => m[0]);
    expect(fingerprints.length).toBeGreaterThan(400);
    for (const f of new Set(fingerprints)) expect(all, f).toContain(f);
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

  for (const [label, get, html] of [['in parts', () => pdf, doc], ['in one part', () => onePdf, small]] as const) {
    it(`has an outline whose entries point at the pages holding their headings (${label})`, () => {
      const p = get();
      const titles = p.outline.map((o) => `${o.depth}:${o.title}`);
      expect(titles.slice(0, 3)).toEqual([`1:${html.headings[0]!.text}`, '2:Contents', '2:Executive summary']);
      expect(p.outline.filter((o) => o.depth === 2).map((o) => o.title)).toEqual(['Contents', ...html.headings.filter((h) => h.depth === 2).map((h) => h.text)]);
      for (const o of p.outline) expect(p.pages[o.page - 1]!.text.replace(/\s/g, ''), `${o.title} -> page ${o.page}`).toContain(o.title.replace(/\s/g, ''));
      const pages = p.outline.map((o) => o.page);
      expect([...pages].sort((x, y) => x - y)).toEqual(pages);
    });

    it(`has a table of contents whose page numbers and links equal the bookmark pages (${label})`, () => {
      const p = get();
      const squash = (t: string) => t.replace(/\s/g, '');
      const bookmarks = new Map(p.outline.filter((o) => o.depth === 2 || o.depth === 3).map((o) => [squash(o.title), o.page]));
      const within = (y: number, rect: number[]) => y >= Math.min(rect[1]!, rect[3]!) - 1 && y <= Math.max(rect[1]!, rect[3]!) + 1;
      let checked = 0;
      for (const page of p.pages.slice(0, 4)) {
        for (const link of page.links) {
          expect(link.url ?? '', 'no table-of-contents entry is left pointing at its marker address').not.toContain(TOC_LINK_PREFIX);
          if (link.page === undefined) continue;
          // The entry's own text, and the page number stamped at the end of its line.
          const text = page.lines.filter((l) => !l.artifact && within(l.y, link.rect)).map((l) => l.text).join(' ').replace(/^\d+\.\s*/, '');
          const number = page.lines.filter((l) => l.artifact && within(l.y, link.rect)).map((l) => l.text).join('');
          expect(number, text).toBe(String(link.page));
          expect(bookmarks.get(squash(text)), text).toBe(link.page);
          checked++;
        }
      }
      expect(checked).toBe(html.headings.filter((h) => h.depth === 2 || h.depth === 3).length);
    });
  }

  it('keeps Chromium\'s structure tree and /Lang when printed in one part; merged parts are untagged', async () => {
    expect(one.tagged).toBe(true);
    expect(onePdf.marked).toBe(true);
    const cat = (await PDFDocument.load(one.pdf!)).catalog;
    expect(cat.has(PDFName.of('StructTreeRoot'))).toBe(true);
    expect(String(cat.get(PDFName.of('Lang')))).toContain('en');
    expect(a4.tagged).toBe(false);
  });

  it('embeds the attachments byte for byte', () => {
    expect(Object.keys(pdf.attachments)).toEqual(['report.json']);
    expect(sha(pdf.attachments['report.json']!)).toBe(sha(attachment.bytes));
  });

  it('prints A4 and Letter', async () => {
    expect(pdf.pages[0]).toMatchObject({ width: 596, height: 842 });
    const letter = await toPdf(doc.parts!.slice(0, 2), { browser: await testBrowser(), metadata, paper: 'Letter' });
    const l = await inspectPdf(letter.pdf!);
    expect(l.pages.every((p) => p.width === 612 && p.height === 792)).toBe(true);
    expect(l.pages.at(-1)!.text).toContain(`Page ${l.pages.length} of ${l.pages.length}`);
  });

  it('stamps non-Windows-1252 classification and title letters exactly on every page, reproducibly', async () => {
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

  it('stamps a visible ? for characters Noto Sans lacks, and shows controls and bidi overrides', async () => {
    const odd: ReportMetadata = { ...metadata, title: 'Audit 中文 \u{1F512}\u0007 \u202Eend' };
    const r = await toPdf(doc.parts!.slice(0, 1), { browser: await testBrowser(), metadata: odd, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    const p = await inspectPdf(r.pdf!);
    expect(p.pages[0]!.text).toContain('Audit ?? ?‹U+0007› ‹U+202E›end');
  });

  it('is reproducible: the same inputs give byte-identical PDFs, whatever the print concurrency', async () => {
    const again = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4', concurrency: 1, attachments: [attachment] });
    expect(sha(again.pdf!)).toBe(sha(a4.pdf!));
    const other = await toPdf(doc.parts!, { browser: await testBrowser(), metadata: { ...metadata, created: '2026-11-21T09:00:00Z' }, paper: 'A4', attachments: [attachment] });
    expect(sha(other.pdf!)).not.toBe(sha(a4.pdf!));
  });

  it('reports progress once per part, in order', async () => {
    const seen: string[] = [];
    await toPdf(doc.parts!.slice(0, 3), { browser: await testBrowser(), metadata, paper: 'A4', onProgress: (done, total) => seen.push(`${done}/${total}`) });
    expect(seen).toEqual(['0/3', '1/3', '2/3', '3/3']);
  });

  it('reports pdf/print-failed and returns no bytes when Chromium is killed mid-print', async () => {
    const { browser } = await testBrowser();
    setTimeout(() => browser.process()?.kill('SIGKILL'), 150);
    const r = await toPdf(doc.parts!, { browser: await testBrowser(), metadata, paper: 'A4' });
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
    expect(() => process.kill(pid, 0)).toThrow();
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
      `<img src="http://127.0.0.1:${port}/img">`,
      '<iframe src="file:///etc/passwd"></iframe>',
      `<link rel=stylesheet href="http://127.0.0.1:${port}/link.css">`,
      `<style>@import url(http://127.0.0.1:${port}/import.css); body{background:url(http://127.0.0.1:${port}/bg.png)}</style>`,
      `<object data="http://127.0.0.1:${port}/object"></object><video src="http://127.0.0.1:${port}/video"></video>`,
      `<meta http-equiv="refresh" content="0;url=http://127.0.0.1:${port}/refresh">`,
      `![remote alt text](http://127.0.0.1:${port}/y.png) and ![secret alt text](../../secret.png) and ![file alt text](file:///etc/passwd)`,
      `Visit <http://127.0.0.1:${port}/autolink> (never fetched).`,
    ].join('\n');

  it('makes zero connections: hostile scan text is only ever text (tree + sanitizer + CSP + interception)', async () => {
    const title = 'Bezpečnostní audit – Łódź </title><script>alert(1)</script>';
    const document = templateDocument('# {{ title | md }}\n\n## Finding\n\n{{ message | md }}\n\n{{ message | codeblock }}\n\n{{ message | markdown }}\n', { title, message: hostile() }, { title });
    const parts = renderHtml(document, { printParts: 'one' }).parts!;
    const r = await toPdf(parts, { browser: await testBrowser(), metadata: document.meta, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    const inspected = await inspectPdf(r.pdf!);
    expect(inspected.info.Title).toBe(title);
    for (const p of inspected.pages) expect(p.text).toContain(`${title} Document am-3f2a9c1d7e5b`);
    const text = inspected.pages.map((p) => p.text).join(' ');
    expect(text).toContain('<iframe src="file:///etc/passwd"></iframe>');
    for (const alt of ['remote alt text', 'secret alt text', 'file alt text']) expect(text).toContain(alt);
    expect(text).not.toMatch(/root:x:0:0/);
    expect(inspected.pages.flatMap((p) => p.links).filter((l) => l.url !== undefined)).toEqual([]);
    expect(r.blockedRequests).toEqual([]);
    expect(connections).toBe(0);
  });

  it('interception alone stops every request when a page has raw HTML and no CSP (defence in depth)', async () => {
    const raw = `<!doctype html><html><body><h1>Raw</h1>${hostile()}</body></html>`;
    const r = await toPdf([raw], { browser: await testBrowser(), metadata, paper: 'A4' });
    expect(r.diagnostics).toEqual([]);
    expect(connections).toBe(0);
    expect(paths).toEqual([]);
    // The page did try: interception saw and aborted the requests.
    expect(r.blockedRequests.some((u) => u.includes(`127.0.0.1:${port}`))).toBe(true);
    const text = (await inspectPdf(r.pdf!)).pages.map((p) => p.text).join(' ');
    expect(text).not.toMatch(/root:x:0:0/);
  });
});
