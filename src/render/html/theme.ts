/**
 * The fixed presentation assets of the HTML and PDF documents: stylesheet, embedded font and
 * the findings filter script. Everything here is constant for a given auditmark version so the
 * CSP hashes and the output bytes are reproducible.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Noto Sans subsets and weights embedded in every document. latin + latin-ext cover Western,
 * Central and Eastern European accented Latin, so the same glyphs render on every machine
 * whatever fonts the system (or the bundled Chromium) has.
 */
const FONT_FILES: ReadonlyArray<{ file: string; weight: 400 | 700; style: 'normal' | 'italic' }> = [
  { file: 'noto-sans-latin-400-normal.woff2', weight: 400, style: 'normal' },
  { file: 'noto-sans-latin-ext-400-normal.woff2', weight: 400, style: 'normal' },
  { file: 'noto-sans-latin-700-normal.woff2', weight: 700, style: 'normal' },
  { file: 'noto-sans-latin-ext-700-normal.woff2', weight: 700, style: 'normal' },
  { file: 'noto-sans-latin-400-italic.woff2', weight: 400, style: 'italic' },
  { file: 'noto-sans-latin-ext-400-italic.woff2', weight: 400, style: 'italic' },
];

/** The `@font-face` rules with the fonts as base64 data URLs, and their raw size. */
export interface EmbeddedFonts {
  css: string;
  bytes: number;
}

let fontCache: EmbeddedFonts | undefined;

/**
 * Read the bundled Noto Sans woff2 files once per process and turn them into `@font-face`
 * rules. Reading package files is the only file access of the HTML stage; the data never
 * depends on user input.
 */
export function embeddedFonts(): EmbeddedFonts {
  if (fontCache) return fontCache;
  // unicode-range comes from fontsource's own stylesheet so an upgrade of the font package
  // cannot leave the ranges out of step with the files.
  const sheet = readFileSync(require.resolve('@fontsource/noto-sans/index.css'), 'utf8');
  let css = '';
  let bytes = 0;
  for (const f of FONT_FILES) {
    const data = readFileSync(require.resolve(`@fontsource/noto-sans/files/${f.file}`));
    const block = sheet.split('/* ' + f.file.replace('.woff2', '') + ' */')[1] ?? '';
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1] ?? 'U+0000-00FF';
    bytes += data.length;
    css +=
      `@font-face{font-family:'Noto Sans';font-style:${f.style};font-weight:${f.weight};font-display:block;` +
      `src:url(data:font/woff2;base64,${data.toString('base64')}) format('woff2');unicode-range:${range}}\n`;
  }
  fontCache = { css, bytes };
  return fontCache;
}

/** Colours per severity. Colour is never the only signal: the severity word is always printed next to it. */
export const SEVERITY_COLOURS: Readonly<Record<string, string>> = {
  critical: '#7a0019',
  high: '#c62828',
  medium: '#b85c00',
  low: '#1f5fa8',
  info: '#52606d',
  unknown: '#6b4c9a',
};

/**
 * Base stylesheet (screen and print). Kept as one constant so its CSP hash is stable.
 *
 * Words never break inside (`overflow-wrap`/`word-break` normal, no hyphenation): a severity,
 * state, tool or header always reads whole. Long tokens get `<wbr>` break points at their
 * separators when the HTML is built, so they wrap there and never widen the page; tables scroll
 * in their own region on narrow screens. Print: headings stay with what follows, rows and code
 * blocks are not split, table headers repeat on every page, and only the cover forces a page
 * break (sections flow, so short sections never leave near-empty pages).
 */
export const BASE_CSS = `
:root{--fg:#1b1f24;--muted:#4f5863;--line:#c9d1d9;--bg-alt:#f3f5f7;--accent:#0b4f8a}
*{box-sizing:border-box}
html{font-family:'Noto Sans',sans-serif;color:var(--fg);line-height:1.45;font-size:15px;-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:1100px;padding:1.25rem;overflow-wrap:normal;word-break:normal;hyphens:manual}
h1,h2,h3,h4{line-height:1.25;margin:1.4em 0 .5em}
h1{font-size:1.9rem;margin-top:.2em}
h2{font-size:1.45rem;border-bottom:2px solid var(--line);padding-bottom:.15em}
h3{font-size:1.15rem}
h4{font-size:1rem}
p,ul,ol{margin:.5em 0}
li{margin:.15em 0}
a{color:var(--accent)}
code,pre{font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:.86em}
code{background:var(--bg-alt);padding:0 .2em;border-radius:2px}
pre{background:var(--bg-alt);padding:.6em .7em;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);margin:.5em 0}
pre code{background:none;padding:0}
.am-nobr{white-space:nowrap}
.am-table{max-width:100%;overflow-x:auto;margin:.6em 0}
.am-table:focus{outline:2px solid var(--accent)}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid var(--line);padding:.25em .45em;text-align:left;vertical-align:top}
thead th{background:var(--bg-alt);white-space:nowrap}
th[align=right],td[align=right]{text-align:right}
th[align=center],td[align=center]{text-align:center}
blockquote{margin:.5em 0;padding:.1em .9em;border-left:4px solid var(--line);color:var(--muted)}
blockquote.am-advisory{color:var(--fg);background:#fafbfc}
span.am-signature,a.am-signature{display:inline-block;min-width:10em;min-height:2.6em;border-bottom:1px solid var(--fg)}
figure.am-chart{margin:.6em 0;max-width:760px;break-inside:avoid}
figure.am-chart figcaption{font-weight:700;margin-bottom:.2em}
.am-cover{border:2px solid var(--fg);padding:1rem 1.4rem;margin-bottom:1.5rem}
.am-cover h1{margin-top:.3em}
.am-cover ul{list-style:none;padding:0;columns:2 22rem;column-gap:2rem}
.am-cover li{break-inside:avoid}
.am-cover figure.am-chart{max-width:520px}
.am-toc ol{padding-left:2.1em;margin:.2em 0}
.am-toc li{margin:.05em 0}
.am-toc a{text-decoration:none}
.am-toc .am-toc-line{display:flex;align-items:baseline;gap:.4em}
.am-toc .am-toc-line::after{content:'';flex:1 1 auto;border-bottom:1px dotted var(--muted);order:1}
.am-toc .am-toc-page{order:2;min-width:2.2em;text-align:right}
.am-filters{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:end;padding:.6em;border:1px solid var(--line);background:var(--bg-alt);margin:.6em 0}
.am-filters label{display:flex;flex-direction:column;font-size:.85em;font-weight:700}
.am-filters select,.am-filters button{font:inherit;font-weight:400;padding:.2em;min-height:2em}
.am-sort{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;text-align:left;color:inherit}
th[aria-sort=ascending] .am-sort::after{content:' \\25B2'}
th[aria-sort=descending] .am-sort::after{content:' \\25BC'}
tr[data-severity] td:first-child{font-weight:700;border-left:6px solid var(--sev,#999)}
tr[data-severity=critical]{--sev:${SEVERITY_COLOURS.critical}}
tr[data-severity=high]{--sev:${SEVERITY_COLOURS.high}}
tr[data-severity=medium]{--sev:${SEVERITY_COLOURS.medium}}
tr[data-severity=low]{--sev:${SEVERITY_COLOURS.low}}
tr[data-severity=info]{--sev:${SEVERITY_COLOURS.info}}
tr[data-severity=unknown]{--sev:${SEVERITY_COLOURS.unknown}}
tr[hidden]{display:none}
@media (max-width:600px){
  html{font-size:14px}
  body{padding:.6rem}
  .am-cover{padding:.7rem .8rem}
  h1{font-size:1.5rem}
  h2{font-size:1.25rem}
}
@media print{
  html{font-size:9.5pt}
  body{max-width:none;padding:0}
  .am-filters{display:none}
  .am-table{overflow:visible}
  .am-cover{break-after:page;border-width:1.5pt;padding:6mm 8mm;margin:0}
  .am-toc{margin-top:0}
  .am-toc h2{margin-top:0}
  h1,h2,h3,h4{break-after:avoid;break-inside:avoid}
  tr,pre,figure,li{break-inside:avoid}
  thead{display:table-header-group}
  a{color:inherit;text-decoration:none}
}
`;

/**
 * The filter and sort script of the findings index and the checklist. Each filter form names its
 * table (`data-for`); the script only reads data attributes computed at build time and toggles
 * `hidden`, so it is constant and allowed by its CSP hash alone. Without JavaScript the filter
 * forms stay hidden and the full tables are readable.
 */
export const FILTER_SCRIPT = `(function(){
Array.prototype.forEach.call(document.querySelectorAll('div.am-filters[data-for]'),function(f){
var t=document.getElementById(f.getAttribute('data-for'));
if(!t||!t.tBodies[0]||!t.tHead)return;
f.hidden=false;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),sel=Array.prototype.slice.call(f.querySelectorAll('select')),out=f.querySelector('output');
function has(r,s){var v=r.getAttribute('data-'+s.name)||'';return s.getAttribute('data-match')==='token'?v.split(' ').indexOf(s.value)>=0:v===s.value;}
function apply(){var n=0;rows.forEach(function(r){var ok=sel.every(function(s){return !s.value||has(r,s);});r.hidden=!ok;if(ok)n++;});out.textContent=n+' of '+rows.length+' rows shown';}
sel.forEach(function(s){s.addEventListener('change',apply);});
f.querySelector('button').addEventListener('click',function(){sel.forEach(function(s){s.value='';});apply();});
var ths=Array.prototype.slice.call(t.tHead.rows[0].cells);
ths.forEach(function(th,i){var b=document.createElement('button');b.type='button';b.className='am-sort';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';ths.forEach(function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');
function key(r){var c=r.cells[i],t=c?c.textContent.trim():'';return t.toLowerCase()===r.getAttribute('data-severity')?(r.getAttribute('data-severity-rank')||'9'):t;}
rows.sort(function(a,c){var d=key(a).localeCompare(key(c),undefined,{numeric:true});return asc?d:-d;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();
});
})();`;

/** `'sha256-…'` source expression of an inline script or style, as CSP Level 2 defines it. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}
