/**
 * The document tree (mdast) as HTML elements (hast), for the page and the print parts alike,
 * converted one top-level node at a time ({@link BlockConverter}).
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent, Text } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';
import type { RootContent } from 'mdast';
import { defaultHandlers, toHast, type Handlers } from 'mdast-util-to-hast';
import type { ChartSpec } from '../../compose/charts.ts';
import { element, text } from './hast-element.ts';
import { svgBarChart } from './svg-charts.ts';

/** A heading of the document, in order. */
export interface HeadingRef {
  depth: number;
  text: string;
  id: string;
}

/** Ids the page itself uses; headings never get them. */
export const RESERVED_IDS = ['am-cover', 'am-contents', 'am-toc', 'am-main', 'am-filters', 'am-filter-count', 'am-findings-index', 'am-checklist-filters', 'am-checklist-filter-count', 'am-checklist-index'];

/**
 * Only what documents need. Raw HTML, scripts, styles, images and foreign attributes can never
 * appear: the tree has none, and this schema would drop them if a bug let one through.
 */
const SCHEMA: Schema = {
  strip: ['script', 'style'],
  clobberPrefix: 'user-content-',
  clobber: ['ariaDescribedBy', 'ariaLabelledBy', 'id', 'name'],
  ancestors: { tbody: ['table'], td: ['table'], th: ['table'], thead: ['table'], tfoot: ['table'], tr: ['table'] },
  protocols: { href: ['http', 'https', 'mailto'] },
  tagNames: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'input', 'figure', 'span',
  ],
  attributes: {
    a: ['href'],
    code: [['className', /^language-[\w-]+$/]],
    th: ['align'],
    td: ['align'],
    tr: ['data*'],
    input: [['type', 'checkbox'], ['disabled', true], 'checked'],
    li: [['className', 'task-list-item']],
    ul: [['className', 'contains-task-list']],
    ol: [['className', 'contains-task-list'], 'start'],
    blockquote: [['className', 'am-advisory']],
    figure: ['dataAmChart'],
    span: [['className', 'am-signature'], 'dataAmSign'],
  },
  required: { input: { type: 'checkbox', disabled: true } },
};

function isElement(node: HastContent | ElementContent | undefined): node is Element {
  return node !== undefined && node.type === 'element';
}

/** Text content of a hast node. */
export function textOf(node: HastRoot | HastContent | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map((c) => textOf(c as ElementContent)).join('');
  return '';
}

function visit(node: HastRoot | Element, fn: (el: Element, parent: HastRoot | Element) => void): void {
  for (const child of node.children) {
    if (child.type === 'element') {
      fn(child, node);
      visit(child, fn);
    }
  }
}

/**
 * Where a line may break inside a token. A path, URL, fingerprint or package id of 25 characters
 * or more may wrap only after its separators (`/ . - _ : ? & = @ \\ ,`), a long run without any
 * (a hash) every 16 characters. A shorter token never breaks: browsers break after a hyphen on
 * their own ("pip-|audit", "not-|assessed"), so a short token holding one is kept whole in a
 * `nowrap` span, and a severity, state, tool, status or column header always reads whole.
 */
const TOKEN = /\S+/g;
const LONG = 25;
function withBreaks(value: string): Array<Text | Element> {
  if (value.length < LONG && !value.includes('-')) return [text(value)];
  const out: Array<Text | Element> = [];
  let pending = '';
  let last = 0;
  for (const m of value.matchAll(TOKEN)) {
    const token = m[0];
    const short = token.length < LONG;
    if (short && !token.includes('-')) continue;
    pending += value.slice(last, m.index);
    last = m.index + token.length;
    if (short) {
      if (pending) out.push(text(pending));
      out.push(element('span', { className: ['am-nobr'] }, [text(token)]));
      pending = '';
      continue;
    }
    const pieces = /[/.\-_:?&=@\\,]/.test(token) ? token.split(/(?<=[/.\-_:?&=@\\,])(?=.)/) : token.match(/.{1,16}/g)!;
    let first = true;
    for (const piece of pieces) {
      if (!first) out.push(element('wbr'));
      out.push(text(first ? pending + piece : piece));
      first = false;
    }
    pending = '';
  }
  pending += value.slice(last);
  if (pending) out.push(text(pending));
  return out;
}

function addBreaks(node: Element): void {
  if (node.tagName === 'pre' || node.tagName === 'svg') return;
  const next: ElementContent[] = [];
  for (const child of node.children) {
    if (child.type === 'text') next.push(...withBreaks(child.value));
    else {
      if (child.type === 'element') addBreaks(child);
      next.push(child);
    }
  }
  node.children = next;
}

/**
 * Turns a document tree into HTML blocks one top-level node at a time: mdast → hast, the strict
 * sanitizer as a second wall (the tree holds data only as text, so it should find nothing), then
 * presentation from the tree itself: heading ids, header scopes, charts, break points in long
 * tokens, scrollable table regions. Blocks are handed on as they are made, so a caller that
 * serialises them at once never holds the whole document's hast (at 20,000 rules that tree was
 * most of the build's memory).
 */
export class BlockConverter {
  readonly headings: HeadingRef[] = [];
  readonly #slugger = new GithubSlugger();
  readonly #used = new Set<string>(RESERVED_IDS);
  readonly #charts: Array<{ title: string; spec: ChartSpec }> = [];
  readonly #handlers: Handlers = {
    paragraph: (state, node) => {
      const chart = node.data?.chart;
      if (!chart) return defaultHandlers.paragraph(state, node);
      this.#charts.push(chart);
      return element('figure', { dataAmChart: String(this.#charts.length - 1) }, []);
    },
  };
  /** Id of the latest top-level heading: names the table regions after it. */
  #section: string | undefined;
  /** Set once the first `##` is met: what comes before it is the cover. */
  #inBody = false;

  /** The blocks of one top-level node, each marked as cover or body. */
  convert(node: RootContent): Array<{ block: ElementContent; cover: boolean }> {
    const out = toHast({ type: 'root', children: [node] }, { handlers: this.#handlers }) as HastRoot;
    const root = sanitize(out, SCHEMA) as HastRoot;
    visit(root, (el) => this.#headingId(el));
    visit(root, (el, parent) => this.#present(el, parent));
    const blocks: Array<{ block: ElementContent; cover: boolean }> = [];
    for (const c of root.children) {
      if (c.type === 'doctype' || (c.type === 'text' && c.value.trim() === '')) continue;
      let block = c as ElementContent;
      if (isElement(block)) {
        if (/^h[1-6]$/.test(block.tagName) && typeof block.properties.id === 'string') this.#section = block.properties.id;
        addBreaks(block);
        // Tables scroll inside their own region on narrow screens instead of widening the page;
        // the region is focusable (keyboard users can scroll it) and named by its section's
        // heading (by reference: data never goes into an attribute).
        if (block.tagName === 'table') block = element('div', { className: ['am-table'], role: 'region', tabIndex: 0, ...(this.#section ? { ariaLabelledBy: [this.#section] } : { ariaLabel: 'Table' }) }, [block]);
        if (block.type === 'element' && block.tagName === 'h2') this.#inBody = true;
      }
      blocks.push({ block, cover: !this.#inBody });
    }
    return blocks;
  }

  /** A unique GitHub-style id for a heading, in document order. */
  #headingId(el: Element): void {
    const m = /^h([1-6])$/.exec(el.tagName);
    if (!m) return;
    const label = textOf(el).trim();
    const base = this.#slugger.slug(label) || 'section';
    // github-slugger keeps its counts in a plain object, so a heading named `__proto__` is not
    // tracked: a Set keeps every id unique whatever the text.
    let id = base;
    for (let n = 1; this.#used.has(id); n++) id = `${base}-${n}`;
    this.#used.add(id);
    el.properties = { ...el.properties, id };
    this.headings.push({ depth: Number(m[1]), text: label, id });
  }

  #present(el: Element, parent: HastRoot | Element): void {
    if (el.tagName === 'th' && parent.type === 'element' && parent.tagName === 'tr') el.properties = { ...el.properties, scope: 'col' };
    if (el.tagName === 'figure' && typeof el.properties.dataAmChart === 'string') {
      const chart = this.#charts[Number(el.properties.dataAmChart)];
      el.properties = { className: ['am-chart'] };
      if (chart) el.children = [element('figcaption', {}, [chart.title]), svgBarChart(chart.spec, chart.title)];
    }
  }
}
