/**
 * The one Markdown parser of compose, used on trusted template skeletons and, confined, on
 * advisory texts. Of GFM it reads tables and strikethrough only. Autolink literals, task lists
 * and footnotes are left out on purpose: the skeleton holds no bare URLs or footnotes (data is
 * placeholders), an advisory's bare URL must stay text (data never becomes a live link), and
 * their tree transforms walked every text node of the skeleton — 40% of the parse of a
 * 2,000-rule report.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';

const extensions = [gfmTable(), gfmStrikethrough()];
const mdastExtensions = [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown()];

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
