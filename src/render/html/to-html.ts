/**
 * Markdown document → one self-contained HTML file (and the print parts the PDF stage uses).
 *
 * The Markdown from compose is the single source of content; this stage only adds presentation
 * (cover, table of contents, charts, filters). Content is untrusted: raw HTML never survives,
 * images become their alt text, links keep only http(s)/mailto/#, and the page carries a strict
 * CSP so even a sanitizer bug cannot fetch anything.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toHtml as hastToHtml } from 'hast-util-to-html';
import type { Root as MdastRoot, Parent as MdastParent, RootContent as MdastContent } from 'mdast';
import rehypeSanitize, { type Options as SanitizeSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { readFrontmatter } from '../../settings/frontmatter.ts';
import { diag, DiagnosticError, type Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../model/limits.ts';
import type { Report, ReportMetadata } from '../../model/report.ts';
import { SEVERITIES } from '../../model/severity.ts';
import { element } from './hast-element.ts';
import { BASE_CSS, cspHash, embeddedFonts, FILTER_SCRIPT, SEVERITY_COLOURS } from './theme.ts';
import { splitMarkdown } from './split-markdown.ts';
import { svgBarChart, type ChartBar } from './svg-charts.ts';

/** Header row of the findings index table: the contract with compose. */
export const FINDINGS_INDEX_HEADER = ['Severity', 'Tool', 'Rule', 'Title', 'OWASP', 'State', 'Count'] as const;

/** Options of {@link toHtml} and {@link renderHtml}. */
export interface HtmlOptions {
  /** Document metadata (cover, title, language). */
  metadata: ReportMetadata;
  /** The report model, for presentation-only extras (status on the cover, charts). */
  report?: Report;
  /** Include the findings filter/sort script (default true). The print parts never have it. */
  interactive?: boolean;
  /** Limits (maxAssetBytes, maxMarkdownNesting); defaults from `DEFAULT_LIMITS`. */
  limits?: Partial<Limits>;
  /** Most table rows per parse piece (0: parse the document in one piece); see split-markdown.ts. */
  pieceRows?: number;
  /** Also produce print parts for the PDF stage. */
  printParts?: boolean | { rowsPerPart?: number };
  /**
   * TEST ONLY. Keeps raw HTML and images and drops the CSP, so tests can prove that the PDF
   * stage's request interception alone still blocks every fetch. Never set it anywhere else.
   */
  unsafeDisableSanitizerForTestsOnly?: boolean;
}

/** A heading of the document, in order. */
export interface HeadingRef {
  depth: number;
  text: string;
  id: string;
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

/** Default number of table rows / blocks per print part (measured: see docs/html-pdf.md). */
export const DEFAULT_ROWS_PER_PART = 300;

const SEVERITY_RANK: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Ids the page itself uses; headings never get them. */
const RESERVED_IDS = ['am-cover', 'am-contents', 'am-toc', 'am-main', 'am-filters', 'am-filter-count', 'am-findings-index', 'am-chart-severity'];

/** Only what audit documents need; everything else is unwrapped (or dropped, for script/style). */
const SANITIZE_SCHEMA: SanitizeSchema = {
  strip: ['script', 'style'],
  clobberPrefix: 'user-content-',
  clobber: ['ariaDescribedBy', 'ariaLabelledBy', 'id', 'name'],
  ancestors: { tbody: ['table'], td: ['table'], th: ['table'], thead: ['table'], tfoot: ['table'], tr: ['table'] },
  protocols: { href: ['http', 'https', 'mailto'] },
  tagNames: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'sup', 'section', 'input',
  ],
  attributes: {
    a: ['href', 'dataFootnoteBackref', 'dataFootnoteRef', ['className', 'data-footnote-backref'], 'ariaDescribedBy', 'ariaLabel'],
    code: [['className', /^language-[\w-]+$/]],
    th: ['align'],
    td: ['align'],
    input: [['type', 'checkbox'], ['disabled', true], 'checked'],
    li: [['className', 'task-list-item'], 'id'],
    ul: [['className', 'contains-task-list']],
    ol: [['className', 'contains-task-list'], 'start'],
    section: ['dataFootnotes', ['className', 'footnotes']],
    h2: [['className', 'sr-only'], 'id'],
    sup: [],
  },
  required: { input: { type: 'checkbox', disabled: true } },
};

/**
 * Remove the YAML frontmatter with compose's safe reader (no gray-matter engine can evaluate
 * anything). Its values are not used here: metadata comes typed from the caller. A malformed
 * block is reported and the document is rendered as text.
 */
function stripFrontmatter(markdown: string, diagnostics: Diagnostic[]): string {
  try {
    return readFrontmatter(markdown).content;
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    diagnostics.push(e.diagnostic);
    return markdown.replace(/^\uFEFF/, '');
  }
}

/** Cheap pre-parse bound on block nesting (quotes and indented lists), checked before remark runs. */
function nestingDepth(markdown: string): { depth: number; line: number } {
  let worst = { depth: 0, line: 0 };
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^[ \t>]*/.exec(lines[i] ?? '');
    const prefix = m ? m[0] : '';
    let depth = 0;
    let spaces = 0;
    for (const ch of prefix) {
      if (ch === '>') depth++;
      else spaces += ch === '\t' ? 4 : 1;
    }
    depth += Math.floor(spaces / 2);
    if (depth > worst.depth) worst = { depth, line: i + 1 };
  }
  return worst;
}

/** Text content of a hast node. */
export function textOf(node: Root | RootContent | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map((c) => textOf(c as ElementContent)).join('');
  return '';
}

/** Images never load: each becomes its alt text (remote, file and relative sources alike). */
function imagesToAltText(tree: MdastRoot): void {
  const walk = (parent: MdastParent): void => {
    parent.children = parent.children.map((child: MdastContent): MdastContent => {
      if (child.type === 'image' || child.type === 'imageReference') return { type: 'text', value: child.alt ?? '' };
      if ('children' in child) walk(child as MdastParent);
      return child;
    }) as MdastParent['children'];
  };
  walk(tree);
}

function isElement(node: RootContent | ElementContent | undefined): node is Element {
  return node !== undefined && node.type === 'element';
}

function visitElements(node: Root | Element, fn: (el: Element) => void): void {
  for (const child of node.children) {
    if (child.type === 'element') {
      fn(child);
      visitElements(child, fn);
    }
  }
}

/** Keep only http(s)/mailto/# links; any other target (relative paths included) becomes plain text. */
function restrictLinks(tree: Root): void {
  visitElements(tree, (el) => {
    if (el.tagName !== 'a') return;
    const href = el.properties.href;
    if (typeof href === 'string' && (href.startsWith('#') || /^(https?|mailto):/i.test(href))) return;
    el.tagName = 'span';
    el.properties = {};
  });
}

/** Give every heading a unique GitHub-style id and return them in document order. */
function assignHeadingIds(tree: Root): HeadingRef[] {
  const slugger = new GithubSlugger();
  const used = new Set<string>(RESERVED_IDS);
  for (const id of RESERVED_IDS) slugger.slug(id);
  const headings: HeadingRef[] = [];
  visitElements(tree, (el) => {
    const m = /^h([1-6])$/.exec(el.tagName);
    if (!m) return;
    const label = textOf(el).trim();
    let id = slugger.slug(label) || 'section';
    // github-slugger keeps counts in a plain object, so a heading such as `__proto__` is not
    // tracked; a Set makes uniqueness hold for every name.
    for (let n = 1; used.has(id); n++) id = `${slugger.slug(label) || 'section'}-${n}`;
    used.add(id);
    el.properties = { ...el.properties, id };
    headings.push({ depth: Number(m[1]), text: label, id });
  });
  return headings;
}

/** Header cells get `scope` so screen readers announce them with each data cell. */
function scopeHeaderCells(tree: Root): void {
  visitElements(tree, (el) => {
    if (el.tagName !== 'thead') return;
    visitElements(el, (cell) => {
      if (cell.tagName === 'th') cell.properties = { ...cell.properties, scope: 'col' };
    });
  });
}

/** A parsed row of the findings index. */
interface IndexRow {
  severity: string;
  tool: string;
  owasp: string[];
  state: string[];
  count: number;
}

function childElements(el: Element, tagName: string): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && c.tagName === tagName);
}

/** Find the findings index table (by its exact header row) and annotate its rows for filtering. */
function annotateFindingsIndex(tree: Root): { table: Element; rows: IndexRow[] } | undefined {
  let found: { table: Element; rows: IndexRow[] } | undefined;
  visitElements(tree, (table) => {
    if (found || table.tagName !== 'table') return;
    const thead = childElements(table, 'thead')[0];
    const headRow = thead && childElements(thead, 'tr')[0];
    const header = headRow ? childElements(headRow, 'th').map((c) => textOf(c).trim()) : [];
    if (header.join('|') !== FINDINGS_INDEX_HEADER.join('|')) return;
    table.properties = { ...table.properties, id: 'am-findings-index' };
    const rows: IndexRow[] = [];
    for (const tbody of childElements(table, 'tbody')) {
      for (const tr of childElements(tbody, 'tr')) {
        const cells = childElements(tr, 'td').map((c) => textOf(c).trim());
        const severity = (cells[0] ?? '').toLowerCase();
        const row: IndexRow = {
          severity,
          tool: cells[1] ?? '',
          owasp: [...new Set((cells[4] ?? '').match(/A\d{2}:\d{4}/g) ?? [])],
          state: [...new Set((cells[5] ?? '').toLowerCase().match(/[a-z]+/g) ?? [])],
          count: Number.parseInt(cells[6] ?? '', 10) || 0,
        };
        if (row.owasp.length === 0) row.owasp = ['unmapped'];
        rows.push(row);
        tr.properties = {
          ...tr.properties,
          dataSeverity: severity,
          dataSeverityRank: String(SEVERITY_RANK[severity] ?? SEVERITIES.length),
          dataTool: row.tool,
          dataOwasp: row.owasp.join(' '),
          dataState: row.state.join(' '),
        };
      }
    }
    found = { table, rows };
  });
  return found;
}

/** The filter form (hidden until the script runs, so a page without JavaScript shows no dead controls). */
function filterForm(rows: readonly IndexRow[]): Element {
  const bySeverity = [...new Set(rows.map((r) => r.severity))].sort((a, b) => (SEVERITY_RANK[a] ?? 9) - (SEVERITY_RANK[b] ?? 9));
  const select = (name: string, label: string, values: readonly string[], match: 'exact' | 'token'): Element =>
    element('label', {}, [
      label,
      element('select', { name, dataMatch: match }, [
        element('option', { value: '' }, ['All']),
        ...values.map((v) => element('option', { value: v }, [v])),
      ]),
    ]);
  const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return element('div', { id: 'am-filters', className: ['am-filters'], role: 'search', ariaLabel: 'Filter findings', hidden: true }, [
    select('severity', 'Severity', bySeverity, 'exact'),
    select('tool', 'Tool', sorted(rows.map((r) => r.tool)), 'exact'),
    select('owasp', 'OWASP', sorted(rows.flatMap((r) => r.owasp)), 'token'),
    select('state', 'State', sorted(rows.flatMap((r) => r.state)), 'token'),
    element('button', { type: 'button' }, ['Show all']),
    element('output', { id: 'am-filter-count', ariaLive: 'polite' }, []),
  ]);
}

/** Severity and OWASP charts: from the report when given, else from the findings index. */
function charts(report: Report | undefined, index: IndexRow[] | undefined): Element {
  const sevBars: ChartBar[] = [];
  const owasp = new Map<string, number>();
  if (report) {
    for (const s of SEVERITIES) {
      const value = report.summary.bySeverity[s] ?? 0;
      if (s !== 'unknown' || value > 0) sevBars.push({ label: s, value, colour: SEVERITY_COLOURS[s] ?? '#666' });
    }
    for (const row of report.owasp.rows) owasp.set(`${row.id}`, Object.values(row.open).reduce((a, b) => a + b, 0));
  } else {
    const bySev = new Map<string, number>();
    for (const r of index ?? []) {
      bySev.set(r.severity, (bySev.get(r.severity) ?? 0) + r.count);
      for (const o of r.owasp) owasp.set(o, (owasp.get(o) ?? 0) + r.count);
    }
    for (const s of SEVERITIES) {
      const value = bySev.get(s) ?? 0;
      if (s !== 'unknown' || value > 0) sevBars.push({ label: s, value, colour: SEVERITY_COLOURS[s] ?? '#666' });
    }
  }
  const owaspBars = [...owasp.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, value]) => ({ label, value, colour: '#0b4f8a' }));
  const sevTitle = report ? 'Findings by severity (all states)' : 'Findings by severity (index counts)';
  const owaspTitle = report ? 'Open findings by OWASP Top 10 category' : 'Findings by OWASP Top 10 category (index counts)';
  return element('div', { className: ['am-charts'] }, [
    element('figure', {}, [element('figcaption', {}, [sevTitle]), svgBarChart('am-chart-severity', sevTitle, sevBars)]),
    element('figure', {}, [element('figcaption', {}, [owaspTitle]), svgBarChart('am-chart-owasp', owaspTitle, owaspBars)]),
  ]);
}

/** The cover: the document's own h1 plus classification, status, dates, licence and id. */
function cover(h1: Element, intro: ElementContent[], metadata: ReportMetadata, report: Report | undefined, chartBlock: Element): Element {
  const rows: Array<[string, string]> = [
    ['Project', metadata.project],
    ['Overall status', report?.status.overall ?? 'see document'],
    ['Document status', `${metadata.documentStatus}, version ${metadata.documentVersion}`],
    ['Created', metadata.created],
  ];
  if (metadata.git) rows.push(['Source commit', `${metadata.git.commit} (${metadata.git.date})`]);
  if (report?.nextScanDue) rows.push(['Next scan due', report.nextScanDue]);
  if (metadata.author) rows.push(['Author', metadata.author]);
  if (metadata.license) rows.push(['Licence', metadata.license]);
  if (metadata.copyright) rows.push(['Copyright', metadata.copyright]);
  rows.push(['Document id', metadata.documentId]);
  rows.push(['Template', `${metadata.template.id}@${metadata.template.version}`]);
  return element('header', { id: 'am-cover', className: ['am-cover'] }, [
    element('p', {}, [element('span', { className: ['am-classification'] }, [`Classification: ${metadata.classification}`])]),
    h1,
    element('p', {}, [metadata.purpose]),
    ...(intro.length > 0 ? [element('div', { className: ['am-intro'] }, intro)] : []),
    element(
      'dl',
      {},
      rows.flatMap(([k, v]) => [element('dt', {}, [k]), element('dd', k === 'Overall status' ? { className: ['am-status'] } : {}, [v])]),
    ),
    chartBlock,
  ]);
}

/** Table of contents from h2/h3 headings. */
function tableOfContents(headings: readonly HeadingRef[]): Element {
  const items: Element[] = [];
  let current: Element | undefined;
  for (const h of headings) {
    if (h.depth === 2) {
      current = element('li', {}, [element('a', { href: `#${h.id}` }, [h.text])]);
      items.push(current);
    } else if (h.depth === 3 && current) {
      let sub = current.children.find((c): c is Element => isElement(c) && c.tagName === 'ol');
      if (!sub) {
        sub = element('ol');
        current.children.push(sub);
      }
      sub.children.push(element('li', {}, [element('a', { href: `#${h.id}` }, [h.text])]));
    }
  }
  return element('nav', { id: 'am-toc', className: ['am-toc'], ariaLabelledBy: ['am-contents'] }, [
    element('h2', { id: 'am-contents' }, ['Contents']),
    element('ol', {}, items),
  ]);
}

/** Serialise a full page: CSP first, so it governs everything after it. */
function page(metadata: ReportMetadata, body: ElementContent[], css: string, script: string | undefined, csp: boolean): string {
  const head: ElementContent[] = [element('meta', { charSet: 'utf-8' })];
  if (csp) {
    const policy = [
      "default-src 'none'",
      `style-src ${cspHash(css)}`,
      'font-src data:',
      'img-src data:',
      `script-src ${script ? cspHash(script) : "'none'"}`,
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    head.push(element('meta', { httpEquiv: ['Content-Security-Policy'], content: policy }));
  }
  head.push(
    element('meta', { name: 'referrer', content: 'no-referrer' }),
    element('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    element('meta', { name: 'generator', content: `auditmark ${metadata.auditmarkVersion}` }),
    element('title', {}, [metadata.title]),
    element('style', {}, [css]),
  );
  const bodyChildren = [...body];
  if (script) bodyChildren.push(element('script', {}, [script]));
  const root: Root = {
    type: 'root',
    children: [{ type: 'doctype' }, element('html', { lang: metadata.language }, [element('head', {}, head), element('body', {}, bodyChildren)])],
  };
  // Raw nodes only exist in the test-only unsafe mode; normally remark-rehype never creates them.
  return hastToHtml(root, { allowDangerousHtml: !csp }) + '\n';
}

/** Weight of a block for part splitting: roughly how much layout work Chromium does for it. */
function weight(node: ElementContent): number {
  if (!isElement(node)) return 0;
  let n = 1;
  visitElements(node, (el) => {
    if (el.tagName === 'tr' || el.tagName === 'li' || el.tagName === 'p') n++;
    else if (el.tagName === 'pre') n += Math.ceil(textOf(el).split('\n').length / 4);
  });
  return n;
}

/** Split a table with more rows than `max` into tables of at most `max` rows, each repeating the header. */
function chunkTable(table: Element, max: number): Element[] {
  const thead = childElements(table, 'thead')[0];
  const rows = childElements(table, 'tbody').flatMap((b) => childElements(b, 'tr'));
  if (rows.length <= max) return [table];
  const out: Element[] = [];
  for (let i = 0; i < rows.length; i += max) {
    const props = i === 0 ? table.properties : { ...table.properties, id: undefined };
    out.push(element('table', props, [...(thead ? [thead] : []), element('tbody', {}, rows.slice(i, i + max))]));
  }
  return out;
}

/**
 * Cut the main content into print parts: at h2 boundaries once a part has some weight, and
 * inside long sections (big tables become chunks with repeated headers) before a part grows past
 * `rowsPerPart`. Chromium's print time is super-linear in document size, so many small parts
 * print far faster than one big one.
 */
function splitIntoParts(content: ElementContent[], rowsPerPart: number): ElementContent[][] {
  const blocks: ElementContent[] = [];
  for (const node of content) {
    if (isElement(node) && node.tagName === 'table') blocks.push(...chunkTable(node, rowsPerPart));
    else blocks.push(node);
  }
  const parts: ElementContent[][] = [];
  let current: ElementContent[] = [];
  let load = 0;
  for (const block of blocks) {
    const w = weight(block);
    const atSection = isElement(block) && block.tagName === 'h2';
    if (current.length > 0 && ((atSection && load >= rowsPerPart / 4) || load + w > rowsPerPart)) {
      parts.push(current);
      current = [];
      load = 0;
    }
    current.push(block);
    load += w;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function headingsIn(nodes: readonly ElementContent[]): HeadingRef[] {
  const out: HeadingRef[] = [];
  const root: Root = { type: 'root', children: [...nodes] as RootContent[] };
  visitElements(root, (el) => {
    const m = /^h([1-6])$/.exec(el.tagName);
    if (m && typeof el.properties.id === 'string') out.push({ depth: Number(m[1]), text: textOf(el).trim(), id: el.properties.id });
  });
  return out;
}

/**
 * Render the Markdown document to HTML (and optionally the PDF print parts). Pure apart from
 * reading the bundled font files; deterministic: no clock, no random ids.
 */
export function renderHtml(markdown: string, options: HtmlOptions): HtmlDocument {
  const diagnostics: Diagnostic[] = [];
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const unsafe = options.unsafeDisableSanitizerForTestsOnly === true;
  const interactive = options.interactive !== false;
  const { metadata, report } = options;
  let body = stripFrontmatter(markdown, diagnostics);

  const nesting = nestingDepth(body);
  if (nesting.depth > limits.maxMarkdownNesting) {
    diagnostics.push(
      diag('html/nesting', 'error', `Markdown nesting depth ${nesting.depth} exceeds maxMarkdownNesting (${limits.maxMarkdownNesting}).`, {
        line: nesting.line,
        expected: `at most ${limits.maxMarkdownNesting} nested quotes or list levels`,
        fix: limitHint('maxMarkdownNesting'),
      }),
    );
    // Still produce a readable page: the content as plain preformatted text, never parsed.
    body = '```\n' + body.replace(/`/g, '\u02cb') + '\n```\n';
  }

  const parser = unified().use(remarkParse).use(remarkGfm);
  const toHast = unsafe
    ? unified().use(remarkRehype, { allowDangerousHtml: true })
    : unified().use(remarkRehype).use(rehypeSanitize, SANITIZE_SCHEMA);
  const tree: Root = { type: 'root', children: [] };
  const pieces = options.pieceRows === 0 ? [{ text: body, continuesTable: false }] : splitMarkdown(body, options.pieceRows);
  for (const piece of pieces) {
    const mdast = parser.parse(piece.text);
    if (!unsafe) imagesToAltText(mdast);
    const part = toHast.runSync(mdast) as unknown as Root;
    const children = part.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    const head = children[0];
    const previous = [...tree.children].reverse().find(isElement);
    if (piece.continuesTable && isElement(head) && head.tagName === 'table' && previous?.tagName === 'table') {
      // The piece repeats the table header only so it parses as a table: join its rows back.
      const into = childElements(previous, 'tbody')[0];
      const more = childElements(head, 'tbody').flatMap((b) => b.children);
      // Keep the whitespace between rows exactly as one whole-document parse would.
      if (more[0]?.type === 'text' && into?.children[into.children.length - 1]?.type === 'text') more.shift();
      if (into) into.children.push(...more);
      else previous.children.push(element('tbody', {}, more));
      children.shift();
    }
    tree.children.push(...children);
  }

  if (!unsafe) restrictLinks(tree);
  const headings = assignHeadingIds(tree);
  scopeHeaderCells(tree);
  const index = annotateFindingsIndex(tree);

  let content = tree.children.filter((c): c is ElementContent => c.type !== 'doctype' && !(c.type === 'text' && c.value.trim() === '')) as ElementContent[];
  const h1Index = content.findIndex((c) => isElement(c) && c.tagName === 'h1');
  let h1: Element;
  if (h1Index >= 0) {
    h1 = content[h1Index] as Element;
    content = content.filter((_, i) => i !== h1Index);
  } else {
    h1 = element('h1', { id: 'title' }, [metadata.title]);
    headings.unshift({ depth: 1, text: metadata.title, id: 'title' });
  }

  // What the document says between its title and first section (compose's own cover lines)
  // belongs on the cover, so the body starts with the first section.
  const firstSection = content.findIndex((c) => isElement(c) && c.tagName === 'h2');
  const intro = firstSection > 0 ? content.slice(0, firstSection) : [];
  content = content.slice(intro.length);

  const fonts = embeddedFonts();
  let fontCss = fonts.css;
  if (fonts.bytes > limits.maxAssetBytes) {
    fontCss = '';
    diagnostics.push(
      diag('html/asset-limit', 'warning', `The embedded font (${fonts.bytes} bytes) exceeds maxAssetBytes (${limits.maxAssetBytes}); the document falls back to system sans-serif fonts.`, {
        fix: limitHint('maxAssetBytes'),
      }),
    );
  }
  const css = fontCss + BASE_CSS;
  const chartBlock = charts(report, index?.rows);
  const coverBlock = cover(h1, intro, metadata, report, chartBlock);
  const toc = tableOfContents(headings);

  const withFilters = (nodes: ElementContent[]): ElementContent[] => {
    if (!interactive || !index) return nodes;
    const out: ElementContent[] = [];
    for (const n of nodes) {
      if (n === index.table) out.push(filterForm(index.rows));
      out.push(n);
    }
    return out;
  };
  const html = page(
    metadata,
    [coverBlock, toc, element('main', { id: 'am-main' }, withFilters(content))],
    css,
    interactive && index ? FILTER_SCRIPT : undefined,
    !unsafe,
  );

  let parts: PrintPart[] | undefined;
  if (options.printParts) {
    const rowsPerPart = (typeof options.printParts === 'object' && options.printParts.rowsPerPart) || DEFAULT_ROWS_PER_PART;
    const first: ElementContent[] = [coverBlock, toc];
    parts = [{ html: page(metadata, first, css, undefined, !unsafe), headings: headingsIn(first) }];
    for (const chunk of splitIntoParts(content, rowsPerPart)) {
      parts.push({ html: page(metadata, [element('main', {}, chunk)], css, undefined, !unsafe), headings: headingsIn(chunk) });
    }
  }
  return { html, headings, parts, diagnostics };
}

/** Render the Markdown document to one self-contained HTML file (see {@link renderHtml}). */
export function toHtml(markdown: string, options: HtmlOptions): string {
  return renderHtml(markdown, options).html;
}
