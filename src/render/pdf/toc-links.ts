/**
 * The table of contents of the PDF: in the print HTML each entry links to a marker address
 * (`TOC_LINK_PREFIX` + heading id), so Chromium writes a link annotation with the entry's
 * rectangle whatever part the heading is printed in. Once every page is known, each annotation
 * becomes an internal link to its heading's page and position, and the page number is stamped
 * at the end of its line: clickable entries and page numbers that equal the bookmarks, in one
 * printing pass.
 */
import type { PDFDict, PDFDocument } from 'pdf-lib';
import { pdfLib } from './commonjs.ts';
import type { TocNumber } from './stamp.ts';

/** Where a heading landed in the final document. */
export interface HeadingPlace {
  id: string;
  page: number;
  y: number;
}

function uriOf(annot: PDFDict): string | undefined {
  const action = annot.lookupMaybe(pdfLib.PDFName.of('A'), pdfLib.PDFDict);
  const uri = action?.lookup(pdfLib.PDFName.of('URI'));
  if (uri instanceof pdfLib.PDFString || uri instanceof pdfLib.PDFHexString) return uri.decodeText();
  return undefined;
}

/**
 * Rewrite every table-of-contents annotation into an internal link and return the page numbers
 * to stamp. An entry whose heading is not placed (it should not happen) loses its link and gets
 * no number rather than a wrong one.
 */
export function linkTableOfContents(doc: PDFDocument, prefix: string, places: ReadonlyMap<string, HeadingPlace>): TocNumber[] {
  const pages = doc.getPages();
  const numbers: TocNumber[] = [];
  pages.forEach((page, pageIndex) => {
    const annots = page.node.lookupMaybe(pdfLib.PDFName.of('Annots'), pdfLib.PDFArray);
    if (!annots) return;
    for (let i = 0; i < annots.size(); i++) {
      const annot = annots.lookupMaybe(i, pdfLib.PDFDict);
      if (!annot) continue;
      const uri = uriOf(annot);
      if (!uri?.startsWith(prefix)) continue;
      const target = places.get(decodeURIComponent(uri.slice(prefix.length)));
      const rect = annot.lookupMaybe(pdfLib.PDFName.of('Rect'), pdfLib.PDFArray);
      // The marker action must not stay in the file, not even as an unreferenced object.
      const action = annot.get(pdfLib.PDFName.of('A'));
      if (action instanceof pdfLib.PDFRef) doc.context.delete(action);
      annot.delete(pdfLib.PDFName.of('A'));
      if (!target || !rect) continue;
      const [x1, y1, x2, y2] = [0, 1, 2, 3].map((k) => rect.lookupMaybe(k, pdfLib.PDFNumber)?.asNumber() ?? 0) as [number, number, number, number];
      const dest = doc.context.obj([pages[target.page]!.ref, pdfLib.PDFName.of('XYZ'), pdfLib.PDFNull, pdfLib.PDFNumber.of(Math.round(target.y * 100) / 100), pdfLib.PDFNull]);
      annot.set(pdfLib.PDFName.of('Dest'), dest);
      const height = Math.abs(y2 - y1);
      // The text baseline sits about a quarter of the line box above its bottom (line height 1.45).
      numbers.push({ page: pageIndex, right: Math.max(x1, x2), baseline: Math.min(y1, y2) + height * 0.2325, height, label: String(target.page + 1) });
    }
  });
  return numbers;
}
