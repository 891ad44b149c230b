/**
 * A composed document → one self-contained HTML file, and the print parts the PDF stage prints.
 * Everything shown comes from the document tree and the document's facts (`meta`): the cover is
 * the tree's own opening (title, facts, status, charts the template placed there), the table of
 * contents its headings, the filters its rows' data attributes (set from the model when the
 * template placed `rowdata`). Nothing is read back from rendered text. The page carries a strict
 * CSP, so even a sanitizer bug could not fetch anything.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml as hastToHtml } from 'hast-util-to-html';
import type { ComposedDocument } from '../../compose/compose.ts';
import { shownInlineText } from '../../compose/shown-text.ts';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../model/limits.ts';
import { SEVERITIES } from '../../model/severity.ts';
import { documentHast, textOf, type HeadingRef } from './hast-document.ts';
import { element } from './hast-element.ts';
import { splitIntoParts, weight } from './parts.ts';
import { BASE_CSS, cspHash, embeddedFonts, FILTER_SCRIPT } from './theme.ts';

export type { HeadingRef } from './hast-document.ts';

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** Include the findings filter/sort script (default true). The print parts never have it. */
  interactive?: boolean;
  /** Limits (maxAssetBytes); defaults from `DEFAULT_LIMITS`. */
  limits?: Partial<Limits>;
  /**
   * Also produce print parts for the PDF stage: `one` prints the document as one part (tagged,
   * single-pass layout), a number splits it into parts of about that many table rows, `auto`
   * prints one part up to {@link ONE_PART_MAX_WEIGHT} and parts of {@link ROWS_PER_PART} above.
   */
  printParts?: 'one' | 'auto' | number;
  /** Checked while converting; aborts with the render deadline. */
  signal?: AbortSignal;
}

/** One self-contained HTML page printed as one PDF part. */
export interface PrintPart {
  html: string;
  /** Headings in this part, in document order (used to rebuild the PDF outline). */
  headings: HeadingRef[];
}

/** Result of {@link renderHtml}. */
export interface HtmlDocument {
  html: string;
  headings: HeadingRef[];
  /** Present when `printParts` was requested. */
  parts?: PrintPart[];
  diagnostics: Diagnostic[];
}

/**
 * Largest document (in layout weight: table rows, list items, paragraphs, code lines) printed as
 * one part by `auto`. One part keeps the PDF tagged and its layout continuous; above this,
 * Chromium's super-linear print time makes parts faster (measured: see docs/html-pdf.md).
 */
export const ONE_PART_MAX_WEIGHT = 1500;

/** Weight of each print part when a document is split. */
export const ROWS_PER_PART = 400;

/** Where the PDF stage finds a signature box: a link to this address + the role (`approved`, …). */
export const SIGNATURE_LINK_PREFIX = 'https://auditmark.invalid/sign/';

function markSignatures(nodes: ElementContent[], prefix: string): void {
  for (const n of nodes) {
    if (!isElement(n)) continue;
    if (n.tagName === 'span' && typeof n.properties.dataAmSign === 'string') {
      n.tagName = 'a';
      n.properties = { href: `${prefix}${n.properties.dataAmSign}`, className: ['am-signature'] };
    } else markSignatures(n.children, prefix);
  }
}

/** Where the PDF stage finds a table-of-contents entry: a link to this address, rewritten to the heading's page. */
export const TOC_LINK_PREFIX = 'https://auditmark.invalid/toc/';

const SEVERITY_RANK: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

function isElement(node: ElementContent | undefined): node is Element {
  return node !== undefined && node.type === 'element';
}

/** Table of contents from h2/h3 headings; in print, each entry has a page-number slot the PDF stage fills. */
function tableOfContents(headings: readonly HeadingRef[], print: boolean): Element {
  const entry = (h: HeadingRef): Element =>
    print
      ? element('a', { href: `${TOC_LINK_PREFIX}${h.id}`, className: ['am-toc-line'] }, [element('span', {}, [h.text]), element('span', { className: ['am-toc-page'] }, [])])
      : element('a', { href: `#${h.id}` }, [h.text]);
  const items: Element[] = [];
  let current: Element | undefined;
  for (const h of headings) {
    if (h.depth === 2) {
      current = element('li', {}, [entry(h)]);
      items.push(current);
    } else if (h.depth === 3 && current) {
      let sub = current.children.find((c): c is Element => isElement(c) && c.tagName === 'ol');
      if (!sub) {
        sub = element('ol');
        current.children.push(sub);
      }
      sub.children.push(element('li', {}, [entry(h)]));
    }
  }
  return element('nav', { id: 'am-toc', className: ['am-toc'], ariaLabelledBy: ['am-contents'] }, [element('h2', { id: 'am-contents' }, ['Contents']), element('ol', {}, items)]);
}

/** The first table whose rows carry data attributes from the model: the filterable findings index. */
function findFilterable(body: ElementContent[]): { region: Element; table: Element; rows: Element[] } | undefined {
  for (const region of body) {
    if (!isElement(region) || region.tagName !== 'div') continue;
    const table = region.children.find((c): c is Element => isElement(c) && c.tagName === 'table');
    const tbody = table?.children.find((c): c is Element => isElement(c) && c.tagName === 'tbody');
    const rows = (tbody?.children ?? []).filter((c): c is Element => isElement(c) && c.tagName === 'tr');
    if (table && rows.length > 0 && rows.every((r) => typeof r.properties.dataSeverity === 'string')) return { region, table, rows };
  }
  return undefined;
}

const LABELS: Record<string, string> = { severity: 'Severity', tool: 'Tool', owasp: 'OWASP', state: 'State' };

/** The filter form (hidden until the script runs, so a page without JavaScript shows no dead controls). */
function filterForm(rows: readonly Element[]): Element {
  const values = (key: string, token: boolean): string[] => {
    const all = rows.flatMap((r) => {
      const v = r.properties[`data${key[0]!.toUpperCase()}${key.slice(1)}`];
      return typeof v === 'string' ? (token ? v.split(' ').filter(Boolean) : [v]) : [];
    });
    const unique = [...new Set(all)];
    return key === 'severity' ? unique.sort((a, b) => (SEVERITY_RANK[a] ?? 9) - (SEVERITY_RANK[b] ?? 9)) : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  const select = (name: string, match: 'exact' | 'token'): Element =>
    element('label', {}, [
      LABELS[name] ?? name,
      element('select', { name, dataMatch: match }, [element('option', { value: '' }, ['All']), ...values(name, match === 'token').map((v) => element('option', { value: v }, [v.replace(/-/g, ' ')]))]),
    ]);
  return element('div', { id: 'am-filters', className: ['am-filters'], role: 'search', ariaLabel: 'Filter findings', hidden: true }, [
    select('severity', 'exact'),
    select('tool', 'exact'),
    select('owasp', 'token'),
    select('state', 'token'),
    element('button', { type: 'button' }, ['Show all']),
    element('output', { id: 'am-filter-count', ariaLive: 'polite' }, []),
  ]);
}

/** Serialise a full page: CSP first, so it governs everything after it. */
function page(meta: ComposedDocument['meta'], body: ElementContent[], css: string, script: string | undefined): string {
  const policy = [
    "default-src 'none'",
    `style-src ${cspHash(css)}`,
    'font-src data:',
    'img-src data:',
    `script-src ${script ? cspHash(script) : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const head: ElementContent[] = [
    element('meta', { charSet: 'utf-8' }),
    element('meta', { httpEquiv: ['Content-Security-Policy'], content: policy }),
    element('meta', { name: 'referrer', content: 'no-referrer' }),
    element('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    element('meta', { name: 'generator', content: `auditmark ${meta.auditmarkVersion}` }),
    element('title', {}, [shownInlineText(meta.title)]),
    element('style', {}, [css]),
  ];
  const children = [...body];
  if (script) children.push(element('script', {}, [script]));
  const root: Root = { type: 'root', children: [{ type: 'doctype' }, element('html', { lang: meta.language }, [element('head', {}, head), element('body', {}, children)])] };
  return hastToHtml(root) + '\n';
}

function headingsIn(nodes: readonly ElementContent[]): HeadingRef[] {
  const out: HeadingRef[] = [];
  const walk = (n: ElementContent): void => {
    if (!isElement(n)) return;
    const m = /^h([1-6])$/.exec(n.tagName);
    if (m && typeof n.properties.id === 'string') out.push({ depth: Number(m[1]), text: textOf(n).trim(), id: n.properties.id });
    n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}

/**
 * Render the document to HTML (and optionally the PDF print parts). Pure apart from reading the
 * bundled font files; deterministic: no clock, no random ids.
 */
export function renderHtml(doc: ComposedDocument, options: HtmlOptions = {}): HtmlDocument {
  const diagnostics: Diagnostic[] = [];
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const interactive = options.interactive !== false;
  const content = documentHast(doc.tree, options.signal);

  const fonts = embeddedFonts();
  let fontCss = fonts.css;
  if (fonts.bytes > limits.maxAssetBytes) {
    fontCss = '';
    diagnostics.push(diag('html/asset-limit', 'warning', `The embedded font (${fonts.bytes} bytes) exceeds maxAssetBytes (${limits.maxAssetBytes}); the document falls back to system sans-serif fonts.`, { fix: limitHint('maxAssetBytes') }));
  }
  const css = fontCss + BASE_CSS;
  const cover = element('header', { id: 'am-cover', className: ['am-cover'] }, content.cover);
  const filterable = findFilterable(content.body);
  if (filterable) filterable.table.properties = { ...filterable.table.properties, id: 'am-findings-index' };
  const main: ElementContent[] = [];
  for (const node of content.body) {
    if (interactive && filterable && node === filterable.region) main.push(filterForm(filterable.rows));
    main.push(node);
  }
  const html = page(doc.meta, [cover, tableOfContents(content.headings, false), element('main', { id: 'am-main' }, main)], css, interactive && filterable ? FILTER_SCRIPT : undefined);

  let parts: PrintPart[] | undefined;
  if (options.printParts !== undefined) {
    // In print, a signature box becomes a link to a marker address: Chromium then records its
    // rectangle, which is where a signed PDF puts its visible signature field (the PDF stage
    // removes the links). The page above is already serialised, so this changes print only.
    markSignatures(content.body, SIGNATURE_LINK_PREFIX);
    const toc = tableOfContents(content.headings, true);
    const all = [toc, ...content.body];
    const mode = options.printParts === 'auto' ? (all.reduce((n, b) => n + weight(b), 0) <= ONE_PART_MAX_WEIGHT ? 'one' : ROWS_PER_PART) : options.printParts;
    const chunks = mode === 'one' ? [all] : splitIntoParts(all, mode);
    parts = chunks.map((chunk, i) => {
      const nodes = i === 0 ? [cover, ...chunk] : chunk;
      return { html: page(doc.meta, nodes, css, undefined), headings: headingsIn(nodes) };
    });
  }
  return { html, headings: content.headings, parts, diagnostics };
}
