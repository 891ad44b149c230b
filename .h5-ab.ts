import { readFileSync } from 'node:fs';
import { renderHtml } from './src/emit/to-html.ts';
import { toPdf } from './src/emit/to-pdf.ts';
import { closeBrowser, getBrowser } from './src/emit/browser.ts';
import { syntheticMarkdown } from './bench/synthetic-markdown.ts';
const metadata = JSON.parse(readFileSync('tests/fixtures/emit/metadata.json','utf8'));
const md = syntheticMarkdown(Number(process.argv[2] ?? 5000));
const variants = [[300, 2], [600, 2], [1000, 2], [300, 1], [600, 1]] as const;
const parts = new Map(variants.map(([rows]) => [rows, renderHtml(md, { metadata, printParts: { rowsPerPart: rows } }).parts!]));
await getBrowser();
const res: Record<string, number[]> = {};
for (let round = 0; round < 2; round++) for (const [rows, c] of variants) {
  const t = performance.now();
  const r = await toPdf(parts.get(rows)!, { metadata, paper: 'A4', concurrency: c });
  (res[`rows ${rows} c ${c} parts ${parts.get(rows)!.length} pages ${r.pages}`] ??= []).push(Math.round(performance.now() - t));
}
console.log(res);
await closeBrowser();
