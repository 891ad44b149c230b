/**
 * `benchRender(document)`: time the HTML and PDF stages on one composed document. Run directly
 * for the 1,000 / 5,000 findings numbers: `node --import tsx bench/pdf.ts 1000 5000`.
 */
import type { ComposedDocument } from '../src/compose/compose.ts';
import { renderHtml } from '../src/render/html/to-html.ts';
import { toPdf } from '../src/render/pdf/to-pdf.ts';
import { closeTestBrowser, testBrowser } from '../tests/helpers/browser.ts';
import { syntheticDocument } from '../tests/helpers/documents.ts';

/** Milliseconds and sizes of one render. The browser launch is included in `pdfMs` the first time. */
export async function benchRender(
  document: ComposedDocument,
  options: { concurrency?: number; rowsPerPart?: number } = {},
): Promise<{ htmlMs: number; pdfMs: number; pages: number; pdfBytes: number; htmlBytes: number; parts: number }> {
  const t0 = performance.now();
  const doc = renderHtml(document, { printParts: options.rowsPerPart ?? 'auto' });
  const t1 = performance.now();
  const pdf = await toPdf(doc.parts ?? [], { browser: await testBrowser(), metadata: document.meta, paper: 'A4', concurrency: options.concurrency });
  const t2 = performance.now();
  if (!pdf.pdf) throw new Error(JSON.stringify(pdf.diagnostics));
  return {
    htmlMs: Math.round(t1 - t0),
    pdfMs: Math.round(t2 - t1),
    pages: pdf.pages,
    pdfBytes: pdf.pdf.byteLength,
    htmlBytes: Buffer.byteLength(doc.html),
    parts: doc.parts?.length ?? 0,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const concurrency = Number(process.env.CONCURRENCY ?? 2);
  const rowsPerPart = process.env.ROWS_PER_PART ? Number(process.env.ROWS_PER_PART) : undefined;
  for (const n of sizes.length ? sizes : [1000, 5000]) {
    const r = await benchRender(syntheticDocument(n), { concurrency, rowsPerPart });
    const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(JSON.stringify({ findings: n, concurrency, rowsPerPart: rowsPerPart ?? 'default', ...r, nodeRssMb: rss }));
  }
  await closeTestBrowser();
}
