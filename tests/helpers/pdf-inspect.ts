import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One text line of a page, as pdfjs places it (items joined until pdfjs sees a line end). */
export interface PdfLine {
  text: string;
  /** Baseline y in PDF points (from the bottom). */
  y: number;
  /** Inside `/Artifact` marked content (running header, footer, stamped page numbers). */
  artifact: boolean;
}

/** One text run as pdfjs reports it: where it starts, its width and font size, in PDF points. */
export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  artifact: boolean;
}

/** What the PDF tests look at: per-page text, lines, text runs, links and size; metadata; outline; attachments. */
export interface PdfInspection {
  pages: Array<{ text: string; width: number; height: number; lines: PdfLine[]; items: PdfTextItem[]; links: Array<{ rect: number[]; page?: number; url?: string }> }>;
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
    const runs: PdfTextItem[] = [];
    let current: PdfLine | undefined;
    const stack: string[] = [];
    for (const item of content.items as Array<{ type?: string; tag?: string; str?: string; hasEOL?: boolean; transform?: number[]; width?: number; height?: number }>) {
      if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') { stack.push(item.tag ?? ''); continue; }
      if (item.type === 'endMarkedContent') { stack.pop(); continue; }
      if (typeof item.str !== 'string') continue;
      const y = Math.round(item.transform?.[5] ?? 0);
      const artifact = stack.includes('Artifact');
      if (item.str.trim()) runs.push({ str: item.str, x: item.transform?.[4] ?? 0, y: item.transform?.[5] ?? 0, width: item.width ?? 0, size: Math.abs(item.transform?.[3] ?? item.height ?? 0), artifact });
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
    pages.push({ text, width: Math.round(x1 - x0), height: Math.round(y1 - y0), lines: lines.map((l) => ({ ...l, text: l.text.replace(/\s+/g, ' ').trim() })).filter((l) => l.text), items: runs, links });
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

/**
 * Words of `vocabulary` that the PDF shows broken across two lines: a run ends with a proper
 * prefix of the word and a run on the next line, starting within the first run's extent, begins
 * with the rest ("Severit" / "y", "pip-" / "audit"). Returns "page n: prefix|rest" for each.
 */
export function splitWords(pdf: PdfInspection, vocabulary: Iterable<string>): string[] {
  const words = [...new Set(vocabulary)].filter((w) => w.length >= 3);
  const found: string[] = [];
  pdf.pages.forEach((page, index) => {
    const runs = page.items.filter((r) => !r.artifact);
    for (const a of runs) {
      const tail = /(\S+)\s*$/.exec(a.str)?.[1];
      if (!tail) continue;
      for (const word of words) {
        if (tail.length >= word.length || !word.startsWith(tail)) continue;
        const rest = word.slice(tail.length);
        const below = runs.find((b) => b !== a && a.y - b.y > 0.5 * a.size && a.y - b.y < 2.2 * a.size
          && b.x >= a.x - 2 && b.x <= a.x + a.width + 2 && b.str.trimStart().startsWith(rest)
          && !/[\p{L}\p{N}]/u.test(b.str.trimStart().charAt(rest.length)));
        if (below) found.push(`page ${index + 1}: ${tail}|${rest}`);
      }
    }
  });
  return found;
}

/** Pages whose body text (without running header and footer) is shorter than `min` characters. */
export function sparsePages(pdf: PdfInspection, min = 200): number[] {
  return pdf.pages.flatMap((p, i) => (bodyText(p).length < min ? [i + 1] : []));
}
