/**
 * HTML print parts → one PDF: printed offline in Chromium; a one-part document is kept as
 * Chromium wrote it (tagged: structure tree, /Lang), several parts are merged with pdf-lib (the
 * structure trees of parts cannot be merged, so a merged PDF is untagged); then the table of
 * contents gets its links and page numbers, every page its running header and footer (as
 * artifacts), the document its outline, embedded evidence files and pinned metadata, so two
 * builds of the same inputs are byte-identical.
 */
import { AFRelationship, ParseSpeeds, PDFDocument, PDFName } from 'pdf-lib';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../../model/limits.ts';
import type { ReportMetadata } from '../../model/report.ts';
import type { HeadingRef, PrintPart } from '../html/to-html.ts';
import { HEADING_LINK_PREFIX, SIGNATURE_LINK_PREFIX, TOC_LINK_PREFIX } from '../html/to-html.ts';
import type { BrowserResource } from './browser.ts';
import { readOutline, writeOutline, type PlacedHeading } from './outline.ts';
import { printFailure, printParts } from './print.ts';
import { signPdf, takeMarkers, type PdfSigning } from './sign-pdf.ts';
import { stamp } from './stamp.ts';
import { linkTableOfContents, type HeadingPlace } from './toc-links.ts';

/** A file embedded in the PDF (PDF/A-3 associated file, relationship Data). */
export interface PdfAttachment {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
  description: string;
}

/** Options of {@link toPdf}. */
export interface PdfOptions {
  /** The browser to print in, owned by the caller (killed by a timeout, never closed here). */
  browser: BrowserResource;
  /** Aborted when the whole render's time (`renderTimeoutMs`) is spent. */
  signal?: AbortSignal;
  metadata: ReportMetadata;
  paper: 'A4' | 'Letter';
  limits?: Partial<Limits>;
  /** Called after each printed part (and once with 0 before the first); the CLI prints it on a TTY. */
  onProgress?: (done: number, total: number) => void;
  /** Parts printed at the same time, each in its own tab (default 2; see docs/html-pdf.md). */
  concurrency?: number;
  /** Deepest heading level in the PDF outline (default 3). */
  outlineDepth?: number;
  /** Files embedded in the PDF, so an archived PDF alone can be re-checked. */
  attachments?: readonly PdfAttachment[];
  /** Sign the PDF (PAdES) in the approver's signature box; `signer` is the name shown in the signature. */
  signing?: PdfSigning & { signer: string };
}

/** Result of {@link toPdf}: the PDF bytes, or no bytes and error diagnostics. */
export interface PdfResult {
  pdf?: Uint8Array;
  pages: number;
  /** True when the PDF keeps Chromium's structure tree (printed as one part). */
  tagged: boolean;
  /** `browser.version()` of the Chromium that printed it, for the manifest. */
  chromium?: string;
  /** Requests the page tried to make and the interception layer aborted. */
  blockedRequests: string[];
  diagnostics: Diagnostic[];
}

/**
 * pdf-lib yields to the event loop every 100 objects it parses and every 50 it writes (a
 * `setTimeout` each): for the ~30,000 objects of a 60-page report that was more idle wall time
 * than the parse itself (measured: merge 1.55 s wall for 0.51 s of CPU). Both run straight
 * through: a part's parse is short (its size is bounded by the part weight), and the printing
 * that runs meanwhile only needs the loop between parts, when its messages are answered.
 */
const LOAD = { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest } as const;
/** See {@link LOAD} (`sign-pdf.ts` saves the same way). */
const SAVE_STRAIGHT = { objectsPerTick: Infinity } as const;

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

/** Headings of one printed part placed at their pages in the final document (offset by the pages before it). */
function place(part: PDFDocument, known: readonly HeadingRef[], offset: number, continuation: boolean, into: PlacedHeading[], places: Map<string, HeadingPlace>): void {
  const entries = readOutline(part);
  // Chromium's outline nests relative to the headings present in the part; our own heading list
  // knows the true levels and ids, so it is used whenever both agree on how many headings there are.
  const agree = known.length === entries.length;
  entries.forEach((e, k) => {
    const h = agree ? known[k] : undefined;
    const depth = h ? h.depth : e.depth + (continuation ? 1 : 0);
    into.push({ depth, title: h ? h.text : e.title, page: offset + e.page, y: e.y });
    if (h) places.set(h.id, { id: h.id, page: offset + e.page, y: e.y });
  });
}

/**
 * Headings of a part printed with heading marks ({@link PrintPart.headingMarks}) placed at their
 * pages in the final document: each mark's link rectangle gives the page and the top of the
 * heading. A heading without a mark (no text, so no link box) takes the place of the one before.
 */
function placeMarked(part: PDFDocument, known: readonly HeadingRef[], offset: number, into: PlacedHeading[], places: Map<string, HeadingPlace>): void {
  // Keys as the TOC links read theirs: Chromium writes the address in its normalised form.
  const marks = new Map([...takeMarkers(part, HEADING_LINK_PREFIX)].map(([k, v]) => [safeDecode(k), v]));
  let last = { page: offset, y: part.getPage(0).getHeight() };
  for (const h of known) {
    const mark = marks.get(h.id);
    if (mark) last = { page: offset + mark.page, y: mark.rect[3] };
    into.push({ depth: h.depth, title: h.text, page: last.page, y: last.y });
    places.set(h.id, { id: h.id, page: last.page, y: last.y });
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Print HTML (one page, or the print parts of `renderHtml`) to PDF. A part over
 * `printTimeoutMs` or a render past the deadline gives `pdf/timeout`, no bytes, and the browser
 * is killed so nothing is left running.
 */
export async function toPdf(input: string | readonly (string | PrintPart)[], options: PdfOptions): Promise<PdfResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parts = normaliseParts(input);
  const blockedRequests: string[] = [];
  const chromium = options.browser.version;
  const placed: PlacedHeading[] = [];
  const places = new Map<string, HeadingPlace>();
  // Parts are merged in order as they come back, while Chromium prints the next ones: the
  // merge (pdf-lib parses every object of every part) overlaps the printing instead of
  // following it. A one-part document is kept as Chromium wrote it.
  const merged = parts.length === 1 ? undefined : await PDFDocument.create({ updateMetadata: false });
  const arrived = new Map<number, Uint8Array>();
  let single: PDFDocument | undefined;
  let next = 0;
  let merging: Promise<void> = Promise.resolve();
  const mergeArrived = async (): Promise<void> => {
    for (let bytes = arrived.get(next); bytes; bytes = arrived.get(next)) {
      arrived.delete(next);
      const src = await PDFDocument.load(bytes, LOAD);
      const part = parts[next]!;
      const offset = merged ? merged.getPageCount() : 0;
      // Marks are read (and removed) before the pages are copied, so no copy carries them.
      if (part.headingMarks) placeMarked(src, part.headings, offset, placed, places);
      else place(src, part.headings, offset, next > 0, placed, places);
      if (!merged) single = src;
      else for (const p of await merged.copyPages(src, src.getPageIndices())) merged.addPage(p);
      next++;
    }
  };
  try {
    await printParts(parts.map((p) => p.html), {
      browser: options.browser, paper: options.paper, limits, signal: options.signal, concurrency: options.concurrency ?? 2,
      onProgress: options.onProgress, blocked: blockedRequests, tagged: !parts.some((p) => p.headingMarks),
      onPrinted: (i, bytes) => {
        arrived.set(i, bytes);
        merging = merging.then(mergeArrived);
      },
    });
  } catch (e) {
    // The merge of what did arrive no longer matters (and must not reject unobserved).
    void merging.catch(() => undefined);
    // A stuck or failed print leaves Chromium busy: kill it so no process outlives the render.
    await options.browser.kill();
    return { pages: 0, tagged: false, chromium, blockedRequests, diagnostics: [printFailure(e, parts.length)] };
  }
  await merging;
  const doc = (merged ?? single)!;
  const tagged = !merged && doc.catalog.has(PDFName.of('StructTreeRoot'));
  const toc = linkTableOfContents(doc, TOC_LINK_PREFIX, places);
  await stamp(doc, options.metadata, toc);
  doc.catalog.delete(PDFName.of('Outlines'));
  writeOutline(doc, placed.filter((h) => h.depth <= (options.outlineDepth ?? 3)));
  const when = new Date(options.metadata.created);
  for (const a of options.attachments ?? []) {
    await doc.attach(a.bytes, a.name, {
      mimeType: a.mimeType, description: a.description, afRelationship: AFRelationship.Data,
      ...(Number.isNaN(when.getTime()) ? {} : { creationDate: when, modificationDate: when }),
    });
  }
  setMetadata(doc, options.metadata, chromium);
  // Signature boxes were links to marker addresses only so their place is known: never left in the file.
  const boxes = takeMarkers(doc, SIGNATURE_LINK_PREFIX);
  const pdf = options.signing ? await signPdf(doc, boxes.get('approved'), options.signing, options.signing.signer) : await doc.save({ useObjectStreams: true, ...SAVE_STRAIGHT });
  return { pdf, pages: doc.getPageCount(), tagged, chromium, blockedRequests, diagnostics: [] };
}
