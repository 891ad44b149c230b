/**
 * The table of contents of the PDF: in the print HTML each entry links to a marker address
 * (`TOC_LINK_PREFIX` + heading id), so Chromium writes a link annotation with the entry's
 * rectangle whatever part the heading is printed in. Once every page is known, each annotation
 * becomes an internal link to its heading's page and position, and the page number is stamped
 * at the end of its line: clickable entries and page numbers that equal the bookmarks, in one
 * printing pass.
 */
import { PDFArray, PDFDict, PDFName, PDFNull, PDFNumber, PDFRef, PDFString, type PDFDocument, PDFHexString } from './commonjs.ts';
import type { TocNumber } from './stamp.ts';

/** Where a heading landed in the final document. */
export interface HeadingPlace {
  id: string;
  page: number;
  y: number;
}

function uriOf(annot: PDFDict): string | undefined {
  const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
  const uri = action?.lookup(PDFName.of('URI'));
  if (uri instanceof PDFString || uri instanceof PDFHexString) return uri.decodeText();
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
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) return;
    for (let i = 0; i < annots.size(); i++) {
      const annot = annots.lookupMaybe(i, PDFDict);
      if (!annot) continue;
      const uri = uriOf(annot);
      if (!uri?.startsWith(prefix)) continue;
      const target = places.get(decodeURIComponent(uri.slice(prefix.length)));
      const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray);
      // The marker action must not stay in the file, not even as an unreferenced object.
      const action = annot.get(PDFName.of('A'));
      if (action instanceof PDFRef) doc.context.delete(action);
      annot.delete(PDFName.of('A'));
      if (!target || !rect) continue;
      const [x1, y1, x2, y2] = [0, 1, 2, 3].map((k) => rect.lookupMaybe(k, PDFNumber)?.asNumber() ?? 0) as [number, number, number, number];
      const dest = doc.context.obj([pages[target.page]!.ref, PDFName.of('XYZ'), PDFNull, PDFNumber.of(Math.round(target.y * 100) / 100), PDFNull]);
      annot.set(PDFName.of('Dest'), dest);
      const height = Math.abs(y2 - y1);
      // The text baseline sits about a quarter of the line box above its bottom (line height 1.45).
      numbers.push({ page: pageIndex, right: Math.max(x1, x2), baseline: Math.min(y1, y2) + height * 0.2325, height, label: String(target.page + 1) });
    }
  });
  return numbers;
}
