/**
 * The PDF writer: printed parts (Chromium's bytes) in, the final PDF out. Everything here is
 * pdf-lib and fontkit, which take about 0.35 s to load and initialise on this machine (fontkit
 * decompresses its Unicode and Brotli tables when it is loaded), so `to-pdf.ts` loads this
 * module only once Chromium has been asked to print the first parts (the reason is there).
 */
import { AFRelationship, PDFDocument, PDFName, ParseSpeeds } from './commonjs.ts';
import type { ReportMetadata } from '../../model/report.ts';
import type { HeadingRef, PrintPart } from '../html/to-html.ts';
import { HEADING_LINK_PREFIX, SIGNATURE_LINK_PREFIX, TOC_LINK_PREFIX } from '../html/to-html.ts';
import { readOutline, writeOutline, type PlacedHeading } from './outline.ts';
import { signPdf, takeMarkers, type PdfSigning } from './sign-pdf.ts';
import { stamp } from './stamp.ts';
import { linkTableOfContents, type HeadingPlace } from './toc-links.ts';
import type { PdfAttachment } from './to-pdf.ts';

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

/** What {@link PartAssembler.finish} adds to the assembled pages. */
export interface FinishOptions {
  metadata: ReportMetadata;
  chromium: string;
  outlineDepth?: number;
  attachments?: readonly PdfAttachment[];
  signing?: PdfSigning & { signer: string };
}

/**
 * Takes the printed parts in order, as they arrive, and makes the final PDF. A one-part
 * document is kept as Chromium wrote it (tagged); several parts are copied into a new document.
 */
export class PartAssembler {
  readonly #parts: readonly PrintPart[];
  readonly #placed: PlacedHeading[] = [];
  readonly #places = new Map<string, HeadingPlace>();
  #merged?: PDFDocument;
  #single?: PDFDocument;
  #next = 0;

  private constructor(parts: readonly PrintPart[], merged: PDFDocument | undefined) {
    this.#parts = parts;
    this.#merged = merged;
  }

  /** An assembler for these parts. */
  static async create(parts: readonly PrintPart[]): Promise<PartAssembler> {
    return new PartAssembler(parts, parts.length === 1 ? undefined : await PDFDocument.create({ updateMetadata: false }));
  }

  /** Add the next part's bytes (parts are added in order). */
  async add(bytes: Uint8Array): Promise<void> {
    const src = await PDFDocument.load(bytes, LOAD);
    const part = this.#parts[this.#next]!;
    const merged = this.#merged;
    const offset = merged ? merged.getPageCount() : 0;
    // Marks are read (and removed) before the pages are copied, so no copy carries them.
    if (part.headingMarks) placeMarked(src, part.headings, offset, this.#placed, this.#places);
    else place(src, part.headings, offset, this.#next > 0, this.#placed, this.#places);
    if (!merged) this.#single = src;
    else for (const p of await merged.copyPages(src, src.getPageIndices())) merged.addPage(p);
    this.#next++;
  }

  /** Link the contents, stamp, outline, attach, pin the metadata, and save (or sign). */
  async finish(options: FinishOptions): Promise<{ pdf: Uint8Array; pages: number; tagged: boolean }> {
    const merged = this.#merged;
    const doc = (merged ?? this.#single)!;
    const tagged = !merged && doc.catalog.has(PDFName.of('StructTreeRoot'));
    const toc = linkTableOfContents(doc, TOC_LINK_PREFIX, this.#places);
    await stamp(doc, options.metadata, toc);
    doc.catalog.delete(PDFName.of('Outlines'));
    writeOutline(doc, this.#placed.filter((h) => h.depth <= (options.outlineDepth ?? 3)));
    const when = new Date(options.metadata.created);
    for (const a of options.attachments ?? []) {
      await doc.attach(a.bytes, a.name, {
        mimeType: a.mimeType, description: a.description, afRelationship: AFRelationship.Data,
        ...(Number.isNaN(when.getTime()) ? {} : { creationDate: when, modificationDate: when }),
      });
    }
    setMetadata(doc, options.metadata, options.chromium);
    // Signature boxes were links to marker addresses only so their place is known: never left in the file.
    const boxes = takeMarkers(doc, SIGNATURE_LINK_PREFIX);
    const pdf = options.signing ? await signPdf(doc, boxes.get('approved'), options.signing, options.signing.signer) : await doc.save({ useObjectStreams: true, ...SAVE_STRAIGHT });
    return { pdf, pages: doc.getPageCount(), tagged };
  }
}
