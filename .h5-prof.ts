import { syntheticMarkdown } from './bench/synthetic-markdown.ts';
import { renderHtml } from './src/emit/to-html.ts';
import { readFileSync } from 'node:fs';
const md = syntheticMarkdown(5000);
const metadata = JSON.parse(readFileSync('tests/fixtures/emit/metadata.json','utf8'));
let t = performance.now();
const r = renderHtml(md, { metadata, printParts: true }); console.log('renderHtml+parts', Math.round(performance.now()-t), r.parts?.length, (r.html.match(/<tr data-severity/g)||[]).length, (r.html.match(/<table/g)||[]).length);
console.log(Math.round(process.memoryUsage().rss/1e6));
