/**
 * `benchRender(markdown)`: time the HTML and PDF stages on one Markdown document (the lead's
 * bench table calls it). Run directly for the 1,000 / 5,000 findings numbers:
 * `node --import tsx bench/pdf.ts 1000 5000`.
 */
import { readFileSync } from 'node:fs';
import { closeTestBrowser, testBrowser } from '../tests/helpers/browser.ts';
import { renderHtml } from '../src/render/html/to-html.ts';
import { toPdf } from '../src/render/pdf/to-pdf.ts';
import type { ReportMetadata } from '../src/model/report.ts';
import { syntheticMarkdown } from './synthetic-markdown.ts';

const METADATA: ReportMetadata = JSON.parse(readFileSync(new URL('../tests/fixtures/emit/metadata.json', import.meta.url), 'utf8'));

/** Milliseconds and sizes of one render. The browser launch is included in `pdfMs` the first time. */
export async function benchRender(
  markdown: string,
  options: { concurrency?: number; rowsPerPart?: number } = {},
): Promise<{ htmlMs: number; pdfMs: number; pages: number; pdfBytes: number; htmlBytes: number; parts: number }> {
  const t0 = performance.now();
  const doc = renderHtml(markdown, { metadata: METADATA, printParts: { rowsPerPart: options.rowsPerPart } });
  const t1 = performance.now();
  const pdf = await toPdf(doc.parts ?? [], { browser: await testBrowser(), metadata: METADATA, paper: 'A4', concurrency: options.concurrency });
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
    const r = await benchRender(syntheticMarkdown(n), { concurrency, rowsPerPart });
    const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(JSON.stringify({ findings: n, concurrency, rowsPerPart: rowsPerPart ?? 'default', ...r, nodeRssMb: rss }));
  }
  await closeTestBrowser();
}
