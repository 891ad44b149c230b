/**
 * A composed document → one self-contained HTML file, and the print parts the PDF stage prints.
 * Everything shown comes from the document tree and the document's facts (`meta`): the cover is
 * the tree's own opening (title, facts, status, charts the template placed there), the table of
 * contents its headings, the filters its rows' data attributes (set from the model when the
 * template placed `rowdata`). Nothing is read back from rendered text. The page carries a strict
 * CSP, so even a sanitizer bug could not fetch anything.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { RootContent } from 'mdast';
import { toHtml as hastToHtml } from 'hast-util-to-html';
import type { ComposedDocument } from '../../compose/compose.ts';
import { shownInlineText } from '../../compose/shown-text.ts';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../model/limits.ts';
import { SEVERITIES } from '../../model/severity.ts';
import { BlockConverter, textOf, type HeadingRef } from './hast-document.ts';
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
  /**
   * Each heading's text is a link to {@link HEADING_LINK_PREFIX} + its id, so the PDF stage
   * finds its page and height without Chromium's outline; such a part is printed untagged and
   * without an outline (see {@link markHeadings}).
   */
  headingMarks?: boolean;
}

/** Result of {@link renderHtml}. */
export interface HtmlDocument {
  html: string;
  headings: HeadingRef[];
  /** Present when `printParts` was requested. */
  parts?: PrintPart[];
  diagnostics: Diagnostic[];
}

/** Result of {@link HtmlWriter.finish}: the page as the file's bytes. */
export type HtmlPage = Omit<HtmlDocument, 'html'> & { bytes: Buffer };

/**
 * Largest document (in layout weight: table rows, list items, paragraphs, code lines) printed as
 * one part by `auto`. One part keeps the PDF tagged and its layout continuous; above this,
 * Chromium's super-linear print time makes parts faster (measured: see docs/html-pdf.md).
 */
export const ONE_PART_MAX_WEIGHT = 1500;

/**
 * Weight of each print part when a document is split. Since parts print untagged (see
 * `markHeadings`), larger parts are faster: measured here with a warm browser, 2 tabs, toPdf of
 * 5,000 Bandit findings: parts of 400 (26 parts) 7.5 s, 800 5.7 s, 1,500 (6 parts) 4.3 s; 2,000
 * distinct rules: 400 (67 parts) 21.7 s, 1,500 (21 parts) 16.5 s.
 */
export const ROWS_PER_PART = 1500;

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

/** Where the PDF stage finds a heading of a print part: a link to this address + the heading's id. */
export const HEADING_LINK_PREFIX = 'https://auditmark.invalid/heading/';

/**
 * Mark every heading of a part that is printed as one of several: its content becomes a link to
 * {@link HEADING_LINK_PREFIX} + id, whose rectangle Chromium records (print links are plain
 * text: `a{color:inherit;text-decoration:none}`); the PDF stage reads and removes the links.
 * Chromium's outline needs its tagged PDF, and the structure tree of a part is dropped on merge
 * anyway (pdf-lib cannot merge them): measured on a 5,000-finding part, the tags were three
 * quarters of its 1.0 MB and 40% of its print time, and every merged byte is parsed again.
 */
function markHeadings(nodes: ElementContent[]): void {
  for (const n of nodes) {
    if (!isElement(n)) continue;
    if (/^h[1-6]$/.test(n.tagName) && typeof n.properties.id === 'string') n.children = [element('a', { href: `${HEADING_LINK_PREFIX}${encodeURIComponent(n.properties.id)}` }, n.children)];
    else markHeadings(n.children);
  }
}

/** Where the PDF stage finds a table-of-contents entry: a link to this address, rewritten to the heading's page. */
export const TOC_LINK_PREFIX = 'https://auditmark.invalid/toc/';

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

/** One kind of filterable table: which rows it takes, its ids, and its fields. */
interface FilterKind {
  /** The data attribute (hast property) every row of the table must carry. */
  marker: string;
  tableId: string;
  formId: string;
  countId: string;
  ariaLabel: string;
  fields: ReadonlyArray<{ name: string; label: string; match: 'exact' | 'token'; order?: readonly string[] }>;
}

/**
 * The filterable tables, found by the data attributes the template placed with `rowdata`: the
 * findings index (rows with `data-severity`) and the checklist (rows with `data-status`). A
 * checklist status is matched whole: `not-applicable` is one option, never `not` and `applicable`.
 */
const FILTER_KINDS: readonly FilterKind[] = [
  {
    marker: 'dataSeverity', tableId: 'am-findings-index', formId: 'am-filters', countId: 'am-filter-count', ariaLabel: 'Filter findings',
    fields: [
      { name: 'severity', label: 'Severity', match: 'exact', order: SEVERITIES },
      { name: 'tool', label: 'Tool', match: 'exact' },
      { name: 'owasp', label: 'OWASP', match: 'token' },
      { name: 'state', label: 'State', match: 'token' },
    ],
  },
  {
    marker: 'dataStatus', tableId: 'am-checklist-index', formId: 'am-checklist-filters', countId: 'am-checklist-filter-count', ariaLabel: 'Filter checklist items',
    fields: [
      { name: 'status', label: 'Status', match: 'exact', order: ['pass', 'not-applicable', 'fail', 'contradicted', 'stale', 'partial', 'expired', 'pending'] },
      { name: 'basis', label: 'Decided by', match: 'exact', order: ['automatic', 'attested', 'none'] },
    ],
  },
];

/** Ids the filters use (reserved: headings never get them). */
export const FILTER_IDS: readonly string[] = FILTER_KINDS.flatMap((k) => [k.tableId, k.formId, k.countId]);

interface Filterable {
  kind: FilterKind;
  region: Element;
  table: Element;
  rows: Element[];
}

/**
 * The filter kind a body block is the table of, if any: for each kind, the first table region
 * whose rows all carry its data attribute from the model (blocks come in document order, and a
 * kind once found takes no other table).
 */
function filterableOf(region: ElementContent, found: Set<FilterKind>): Filterable | undefined {
  if (!isElement(region) || region.tagName !== 'div') return undefined;
  const table = region.children.find((c): c is Element => isElement(c) && c.tagName === 'table');
  const tbody = table?.children.find((c): c is Element => isElement(c) && c.tagName === 'tbody');
  const rows = (tbody?.children ?? []).filter((c): c is Element => isElement(c) && c.tagName === 'tr');
  if (!table || rows.length === 0) return undefined;
  const kind = FILTER_KINDS.find((k) => !found.has(k) && rows.every((r) => typeof r.properties[k.marker] === 'string'));
  if (!kind) return undefined;
  found.add(kind);
  return { kind, region, table, rows };
}

/** The filter form of one table (hidden until the script runs, so a page without JavaScript shows no dead controls). */
function filterForm({ kind, rows }: Filterable): Element {
  const values = (name: string, token: boolean, order: readonly string[] | undefined): string[] => {
    const prop = `data${name[0]!.toUpperCase()}${name.slice(1)}`;
    const all = rows.flatMap((r) => {
      const v = r.properties[prop];
      return typeof v === 'string' ? (token ? v.split(' ').filter(Boolean) : [v]) : [];
    });
    const unique = [...new Set(all)];
    const rank = (v: string) => (order ? (order.indexOf(v) + 1 || order.length + 1) : 0);
    return unique.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  };
  const select = (f: FilterKind['fields'][number]): Element =>
    element('label', {}, [
      f.label,
      element('select', { name: f.name, dataMatch: f.match }, [element('option', { value: '' }, ['All']), ...values(f.name, f.match === 'token', f.order).map((v) => element('option', { value: v }, [v.replace(/-/g, ' ')]))]),
    ]);
  return element('div', { id: kind.formId, className: ['am-filters'], role: 'search', ariaLabel: kind.ariaLabel, dataFor: kind.tableId, hidden: true }, [
    ...kind.fields.map(select),
    element('button', { type: 'button' }, ['Show all']),
    element('output', { id: kind.countId, ariaLive: 'polite' }, []),
  ]);
}

/** Where the serialised `main` content goes in a page serialised around it. */
const MAIN_SLOT = 'am-main-content';

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

/**
 * The page's UTF-8 bytes with `main` (the last body child, holding only the slot comment) filled
 * with `mainHtml`, the already serialised content. A comment can only come from this module
 * (data is text, serialised with `<` escaped), so the slot is found exactly once; serialising
 * `main`'s children apart gives the same bytes, since an element serialises as its tags around
 * its children's serialisations.
 */
function pageBytes(meta: ComposedDocument['meta'], body: ElementContent[], css: string, script: string | undefined, mainHtml: readonly Buffer[]): Buffer {
  const out = page(meta, body, css, script);
  const slot = `<!--${MAIN_SLOT}-->`;
  const at = out.indexOf(slot);
  return Buffer.concat([Buffer.from(out.slice(0, at), 'utf8'), ...mainHtml, Buffer.from(out.slice(at + slot.length), 'utf8')]);
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
 * The HTML page (and optionally the PDF print parts) of a document whose top-level nodes are
 * handed in one by one ({@link add}), so a caller can render the Markdown from the same pass and
 * no renderer holds the whole tree. The page's main content is serialised block by block as the
 * nodes are converted; the hast of the body is kept only when print parts need it. Pure apart
 * from reading the bundled font files; deterministic: no clock, no random ids.
 */
export class HtmlWriter {
  readonly #meta: ComposedDocument['meta'];
  readonly #options: HtmlOptions;
  readonly #converter = new BlockConverter();
  readonly #coverBlocks: ElementContent[] = [];
  readonly #body: ElementContent[] = [];
  /**
   * The serialised main content, kept as UTF-8 bytes: outside the JS heap (whose limit V8 grows
   * to some four times what is live), and never one giant string (one character above U+00FF
   * makes a joined string two bytes a character).
   */
  readonly #mainHtml: Buffer[] = [];
  readonly #found = new Set<FilterKind>();
  #filtered = false;

  constructor(meta: ComposedDocument['meta'], options: HtmlOptions = {}) {
    this.#meta = meta;
    this.#options = options;
  }

  /** The next top-level node of the document. */
  add(node: RootContent): void {
    const interactive = this.#options.interactive !== false;
    for (const { block, cover } of this.#converter.convert(node)) {
      if (cover) {
        this.#coverBlocks.push(block);
        continue;
      }
      const f = filterableOf(block, this.#found);
      if (f) {
        f.table.properties = { ...f.table.properties, id: f.kind.tableId };
        this.#filtered = true;
        if (interactive) this.#mainHtml.push(Buffer.from(hastToHtml(filterForm(f)), 'utf8'));
      }
      this.#mainHtml.push(Buffer.from(hastToHtml(block), 'utf8'));
      if (this.#options.printParts !== undefined) this.#body.push(block);
    }
  }

  /** The page, its headings, and the print parts when asked for. */
  finish(): HtmlPage {
    const options = this.#options;
    const meta = this.#meta;
    const diagnostics: Diagnostic[] = [];
    const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
    const interactive = options.interactive !== false;
    const fonts = embeddedFonts();
    let fontCss = fonts.css;
    if (fonts.bytes > limits.maxAssetBytes) {
      fontCss = '';
      diagnostics.push(diag('html/asset-limit', 'warning', `The embedded font (${fonts.bytes} bytes) exceeds maxAssetBytes (${limits.maxAssetBytes}); the document falls back to system sans-serif fonts.`, { fix: limitHint('maxAssetBytes') }));
    }
    const css = fontCss + BASE_CSS;
    const cover = element('header', { id: 'am-cover', className: ['am-cover'] }, this.#coverBlocks);
    const headings = this.#converter.headings;
    const main = element('main', { id: 'am-main' }, [{ type: 'comment', value: MAIN_SLOT }]);
    const bytes = pageBytes(meta, [cover, tableOfContents(headings, false), main], css, interactive && this.#filtered ? FILTER_SCRIPT : undefined, this.#mainHtml);

    let parts: PrintPart[] | undefined;
    if (options.printParts !== undefined) {
      const body = this.#body;
      // In print, a signature box becomes a link to a marker address: Chromium then records its
      // rectangle, which is where a signed PDF puts its visible signature field (the PDF stage
      // removes the links). The page above is already serialised, so this changes print only.
      markSignatures(body, SIGNATURE_LINK_PREFIX);
      const toc = tableOfContents(headings, true);
      const all = [toc, ...body];
      const mode = options.printParts === 'auto' ? (all.reduce((n, b) => n + weight(b), 0) <= ONE_PART_MAX_WEIGHT ? 'one' : ROWS_PER_PART) : options.printParts;
      const chunks = mode === 'one' ? [all] : splitIntoParts(all, mode);
      const marks = chunks.length > 1;
      parts = chunks.map((chunk, i) => {
        const nodes = i === 0 ? [cover, ...chunk] : chunk;
        const headings = headingsIn(nodes);
        if (marks) markHeadings(nodes);
        return { html: page(meta, nodes, css, undefined), headings, ...(marks ? { headingMarks: true } : {}) };
      });
    }
    return { bytes, headings, parts, diagnostics };
  }
}

/** Render a document to HTML (see {@link HtmlWriter}); `signal` is checked between sections. */
export function renderHtml(doc: Pick<ComposedDocument, 'meta' | 'content'>, options: HtmlOptions = {}): HtmlDocument {
  const writer = new HtmlWriter(doc.meta, options);
  for (const node of doc.content.blocks(options.signal)) writer.add(node);
  const { bytes, ...rest } = writer.finish();
  return { html: bytes.toString('utf8'), ...rest };
}
