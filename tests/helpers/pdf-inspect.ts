import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One text line of a page, as pdfjs places it (items joined until pdfjs sees a line end). */
export interface PdfLine {
  text: string;
  /** Baseline y in PDF points (from the bottom). */
  y: number;
  /** Inside `/Artifact` marked content (running header, footer, stamped page numbers). */
  artifact: boolean;
}

/** What the PDF tests look at: per-page text, lines, links and size; metadata; outline; attachments. */
export interface PdfInspection {
  pages: Array<{ text: string; width: number; height: number; lines: PdfLine[]; links: Array<{ rect: number[]; page?: number; url?: string }> }>;
  info: Record<string, unknown>;
  outline: Array<{ title: string; depth: number; page: number }>;
  /** Embedded files by name. */
  attachments: Record<string, Uint8Array>;
  /** The catalog says the PDF is tagged (MarkInfo /Marked true), and its /Lang. */
  marked: boolean;
  lang?: string;
}

/** Read a PDF with pdfjs-dist (independent of pdf-lib, which wrote it). */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInspection> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const pageOf = async (dest: unknown): Promise<number | undefined> => {
    const d = Array.isArray(dest) ? dest : typeof dest === 'string' ? await doc.getDestination(dest) : undefined;
    return d ? (await doc.getPageIndex(d[0] as never)) + 1 : undefined;
  };
  const pages: PdfInspection['pages'] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true } as never);
    // Chromium starts a new text run at each font switch (e.g. a latin-ext glyph): join runs
    // directly and only break where pdfjs saw a line end.
    const lines: PdfLine[] = [];
    let current: PdfLine | undefined;
    const stack: string[] = [];
    for (const item of content.items as Array<{ type?: string; tag?: string; str?: string; hasEOL?: boolean; transform?: number[] }>) {
      if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') { stack.push(item.tag ?? ''); continue; }
      if (item.type === 'endMarkedContent') { stack.pop(); continue; }
      if (typeof item.str !== 'string') continue;
      const y = Math.round(item.transform?.[5] ?? 0);
      const artifact = stack.includes('Artifact');
      if (!current || current.y !== y || current.artifact !== artifact) {
        current = { text: '', y, artifact };
        lines.push(current);
      }
      current.text += item.str;
      if (item.hasEOL) current = undefined;
    }
    const text = content.items.map((i) => ('str' in i ? (i as { str: string }).str + ((i as { hasEOL?: boolean }).hasEOL ? ' ' : '') : '')).join('').replace(/\s+/g, ' ');
    const links: PdfInspection['pages'][number]['links'] = [];
    for (const a of (await page.getAnnotations()) as Array<{ subtype: string; rect: number[]; dest?: unknown; url?: string }>) {
      if (a.subtype !== 'Link') continue;
      links.push({ rect: a.rect, ...(a.dest !== undefined ? { page: await pageOf(a.dest) } : {}), ...(a.url ? { url: a.url } : {}) });
    }
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    pages.push({ text, width: Math.round(x1 - x0), height: Math.round(y1 - y0), lines: lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() })).filter((l) => l.text), links });
  }
  const meta = await doc.getMetadata();
  const info = (meta.info ?? {}) as Record<string, unknown>;
  const outline: PdfInspection['outline'] = [];
  type Item = { title: string; dest: unknown; items: Item[] };
  const walk = async (items: Item[] | null, depth: number): Promise<void> => {
    for (const item of items ?? []) {
      outline.push({ title: item.title, depth, page: (await pageOf(item.dest)) ?? 0 });
      await walk(item.items, depth + 1);
    }
  };
  await walk((await doc.getOutline()) as Item[] | null, 1);
  const attachments: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>)) attachments[a.filename ?? name] = a.content;
  const markInfo = (await doc.getMarkInfo()) as { Marked?: boolean } | null;
  const lang = (info.Language as string | undefined) ?? undefined;
  await doc.destroy();
  return { pages, info, outline, attachments, marked: markInfo?.Marked === true, ...(lang ? { lang } : {}) };
}

/** The text of a page without its running header and footer (artifacts). */
export function bodyText(page: PdfInspection['pages'][number]): string {
  return page.lines.filter((l) => !l.artifact).map((l) => l.text).join(' ');
}
