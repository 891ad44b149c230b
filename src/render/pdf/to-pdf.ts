/**
 * HTML print parts → one PDF: printed offline in Chromium part by part, merged with pdf-lib,
 * stamped with running headers/footers, given an outline and pinned metadata so two builds of
 * the same inputs are byte-identical.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
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
  type Color,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { diag, DiagnosticError, type Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../model/limits.ts';
import type { ReportMetadata } from '../../model/report.ts';
import type { BrowserResource } from './browser.ts';
import type { HeadingRef, PrintPart } from '../html/to-html.ts';

/** Options of {@link toPdf}. */
export interface PdfOptions {
  metadata: ReportMetadata;
  paper: 'A4' | 'Letter';
  limits?: Partial<Limits>;
  /** Called after each printed part (and once with 0 before the first); the CLI prints it on a TTY. */
  onProgress?: (done: number, total: number) => void;
  /** The browser to print in, owned by the caller (killed by a timeout, never closed here). */
  browser: BrowserResource;
  /** Aborted when the whole render's time (`renderTimeoutMs`) is spent. */
  signal?: AbortSignal;
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

/** Rejects when `signal` aborts (the render deadline), with the reason it carries. */
function aborted(signal: AbortSignal | undefined, limits: Limits): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const fail = () => reject(new TimeoutFailure('renderTimeoutMs', limits.renderTimeoutMs));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Open a tab locked down for printing untrusted HTML: no JavaScript, offline, and every request
 * that is not an in-memory `data:` URL aborted and recorded.
 */
async function lockedPage(resource: BrowserResource, blocked: string[]): Promise<Page> {
  const page = await resource.browser.newPage();
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

const require = createRequire(import.meta.url);

/**
 * Font files for the running header/footer, in fallback order. They are the Noto Sans WOFF files
 * of `@fontsource/noto-sans` (SIL Open Font License 1.1, already used for the body), which
 * @pdf-lib/fontkit (MIT) reads directly; WOFF, not WOFF2, because fontkit's subsetter throws
 * `RangeError: Index out of range` on the WOFF2 files (tried). Fontsource splits the font by
 * script, so no single file has both `a` and `ł`: each character is drawn with the first file
 * that has it. Files a stamp does not need are never embedded, so an ASCII-only document carries
 * only the `latin` subset.
 */
const STAMP_SUBSETS = ['latin', 'latin-ext', 'vietnamese', 'greek', 'cyrillic', 'cyrillic-ext'] as const;

/**
 * One fontsource file: its bytes and the code points it has a glyph for, read on first use so a
 * stamp in plain Latin never parses the other files.
 */
class StampFace {
  #bytes?: Uint8Array;
  #chars?: ReadonlySet<number>;
  constructor(readonly subset: string, readonly weight: 400 | 700) {}
  get bytes(): Uint8Array {
    this.#bytes ??= readFileSync(require.resolve(`@fontsource/noto-sans/files/noto-sans-${this.subset}-${this.weight}-normal.woff`));
    return this.#bytes;
  }
  get chars(): ReadonlySet<number> {
    this.#chars ??= new Set(fontkit.create(this.bytes).characterSet);
    return this.#chars;
  }
}

const faceCache = new Map<number, StampFace[]>();

function fontFaces(weight: 400 | 700): StampFace[] {
  let faces = faceCache.get(weight);
  if (!faces) {
    faces = STAMP_SUBSETS.map((subset) => new StampFace(subset, weight));
    faceCache.set(weight, faces);
  }
  return faces;
}

/** A piece of stamp text drawn with one embedded font. */
interface TextRun {
  font: PDFFont;
  text: string;
}

/** Draws stamp text in Noto Sans, switching font file per character as needed. */
interface StampFont {
  width(text: string, size: number): number;
  draw(page: PDFPage, text: string, at: { x: number; y: number; size: number; color: Color }): void;
}

/** Index of the face that draws `ch`; a character no face has becomes a visible `?`. */
function pick(ch: string, faces: readonly StampFace[]): { face: number; ch: string } {
  const face = faces.findIndex((f) => f.chars.has(ch.codePointAt(0)!));
  return face < 0 ? { face: 0, ch: '?' } : { face, ch };
}

/** Tabs and line breaks would draw as missing glyphs in a one-line stamp. */
const oneLine = (value: string): string => value.replace(/[\r\n\t]+/g, ' ');

/**
 * Embed the faces `texts` need (subset to the glyphs drawn). pdf-lib names an embedded font
 * `<name>-<random digits>` unless given a name; the name here carries the PDF subset tag
 * (ISO 32000-1 §9.6.4: six capital letters and `+`) derived from the face and the characters it
 * may draw, so the bytes depend only on the stamped text.
 */
async function stampFont(doc: PDFDocument, weight: 400 | 700, texts: readonly string[]): Promise<StampFont> {
  const faces = fontFaces(weight);
  const used = faces.map(() => new Set<number>());
  for (const text of texts) for (const c of oneLine(text)) {
    const { face, ch } = pick(c, faces);
    used[face]!.add(ch.codePointAt(0)!);
  }
  used[0]!.add(0x3f);
  const fonts: Array<PDFFont | undefined> = [];
  for (const [i, face] of faces.entries()) {
    if (used[i]!.size === 0) continue;
    const digest = createHash('sha256').update(`${face.subset}-${face.weight}:${[...used[i]!].sort((a, b) => a - b).join(',')}`).digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
    fonts[i] = await doc.embedFont(face.bytes, { subset: true, customName: `${tag}+NotoSans-${weight === 700 ? 'Bold' : 'Regular'}` });
  }
  const runs = (text: string): TextRun[] => {
    const out: TextRun[] = [];
    let last = -1;
    for (const c of oneLine(text)) {
      const { face, ch } = pick(c, faces);
      if (face === last) out[out.length - 1]!.text += ch;
      else out.push({ font: fonts[face]!, text: ch });
      last = face;
    }
    return out;
  };
  return {
    width: (text, size) => runs(text).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0),
    draw(page, text, { x, y, size, color }) {
      let dx = x;
      for (const r of runs(text)) {
        page.drawText(r.text, { x: dx, y, size, font: r.font, color });
        dx += r.font.widthOfTextAtSize(r.text, size);
      }
    },
  };
}

function fit(value: string, font: StampFont, size: number, width: number): string {
  if (font.width(value, size) <= width) return value;
  const chars = Array.from(value);
  while (chars.length > 1 && font.width(chars.join('') + '...', size) > width) chars.pop();
  return chars.join('') + '...';
}

/** Running header (classification, title) and footer (document id, Page N of M) on every page. */
async function stamp(doc: PDFDocument, metadata: ReportMetadata): Promise<void> {
  doc.registerFontkit(fontkit);
  const pages = doc.getPages();
  const total = pages.length;
  const size = 8;
  const grey = rgb(0.25, 0.27, 0.3);
  const classification = oneLine(metadata.classification.toUpperCase());
  const title = oneLine(metadata.title);
  const docId = oneLine(`Document ${metadata.documentId}`);
  const labels = pages.map((_, i) => `Page ${i + 1} of ${total}`);
  const bold = await stampFont(doc, 700, [classification, '...']);
  const regular = await stampFont(doc, 400, [title, docId, ...labels, '...']);
  pages.forEach((page, i) => {
    const { width, height } = page.getSize();
    const left = 15 * MM;
    const right = width - 15 * MM;
    const top = height - 11 * MM;
    const bottom = 9 * MM;
    const cls = fit(classification, bold, size, (right - left) / 3);
    const clsWidth = bold.width(cls, size);
    bold.draw(page, cls, { x: left, y: top, size, color: grey });
    const t = fit(title, regular, size, right - left - clsWidth - 20);
    regular.draw(page, t, { x: right - regular.width(t, size), y: top, size, color: grey });
    page.drawLine({ start: { x: left, y: top - 3 }, end: { x: right, y: top - 3 }, thickness: 0.4, color: grey });
    const pageLabel = labels[i]!;
    page.drawLine({ start: { x: left, y: bottom + 9 }, end: { x: right, y: bottom + 9 }, thickness: 0.4, color: grey });
    regular.draw(page, fit(docId, regular, size, (right - left) / 2), { x: left, y: bottom, size, color: grey });
    bold.draw(page, cls, { x: (left + right) / 2 - clsWidth / 2, y: bottom, size, color: grey });
    regular.draw(page, pageLabel, { x: right - regular.width(pageLabel, size), y: bottom, size, color: grey });
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
 * Parts are printed offline in the given browser, merged, stamped, outlined and pinned. A part
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
    const resource = options.browser;
    chromium = resource.version;
    options.onProgress?.(0, total);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < total; i = next++) {
        const part = parts[i]!;
        // A fresh tab per part: a reused tab kept every earlier part's layout alive and its
        // renderer grew to ~330 MB for a 2,000-finding document (measured); closing frees it.
        const page = await lockedPage(resource, blockedRequests);
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
    await Promise.race([all, aborted(options.signal, limits)]);
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
  } catch (e) {
    // A stuck or failed print leaves Chromium busy: kill it so no process outlives the render.
    await options.browser.kill();
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
