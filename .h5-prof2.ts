import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { syntheticMarkdown } from './bench/synthetic-markdown.ts';
import { splitMarkdown } from './src/emit/split-markdown.ts';
const md = syntheticMarkdown(5000);
let t = performance.now();
const pieces = splitMarkdown(md); console.log('split', pieces.length, Math.round(performance.now()-t));
const parser = unified().use(remarkParse).use(remarkGfm);
const times: number[] = [];
for (const p of pieces) { const t0 = performance.now(); parser.parse(p.text); times.push(performance.now()-t0); }
console.log('total', Math.round(times.reduce((a,b)=>a+b)), 'first10', times.slice(0,10).map(Math.round), 'max', Math.round(Math.max(...times)), pieces.map(p=>p.text.length).slice(0,10));
