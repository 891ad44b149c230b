import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What the PDF tests look at: per-page text and size, metadata, outline with 1-based target pages. */
export interface PdfInspection {
  pages: Array<{ text: string; width: number; height: number }>;
  info: Record<string, unknown>;
  outline: Array<{ title: string; depth: number; page: number }>;
}

/** Read a PDF with pdfjs-dist (independent of pdf-lib, which wrote it). */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInspection> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const pages: PdfInspection['pages'] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    // Chromium starts a new text run at each font switch (e.g. a latin-ext glyph): join runs
    // directly and only break where pdfjs saw a line end.
    const text = content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? ' ' : '') : '')).join('').replace(/\s+/g, ' ');
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    pages.push({ text, width: Math.round(x1 - x0), height: Math.round(y1 - y0) });
  }
  const info = ((await doc.getMetadata()).info ?? {}) as Record<string, unknown>;
  const outline: PdfInspection['outline'] = [];
  type Item = { title: string; dest: unknown; items: Item[] };
  const walk = async (items: Item[] | null, depth: number): Promise<void> => {
    for (const item of items ?? []) {
      const dest = Array.isArray(item.dest) ? item.dest : await doc.getDestination(String(item.dest));
      const page = dest ? (await doc.getPageIndex(dest[0] as never)) + 1 : 0;
      outline.push({ title: item.title, depth, page });
      await walk(item.items, depth + 1);
    }
  };
  await walk((await doc.getOutline()) as Item[] | null, 1);
  await doc.destroy();
  return { pages, info, outline };
}
