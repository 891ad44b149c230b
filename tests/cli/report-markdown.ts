/**
 * Read numbers back out of a rendered report.md the way a reader would: parse the Markdown
 * with remark (GFM tables) rather than matching the template's text with regular expressions,
 * so the tests check what the document says, not how the template spells it.
 */
import type { Heading, Root, RootContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

/** Parse Markdown (without frontmatter) into an mdast tree. */
export function parseMarkdown(content: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(content);
}

/** The visible text of a node: text, inline code and (for links) their text. */
export function textOf(node: RootContent | Root): string {
  let out = '';
  visit(node, (n) => {
    if (n.type === 'text' || n.type === 'inlineCode') out += n.value;
  });
  return out.trim();
}

/** A table as header cells plus rows of cell text. */
export interface TableText {
  header: string[];
  rows: string[][];
}

function tableText(t: Table): TableText {
  const [head, ...body] = t.children.map((row) => row.children.map((cell) => textOf(cell as unknown as RootContent)));
  return { header: head ?? [], rows: body };
}

/**
 * The tables of the section under the heading whose text is `title` (depth `depth`), up to
 * the next heading of the same or a higher level.
 */
export function sectionTables(tree: Root, title: string, depth = 2): TableText[] {
  const start = tree.children.findIndex((n) => n.type === 'heading' && (n as Heading).depth === depth && textOf(n) === title);
  if (start === -1) return [];
  const tables: TableText[] = [];
  for (const n of tree.children.slice(start + 1)) {
    if (n.type === 'heading' && (n as Heading).depth <= depth) break;
    if (n.type === 'table') tables.push(tableText(n as Table));
  }
  return tables;
}

/** Every inline code value in the document (fingerprints, rule ids, paths are shown as code). */
export function inlineCodes(tree: Root): string[] {
  const out: string[] = [];
  visit(tree, 'inlineCode', (n) => {
    out.push(n.value);
  });
  return out;
}
