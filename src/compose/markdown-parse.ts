/**
 * The one Markdown parser of compose (GFM: tables, strikethrough, task lists, autolinks,
 * footnotes), used on trusted template skeletons and, confined, on advisory texts.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

const extensions = [gfm()];
const mdastExtensions = gfmFromMarkdown();

/** Parse Markdown into an mdast tree (no positions kept: nothing downstream needs them). */
export function parseMarkdown(text: string): Root {
  const tree = fromMarkdown(text, { extensions, mdastExtensions });
  stripPositions(tree);
  return tree;
}

function stripPositions(node: { position?: unknown; children?: unknown[] }): void {
  delete node.position;
  if (node.children) for (const c of node.children) stripPositions(c as { position?: unknown; children?: unknown[] });
}
