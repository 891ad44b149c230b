/**
 * Cutting a long document into print parts. Chromium's print time grows super-linearly with the
 * size of one document (measured here: 376 pages 7.5 s, 1,876 pages 144 s), so a long document
 * is printed as parts of bounded weight and merged. Parts are cut at `##` boundaries once a part
 * has some weight, and inside long sections (a big table becomes several tables, each repeating
 * its header) before a part grows past its budget. Every cut starts a new page, so parts are
 * kept large: a cut never leaves more than one short page per part.
 */
import type { Element, ElementContent } from 'hast';
import { element } from './hast-element.ts';

function isElement(node: ElementContent | undefined): node is Element {
  return node !== undefined && node.type === 'element';
}

function children(el: Element, tagName: string): Element[] {
  return el.children.filter((c): c is Element => isElement(c) && c.tagName === tagName);
}

/** Weight of a block: roughly how much layout work Chromium does for it (rows, items, paragraphs, code lines). */
export function weight(node: ElementContent): number {
  if (!isElement(node)) return 0;
  let n = 1;
  const walk = (el: Element): void => {
    for (const c of el.children) {
      if (!isElement(c)) continue;
      if (c.tagName === 'tr' || c.tagName === 'li' || c.tagName === 'p') n++;
      else if (c.tagName === 'pre') n += Math.ceil(c.children.map((x) => ('value' in x ? String(x.value) : '')).join('').split('\n').length / 4);
      walk(c);
    }
  };
  walk(node);
  return n;
}

/** A table region with more rows than `max`, as regions of at most `max` rows, each repeating the header. */
function chunkTable(region: Element, max: number): Element[] {
  const table = region.tagName === 'table' ? region : children(region, 'table')[0];
  if (!table) return [region];
  const thead = children(table, 'thead')[0];
  const rows = children(table, 'tbody').flatMap((b) => children(b, 'tr'));
  if (rows.length <= max) return [region];
  const out: Element[] = [];
  for (let i = 0; i < rows.length; i += max) {
    const props = i === 0 ? table.properties : { ...table.properties, id: undefined };
    const t = element('table', props, [...(thead ? [thead] : []), element('tbody', {}, rows.slice(i, i + max))]);
    out.push(region === table ? t : { ...region, children: [t] });
  }
  return out;
}

/** Split content into parts of about `rowsPerPart` weight, cutting at `##` headings where possible. */
export function splitIntoParts(content: readonly ElementContent[], rowsPerPart: number): ElementContent[][] {
  const blocks: ElementContent[] = [];
  for (const node of content) {
    if (isElement(node) && (node.tagName === 'table' || (node.tagName === 'div' && children(node, 'table').length > 0))) blocks.push(...chunkTable(node, rowsPerPart));
    else blocks.push(node);
  }
  const parts: ElementContent[][] = [];
  let current: ElementContent[] = [];
  let load = 0;
  for (const block of blocks) {
    const w = weight(block);
    const atSection = isElement(block) && block.tagName === 'h2';
    if (current.length > 0 && ((atSection && load >= rowsPerPart / 2) || load + w > rowsPerPart)) {
      // A heading must stay with what follows it: headings that would end a part open the next one.
      const carried: ElementContent[] = [];
      while (current.length > 1 && isElement(current[current.length - 1]) && /^h[1-6]$/.test((current[current.length - 1] as Element).tagName)) carried.unshift(current.pop()!);
      parts.push(current);
      current = carried;
      load = carried.reduce((n, b) => n + weight(b), 0);
    }
    current.push(block);
    load += w;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
