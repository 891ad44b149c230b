/**
 * Advisory texts (GHSA, PYSEC, OSV descriptions) are Markdown by nature: shown as a wall of raw
 * text they are unreadable (`##`, backticks). They are parsed here into a confined, sanitised
 * subtree that lives inside its own block quote and can never affect anything outside it:
 * paragraphs, lists, emphasis, code and quotes are kept; headings are demoted to bold
 * paragraphs; tables become one paragraph per row; links and images are never live (a link shows
 * its label and URL as text, an image its alt text); raw HTML is shown as text; nesting deeper
 * than {@link MAX_DEPTH} is flattened.
 */
import type { BlockContent, Blockquote, ListItem, PhrasingContent, Root, RootContent } from 'mdast';
import { parseMarkdown } from './markdown-parse.ts';
import { dataText } from './data-text.ts';
import { shownBlockText, shownInlineText } from './shown-text.ts';

/** Deepest list/quote nesting kept inside an advisory (its own quote not counted). */
export const MAX_DEPTH = 3;

type Node = RootContent;

const text = (value: string): PhrasingContent => ({ type: 'text', value });

/** Untrusted text as nodes: link-like tokens become inline code (see `dataText`). */
const texts = (value: string): PhrasingContent[] => dataText(value);

/** Plain text of a node, for the parts that become text (table cells, headings' fallback). */
function plain(node: Node | Root): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if ('children' in node) return (node.children as Node[]).map(plain).join('');
  return '';
}

function phrasing(nodes: readonly Node[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        // Soft line breaks stay inside the paragraph; controls become visible.
        out.push(...texts(shownBlockText(n.value)));
        break;
      case 'emphasis':
      case 'strong':
      case 'delete':
        out.push({ type: n.type, children: phrasing(n.children) } as PhrasingContent);
        break;
      case 'inlineCode':
        out.push({ type: 'inlineCode', value: shownInlineText(n.value) });
        break;
      case 'break':
        out.push({ type: 'break' });
        break;
      case 'link': {
        const label = plain(n).trim();
        out.push(...texts(shownInlineText(label && label !== n.url ? `${label} (${n.url})` : n.url)));
        break;
      }
      case 'linkReference':
        out.push(...texts(shownInlineText(plain(n))));
        break;
      case 'image':
      case 'imageReference':
        if (n.alt) out.push(...texts(shownInlineText(n.alt)));
        break;
      case 'html':
        out.push(...texts(shownInlineText(n.value)));
        break;
      case 'footnoteReference':
        out.push(text(`[^${shownInlineText(n.identifier)}]`));
        break;
      default:
        if ('children' in n) out.push(...phrasing(n.children as Node[]));
        else if ('value' in n && typeof n.value === 'string') out.push(...texts(shownInlineText(n.value)));
    }
  }
  return out;
}

function blocks(nodes: readonly Node[], depth: number): BlockContent[] {
  const out: BlockContent[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'paragraph': {
        const children = phrasing(n.children);
        if (children.length) out.push({ type: 'paragraph', children });
        break;
      }
      case 'heading': {
        const children = phrasing(n.children);
        if (children.length) out.push({ type: 'paragraph', children: [{ type: 'strong', children }] });
        break;
      }
      case 'blockquote':
        if (depth < MAX_DEPTH) out.push({ type: 'blockquote', children: blocks(n.children, depth + 1) });
        else out.push(...blocks(n.children, depth));
        break;
      case 'list':
        if (depth < MAX_DEPTH) {
          const items: ListItem[] = n.children.map((item) => ({ type: 'listItem', spread: false, children: blocks(item.children, depth + 1) }));
          out.push({ type: 'list', ordered: n.ordered === true, spread: false, children: items });
        } else {
          for (const item of n.children) out.push(...blocks(item.children, depth));
        }
        break;
      case 'code': {
        const lang = n.lang && /^[A-Za-z0-9_+.#-]{1,32}$/.test(n.lang) ? n.lang : null;
        out.push({ type: 'code', lang, value: shownBlockText(n.value) });
        break;
      }
      case 'table':
        for (const row of n.children) {
          const cells = row.children.map((c) => plain(c).trim()).filter(Boolean);
          if (cells.length) out.push({ type: 'paragraph', children: texts(shownInlineText(cells.join(' | '))) });
        }
        break;
      case 'html':
        if (n.value.trim()) out.push({ type: 'paragraph', children: texts(shownInlineText(n.value)) });
        break;
      case 'thematicBreak':
      case 'definition':
      case 'footnoteDefinition':
        break;
      default: {
        const value = plain(n).trim();
        if (value) out.push({ type: 'paragraph', children: texts(shownInlineText(value)) });
      }
    }
  }
  return out;
}

/**
 * pip-audit (and the PyPI advisory data behind it) writes descriptions with every line break
 * replaced by two spaces (`## Impact  On Windows, …  - upgrade …`, seen in every real pip-audit
 * output we have). A text with no line break at all but with double spaces gets its line breaks
 * back, so its headings and lists are recognised; any other text is parsed as written.
 */
export function restoreLineBreaks(text: string): string {
  return /[\r\n]/.test(text) || !/ {2}/.test(text) ? text : text.replace(/ {2,}/g, '\n');
}

/**
 * Deepest container nesting (block quotes, list items, indentation) an advisory may have to be
 * parsed as Markdown. Parsers recurse per level and some work grows with depth squared: 50,000
 * `>` overflowed the stack and a 1,200-level list took minutes. Real advisories nest two or three
 * levels; deeper text is shown as written, in a code block, so nothing is lost and nothing fails.
 */
export const ADVISORY_MAX_NESTING = 16;

/** An upper bound of the container depth a line opens: `>` and list markers, plus indentation in steps of two. */
function containerDepth(line: string): number {
  let depth = 0;
  let spaces = 0;
  let i = 0;
  while (i < line.length && depth + (spaces >> 1) <= ADVISORY_MAX_NESTING) {
    const c = line.charCodeAt(i);
    if (c === 32) spaces++;
    else if (c === 9) spaces += 4;
    else if (c === 62 /* > */) depth++;
    else {
      const marker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(line.slice(i, i + 11));
      if (!marker) break;
      depth++;
      i += marker[0].length;
      continue;
    }
    i++;
  }
  return depth + (spaces >> 1);
}

/** True when some line of `text` nests deeper than {@link ADVISORY_MAX_NESTING}. Linear in the text. */
function nestsTooDeep(text: string): boolean {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (containerDepth(text.slice(start, Math.min(end, start + 4 * ADVISORY_MAX_NESTING + 64))) > ADVISORY_MAX_NESTING) return true;
    start = end + 1;
  }
  return false;
}

/** The advisory text as a block quote holding its confined subtree (empty text gives `undefined`). */
export function advisoryBlock(markdown: string): Blockquote | undefined {
  const text = restoreLineBreaks(markdown);
  const data = { hProperties: { className: ['am-advisory'] } };
  if (nestsTooDeep(text)) {
    return { type: 'blockquote', data, children: [
      { type: 'paragraph', children: [{ type: 'text', value: `Advisory text nested more than ${ADVISORY_MAX_NESTING} levels deep, shown as written:` }] },
      { type: 'code', value: text },
    ] };
  }
  const children = blocks(parseMarkdown(text).children, 0);
  if (children.length === 0) return undefined;
  return { type: 'blockquote', children, data };
}
