/**
 * HTML print parts → one PDF: printed offline in Chromium part by part, merged with pdf-lib,
 * stamped with running headers/footers, given an outline and pinned metadata so two builds of
 * the same inputs are byte-identical.
 */
import type { Page } from 'puppeteer-core';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRef,
  rgb,
  StandardFonts,
  type PDFFont,
} from 'pdf-lib';
import { diag, DiagnosticError, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../model/limits.ts';
import type { ReportMetadata } from '../model/report.ts';
import { getBrowser, killBrowser } from './browser.ts';
import type { HeadingRef, PrintPart } from './to-html.ts';

/** Options of {@link toPdf}. */
export interface PdfOptions {
  metadata: ReportMetadata;
  paper: 'A4' | 'Letter';
  limits?: Partial<Limits>;
  /** Called after each printed part (and once with 0 before the first); the CLI prints it on a TTY. */
  onProgress?: (done: number, total: number) => void;
  /** `--chrome <path>`. */
  chromePath?: string;
  /** Environment for browser resolution (defaults to `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Parts printed at the same time, each in its own tab (default 2; see docs/html-pdf.md). */
  concurrency?: number;
  /** Deepest heading level in the PDF outline (default 3). */
  outlineDepth?: number;
}

/** Result of {@link toPdf}: the PDF bytes, or no bytes and error diagnostics. */
export interface PdfResult {
  pdf?: Uint8Array;
  pages: number;
  /** `browser.version()` of the Chromium that printed it, for the manifest. */
  chromium?: string;
  /** Requests the page tried to make and the interception layer aborted. */
  blockedRequests: string[];
  diagnostics: Diagnostic[];
}

/** Page margins leave room for the stamped running header and footer. */
const MARGIN = { top: '20mm', bottom: '20mm', left: '15mm', right: '15mm' };
const MM = 72 / 25.4;

class TimeoutFailure extends Error {
  constructor(readonly limit: 'printTimeoutMs' | 'renderTimeoutMs', readonly value: number, readonly part?: number) {
    super(`${limit} ${value} ms exceeded`);
  }
}

/**
 * Open a tab locked down for printing untrusted HTML: no JavaScript, offline, and every request
 * that is not an in-memory `data:` URL aborted and recorded.
 */
async function lockedPage(blocked: string[]): Promise<Page> {
  const { browser } = await getBrowser();
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setOfflineMode(true);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) {
      void request.continue();
      return;
    }
    blocked.push(url);
    void request.abort('blockedbyclient');
  });
  return page;
}

function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An outline entry as Chromium wrote it for one part. */
interface PartOutlineEntry {
  depth: number;
  title: string;
  page: number;
  y: number;
}

/** Read Chromium's per-part outline (preorder) with page indices local to the part. */
function readOutline(doc: PDFDocument): PartOutlineEntry[] {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i));
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const out: PartOutlineEntry[] = [];
  const walk = (first: PDFDict | undefined, depth: number): void => {
    for (let item = first, guard = 0; item && guard < 100_000; item = item.lookupMaybe(PDFName.of('Next'), PDFDict), guard++) {
      const title = item.lookup(PDFName.of('Title'));
      const dest = item.lookupMaybe(PDFName.of('Dest'), PDFArray);
      const target = dest?.get(0);
      const y = dest?.lookupMaybe(3, PDFNumber)?.asNumber() ?? 0;
      out.push({
        depth,
        title: title instanceof PDFHexString ? title.decodeText() : String(title ?? ''),
        page: target instanceof PDFRef ? (pageIndex.get(target.toString()) ?? 0) : 0,
        y,
      });
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1);
    }
  };
  walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict), 1);
  return out;
}

/** A heading placed in the merged document. */
interface PlacedHeading {
  depth: number;
  title: string;
  page: number;
  y: number;
}

/**
 * Write `/Outlines` for the merged document. pdf-lib has no outline API, so the dictionaries are
 * created directly: one item per heading, nested by depth, each pointing at its page and height.
 */
function writeOutline(doc: PDFDocument, headings: readonly PlacedHeading[]): void {
  if (headings.length === 0) return;
  const ctx = doc.context;
  const pages = doc.getPages();
  const rootRef = ctx.nextRef();
  interface Node {
    ref: PDFRef;
    dict: PDFDict;
    children: Node[];
  }
  const root: Node = { ref: rootRef, dict: ctx.obj({ Type: 'Outlines' }), children: [] };
  const stack: Array<{ depth: number; node: Node }> = [{ depth: 0, node: root }];
  for (const h of headings) {
    while (stack.length > 1 && (stack[stack.length - 1]?.depth ?? 0) >= h.depth) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const page = pages[Math.min(h.page, pages.length - 1)]!;
    const dict = ctx.obj({}) as PDFDict;
    dict.set(PDFName.of('Title'), PDFHexString.fromText(h.title));
    dict.set(PDFName.of('Parent'), parent.ref);
    dict.set(PDFName.of('Dest'), ctx.obj([page.ref, PDFName.of('XYZ'), PDFNull, PDFNumber.of(Math.round(h.y * 100) / 100), PDFNull]));
    const node: Node = { ref: ctx.nextRef(), dict, children: [] };
    parent.children.push(node);
    stack.push({ depth: h.depth, node });
  }
  const link = (node: Node): number => {
    let count = 0;
    node.children.forEach((child, i) => {
      const prev = node.children[i - 1];
      const next = node.children[i + 1];
      if (prev) child.dict.set(PDFName.of('Prev'), prev.ref);
      if (next) child.dict.set(PDFName.of('Next'), next.ref);
      count += 1 + link(child);
    });
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && last) {
      node.dict.set(PDFName.of('First'), first.ref);
      node.dict.set(PDFName.of('Last'), last.ref);
      node.dict.set(PDFName.of('Count'), PDFNumber.of(count));
    }
    ctx.assign(node.ref, node.dict);
    return count;
  };
  link(root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * Make stamped text encodable in WinAnsi (the standard PDF fonts' encoding): keep what the font
 * has, else strip accents (`ł` has no decomposition, so it becomes `?`), else a visible `?`.
 * The document body keeps full Unicode through Chromium and the embedded Noto Sans; only the
 * running header/footer goes through here.
 */
export function toWinAnsi(value: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of value.replace(/[\r\n\t]+/g, ' ')) {
    if (supported.has(ch.codePointAt(0)!)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFKD').replace(/\p{M}+/gu, '');
    out += base !== '' && [...base].every((c) => supported.has(c.codePointAt(0)!)) ? base : '?';
  }
  return out;
}

function fit(value: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(value, size) <= width) return value;
  let s = value;
  while (s.length > 1 && font.widthOfTextAtSize(s + '...', size) > width) s = s.slice(0, -1);
  return s + '...';
}

/** Running header (classification, title) and footer (document id, Page N of M) on every page. */
async function stamp(doc: PDFDocument, metadata: ReportMetadata): Promise<void> {
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pages = doc.getPages();
  const total = pages.length;
  const size = 8;
  const grey = rgb(0.25, 0.27, 0.3);
  const classification = toWinAnsi(metadata.classification.toUpperCase(), bold);
  const title = toWinAnsi(metadata.title, regular);
  const docId = toWinAnsi(`Document ${metadata.documentId}`, regular);
  pages.forEach((page, i) => {
    const { width, height } = page.getSize();
    const left = 15 * MM;
    const right = width - 15 * MM;
    const top = height - 11 * MM;
    const bottom = 9 * MM;
    const cls = fit(classification, bold, size, (right - left) / 3);
    const clsWidth = bold.widthOfTextAtSize(cls, size);
    page.drawText(cls, { x: left, y: top, size, font: bold, color: grey });
    const t = fit(title, regular, size, right - left - clsWidth - 20);
    page.drawText(t, { x: right - regular.widthOfTextAtSize(t, size), y: top, size, font: regular, color: grey });
    page.drawLine({ start: { x: left, y: top - 3 }, end: { x: right, y: top - 3 }, thickness: 0.4, color: grey });
    const pageLabel = `Page ${i + 1} of ${total}`;
    page.drawLine({ start: { x: left, y: bottom + 9 }, end: { x: right, y: bottom + 9 }, thickness: 0.4, color: grey });
    page.drawText(fit(docId, regular, size, (right - left) / 2), { x: left, y: bottom, size, font: regular, color: grey });
    page.drawText(cls, { x: (left + right) / 2 - clsWidth / 2, y: bottom, size, font: bold, color: grey });
    page.drawText(pageLabel, { x: right - regular.widthOfTextAtSize(pageLabel, size), y: bottom, size, font: regular, color: grey });
  });
}

/** Pin every metadata field, so the output depends only on the inputs. */
function setMetadata(doc: PDFDocument, metadata: ReportMetadata, chromium: string): void {
  const created = new Date(metadata.created);
  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  doc.setAuthor(metadata.author ?? metadata.distributedBy ?? metadata.project);
  doc.setSubject(metadata.purpose || metadata.description);
  doc.setKeywords([metadata.project, metadata.classification, metadata.documentId, 'security audit']);
  doc.setCreator(`auditmark ${metadata.auditmarkVersion}`);
  doc.setProducer(`auditmark ${metadata.auditmarkVersion} (pdf-lib; ${chromium})`);
  doc.setLanguage(metadata.language);
  if (!Number.isNaN(created.getTime())) {
    doc.setCreationDate(created);
    doc.setModificationDate(created);
  }
}

function normaliseParts(input: string | readonly (string | PrintPart)[]): PrintPart[] {
  const list = typeof input === 'string' ? [input] : input;
  return list.map((p) => (typeof p === 'string' ? { html: p, headings: [] as HeadingRef[] } : p));
}

/**
 * Print HTML (one page, or the print parts from `renderHtml(..., { printParts: true })`) to PDF.
 * Parts are printed offline in the shared browser, merged, stamped, outlined and pinned. A part
 * over `printTimeoutMs` or a render over `renderTimeoutMs` gives `pdf/timeout`, no bytes, and the
 * browser is killed so nothing is left running.
 */
export async function toPdf(input: string | readonly (string | PrintPart)[], options: PdfOptions): Promise<PdfResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parts = normaliseParts(input);
  const blockedRequests: string[] = [];
  const total = parts.length;
  const printed: Array<Uint8Array | undefined> = new Array(total);
  let chromium: string | undefined;
  let done = 0;
  const pages: Page[] = [];
  try {
    const browser = await getBrowser({ explicitPath: options.chromePath, env: options.env, protocolTimeoutMs: Math.max(limits.renderTimeoutMs, limits.printTimeoutMs) + 10_000 });
    chromium = browser.version;
    options.onProgress?.(0, total);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < total; i = next++) {
        const part = parts[i]!;
        // A fresh tab per part: a reused tab kept every earlier part's layout alive and its
        // renderer grew to ~330 MB for a 2,000-finding document (measured); closing frees it.
        const page = await lockedPage(blockedRequests);
        pages.push(page);
        const job = (async () => {
          await page.setContent(part.html, { waitUntil: 'load', timeout: limits.printTimeoutMs });
          return page.pdf({
            format: options.paper,
            printBackground: true,
            margin: MARGIN,
            outline: true,
            timeout: limits.printTimeoutMs,
          });
        })();
        printed[i] = await withTimeout(job, limits.printTimeoutMs, () => new TimeoutFailure('printTimeoutMs', limits.printTimeoutMs, i + 1));
        await page.close();
        pages.splice(pages.indexOf(page), 1);
        done++;
        options.onProgress?.(done, total);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, total));
    const all = Promise.all(Array.from({ length: concurrency }, worker));
    await withTimeout(all, limits.renderTimeoutMs, () => new TimeoutFailure('renderTimeoutMs', limits.renderTimeoutMs));
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
  } catch (e) {
    // A stuck or failed print leaves Chromium busy: kill it so no process outlives the render.
    await killBrowser();
    return { pages: 0, chromium, blockedRequests, diagnostics: [failureDiagnostic(e, total)] };
  }

  const merged = await PDFDocument.create({ updateMetadata: false });
  const placed: PlacedHeading[] = [];
  const outlineDepth = options.outlineDepth ?? 3;
  for (let i = 0; i < total; i++) {
    const src = await PDFDocument.load(printed[i]!, { updateMetadata: false });
    const offset = merged.getPageCount();
    const copied = await merged.copyPages(src, src.getPageIndices());
    for (const p of copied) merged.addPage(p);
    const entries = readOutline(src);
    const known = parts[i]!.headings;
    // Chromium's outline nests relative to the headings present in the part; our own heading
    // list knows the true levels, so use it whenever both agree on how many headings there are.
    const levels = known.length === entries.length ? known.map((h) => h.depth) : entries.map((e) => e.depth + (i === 0 ? 0 : 1));
    entries.forEach((e, k) => {
      const depth = levels[k] ?? e.depth;
      if (depth <= outlineDepth) placed.push({ depth, title: known.length === entries.length ? known[k]!.text : e.title, page: offset + e.page, y: e.y });
    });
    printed[i] = undefined;
  }
  await stamp(merged, options.metadata);
  writeOutline(merged, placed);
  setMetadata(merged, options.metadata, chromium ?? 'Chromium');
  const pdf = await merged.save({ useObjectStreams: true });
  return { pdf, pages: merged.getPageCount(), chromium, blockedRequests, diagnostics: [] };
}

function failureDiagnostic(e: unknown, total: number): Diagnostic {
  if (e instanceof DiagnosticError) return e.diagnostic;
  if (e instanceof TimeoutFailure) {
    const what = e.limit === 'printTimeoutMs' ? `Printing part ${e.part} of ${total}` : `Rendering the PDF (${total} parts)`;
    return diag('pdf/timeout', 'error', `${what} took longer than ${e.limit} (${e.value} ms); no PDF was written.`, {
      expected: `at most ${e.value} ms`,
      fix: limitHint(e.limit),
    });
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (e instanceof Error && e.name === 'TimeoutError') {
    return diag('pdf/timeout', 'error', `Chromium timed out while printing: ${message}; no PDF was written.`, { fix: limitHint('printTimeoutMs') });
  }
  return diag('pdf/print-failed', 'error', `Chromium failed while printing: ${message}; no PDF was written.`, {
    fix: 'Run again; if it persists, try another browser with --chrome <path>.',
  });
}
