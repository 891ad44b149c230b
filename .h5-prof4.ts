import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { syntheticMarkdown } from './bench/synthetic-markdown.ts';
import { splitMarkdown } from './src/emit/split-markdown.ts';
const md = syntheticMarkdown(5000);
const opts = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };
let t = performance.now();
fromMarkdown(md, opts); console.log('whole', Math.round(performance.now()-t));
for (const max of [250, 1000]) {
t = performance.now();
const pieces = splitMarkdown(md, max);
const times = pieces.map(p => { const t0 = performance.now(); fromMarkdown(p.text, opts); return Math.round(performance.now()-t0); });
console.log('pieces', max, pieces.length, Math.round(performance.now()-t), times.filter(x=>x>100).slice(0,12));
}
