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

/** Base stylesheet (screen and print). Kept as one constant so its CSP hash is stable. */
export const BASE_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg-alt:#f6f8fa;--accent:#0b4f8a}
*{box-sizing:border-box}
html{font-family:'Noto Sans',sans-serif;color:var(--fg);line-height:1.5;font-size:15px}
body{margin:0 auto;max-width:1100px;padding:1.5rem}
h1,h2,h3,h4{line-height:1.25;margin:1.6em 0 .6em}
h1{font-size:2rem;margin-top:0}
h2{font-size:1.5rem;border-bottom:2px solid var(--line);padding-bottom:.2em}
h3{font-size:1.2rem}
a{color:var(--accent)}
code,pre{font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:.86em}
pre{background:var(--bg-alt);padding:.7em;overflow-x:auto;white-space:pre-wrap;word-break:break-word;border:1px solid var(--line)}
table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em}
th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:var(--bg-alt)}
th[align=right],td[align=right]{text-align:right}
th[align=center],td[align=center]{text-align:center}
blockquote{margin:0;padding:0 1em;border-left:4px solid var(--line);color:var(--muted)}
.am-cover{border:2px solid var(--fg);padding:1.2rem 1.5rem;margin-bottom:1.5rem}
.am-classification{display:inline-block;font-weight:700;letter-spacing:.08em;text-transform:uppercase;border:2px solid var(--fg);padding:.1em .6em}
.am-cover dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:1em 0 0}
.am-cover dt{font-weight:700}
.am-cover dd{margin:0}
.am-status{font-weight:700}
.am-charts{display:flex;flex-wrap:wrap;gap:1.5rem;margin:1rem 0}
.am-charts figure{margin:0;flex:1 1 420px}
.am-charts figcaption{font-weight:700;margin-bottom:.3em}
.am-toc ol{padding-left:1.4em}
.am-toc li{margin:.1em 0}
.am-filters{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:end;padding:.6em;border:1px solid var(--line);background:var(--bg-alt);margin:.6em 0}
.am-filters label{display:flex;flex-direction:column;font-size:.85em;font-weight:700}
.am-filters select,.am-filters button{font:inherit;font-weight:400;padding:.2em}
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
.am-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{
  html{font-size:10.5pt}
  body{max-width:none;padding:0}
  .am-filters{display:none}
  .am-cover{break-after:page;padding:.8rem 1rem}
  .am-cover dl{font-size:.92em}
  .am-charts{flex-wrap:nowrap;gap:1rem}
  .am-charts figure{flex:1 1 0;min-width:0}
  .am-toc{break-after:page}
  h2{break-before:page}
  h1,h2,h3,h4{break-after:avoid}
  tr,pre,figure{break-inside:avoid}
  thead{display:table-header-group}
  a{color:inherit;text-decoration:none}
  pre{white-space:pre-wrap}
}
`;

/**
 * The findings index filter and sort script. It only reads data attributes computed at build
 * time and toggles `hidden`, so it is constant and allowed by its CSP hash alone. Without
 * JavaScript the filter form stays hidden and the full table is readable.
 */
export const FILTER_SCRIPT = `(function(){
var t=document.getElementById('am-findings-index'),f=document.getElementById('am-filters');
if(!t||!f||!t.tBodies[0]||!t.tHead)return;
f.hidden=false;
var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),sel=Array.prototype.slice.call(f.querySelectorAll('select')),out=document.getElementById('am-filter-count');
function has(r,s){var v=r.getAttribute('data-'+s.name)||'';return s.getAttribute('data-match')==='token'?v.split(' ').indexOf(s.value)>=0:v===s.value;}
function apply(){var n=0;rows.forEach(function(r){var ok=sel.every(function(s){return !s.value||has(r,s);});r.hidden=!ok;if(ok)n++;});out.textContent=n+' of '+rows.length+' rows shown';}
sel.forEach(function(s){s.addEventListener('change',apply);});
f.querySelector('button').addEventListener('click',function(){sel.forEach(function(s){s.value='';});apply();});
var ths=Array.prototype.slice.call(t.tHead.rows[0].cells);
ths.forEach(function(th,i){var b=document.createElement('button');b.type='button';b.className='am-sort';b.textContent=th.textContent;th.textContent='';th.appendChild(b);
b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';ths.forEach(function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');
function key(r){return i===0?r.getAttribute('data-severity-rank')||'9':r.cells[i]?r.cells[i].textContent:'';}
rows.sort(function(a,c){var d=key(a).localeCompare(key(c),undefined,{numeric:true});return asc?d:-d;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();
})();`;

/** `'sha256-…'` source expression of an inline script or style, as CSP Level 2 defines it. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}
