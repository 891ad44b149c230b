/**
 * The Markdown rendering of a document tree: YAML frontmatter, then the tree serialised by
 * mdast-util-to-markdown with GFM and fixed options, so the same tree always gives the same
 * bytes and every value is escaped exactly as needed (its `unsafe` tables know tables, headings,
 * list markers, autolink literals, code fences longer than any backtick run…).
 */
import type { InlineCode, PhrasingContent, Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { defaultHandlers, toMarkdown, type Handle, type Options, type State } from 'mdast-util-to-markdown';
import { stringify } from 'yaml';
import type { ComposedDocument } from '../compose/compose.ts';
import { shownInlineText } from '../compose/shown-text.ts';

const gfm = gfmToMarkdown({ tablePipeAlign: false });
// gfmToMarkdown() nests one extension per GFM feature; the table one owns inline code in cells.
const gfmInlineCode = (gfm.extensions ?? []).map((e) => e.handlers?.inlineCode).find((h) => h !== undefined) as Handle;

/**
 * Inline code in a table cell must not hold a `|`: GFM readers disagree on how `\|` inside a
 * code span in a cell is read (cmark-gfm unescapes it, micromark can split the cell at it), so a
 * value with a pipe could change the table. Such a value is written as code spans around
 * escaped-pipe text (`` `a` \| `b` ``): one cell, the same characters, in every reader.
 */
const inlineCode: Handle = (node: InlineCode, parent, state, info) => {
  if (!state.stack.includes('tableCell') || !node.value.includes('|')) return gfmInlineCode(node, parent, state, info);
  return node.value
    .split('|')
    .map((piece) => (piece === '' ? '' : gfmInlineCode({ type: 'inlineCode', value: piece }, parent, state, info)))
    .join('\\|');
};

/**
 * Escaping is what serialising a large document costs most (`safe` ran each of the ~50 unsafe
 * patterns' regular expressions over every text value: a third of toMarkdown on a 2,000-rule
 * report). A pattern matches only where its one `character` occurs in the value with its
 * before/after context, so the patterns whose character is absent are dropped before `safe`
 * runs: the same escapes, exactly, with a fraction of the work. `tests/unit/markdown-render.test.ts`
 * compares both on hostile and random text.
 */
export function prefilterUnsafe(state: State): void {
  const original = state.safe;
  state.safe = (value, config) => {
    const subject = (config.before ?? '') + (value ?? '') + (config.after ?? '');
    const all = state.unsafe;
    state.unsafe = all.filter((p) => subject.includes(p.character));
    try {
      return original.call(state, value, config);
    } finally {
      state.unsafe = all;
    }
  };
}

const root: Handle = (node, parent, state, info) => {
  prefilterUnsafe(state);
  return defaultHandlers.root(node, parent, state, info);
};

/** The serialiser options of every document (exported for the tests that compare with one plain call). */
export const OPTIONS: Options = {
  extensions: [gfm, { handlers: { inlineCode, root } }],
  bullet: '-',
  emphasis: '_',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  incrementListMarker: true,
  setext: false,
  closeAtx: false,
  resourceLink: true,
  tightDefinitions: true,
};

/**
 * Serialise frontmatter data as a `---` block ending in a newline. Strings are always
 * double-quoted (so `yes`, `null` or `2024-01-01` stay strings in any YAML reader) with controls
 * made visible; keys keep the object's insertion order; no line folding.
 */
export function stringifyFrontmatter(data: object): string {
  const yaml = stringify(visibleStrings(data), { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0, aliasDuplicateObjects: false });
  return `---\n${yaml}---\n`;
}

function visibleStrings(value: unknown): unknown {
  if (typeof value === 'string') return shownInlineText(value);
  if (Array.isArray(value)) return value.map(visibleStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleStrings(v)]));
  return value;
}

/** Top-level nodes serialised per call (at least; a chunk ends before a heading). */
const CHUNK = 256;

/** Closes every chunk, so a chunk's own text is exactly what precedes it (see {@link treeToMarkdown}). */
const SENTINEL: RootContent = { type: 'thematicBreak' };
const SENTINEL_TEXT = '\n\n---\n';

/**
 * Markdown text from top-level nodes handed in one by one ({@link add}), ending in exactly one
 * newline. Serialised in chunks of top-level nodes, each ending before a heading:
 * mdast-util-to-markdown keeps every top-level result alive until its final join, so on a
 * 20,000-rule report the pieces of the whole document outlived the young generation and half a
 * gigabyte of them died in the old one; and a chunk's nodes can be let go once it is written. At
 * a heading the chunks join exactly as one call would: the separator before a heading is always
 * one blank line, and the only state carried between siblings (the bullet of adjacent lists)
 * resets at any node that is not a list. Each chunk is closed by a thematic break that is cut off
 * again, so a chunk's text is known exactly (one call appends a newline only when its text lacks
 * one).
 */
export class MarkdownWriter {
  /** The chunks' UTF-8 bytes, separated as they will be joined (kept outside the JS heap, as the HTML's are). */
  readonly #chunks: Buffer[] = [];
  #count = 0;
  #last = '';
  #pending: RootContent[] = [];

  /** The next top-level node. */
  add(node: RootContent): void {
    if (node.type === 'heading' && this.#pending.length >= CHUNK) this.#flush();
    this.#pending.push(node);
  }

  /** The text of every node added, as UTF-8 bytes. */
  finish(): Buffer {
    if (this.#pending.length > 0 || this.#count === 0) this.#flush();
    // Joined with blank lines, the text ends in a newline when its last chunk does, or when that
    // chunk is empty and follows another (the separator's).
    const endsInNewline = this.#last.endsWith('\n') || (this.#last === '' && this.#count > 1);
    return Buffer.concat(endsInNewline ? this.#chunks : [...this.#chunks, NEWLINE]);
  }

  #flush(): void {
    let text = '';
    if (this.#pending.length > 0) {
      const out = toMarkdown({ type: 'root', children: [...this.#pending, SENTINEL] }, OPTIONS);
      if (!out.endsWith(SENTINEL_TEXT)) throw new Error('internal: a Markdown chunk did not end with its sentinel');
      text = out.slice(0, -SENTINEL_TEXT.length);
      this.#pending = [];
    }
    this.#chunks.push(Buffer.from(this.#count > 0 ? `\n\n${text}` : text, 'utf8'));
    this.#count++;
    this.#last = text;
  }
}

const NEWLINE = Buffer.from('\n');

/** A tree as Markdown text (see {@link MarkdownWriter}). */
export function treeToMarkdown(tree: Root): string {
  const writer = new MarkdownWriter();
  for (const node of tree.children) writer.add(node);
  return writer.finish().toString('utf8');
}

/** `report.md` / `diff.md` as bytes: frontmatter, a blank line, then the body `writer` was given. */
export function markdownFile(frontmatter: ComposedDocument['frontmatter'], writer: MarkdownWriter): Buffer {
  return Buffer.concat([Buffer.from(`${stringifyFrontmatter(frontmatter)}\n`, 'utf8'), writer.finish()]);
}

/** `report.md` / `diff.md` of a document. */
export function documentMarkdown(doc: Pick<ComposedDocument, 'frontmatter' | 'content'>): string {
  const writer = new MarkdownWriter();
  for (const node of doc.content.blocks()) writer.add(node);
  return markdownFile(doc.frontmatter, writer).toString('utf8');
}

/** One value as inline Markdown text (for Markdown built in code: the CI step summary, SARIF help). */
export function inlineMarkdown(value: string): string {
  return phrasingMarkdown([{ type: 'text', value: shownInlineText(value) }]);
}

/** One value as the content of a GFM table cell (`|` escaped as the table needs). */
export function cellMarkdown(value: string, kind: 'text' | 'code' = 'text'): string {
  const node: PhrasingContent = kind === 'code' ? { type: 'inlineCode', value: shownInlineText(value) } : { type: 'text', value: shownInlineText(value) };
  if (kind === 'text' && node.type === 'text' && node.value === '') return '';
  const table = toMarkdown({ type: 'table', align: [null], children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: [node] }] }] }, OPTIONS);
  return (table.split('\n')[0] ?? '').slice(2, -2);
}

function phrasingMarkdown(children: PhrasingContent[]): string {
  if (children.every((c) => c.type === 'text' && c.value === '')) return '';
  let out = toMarkdown({ type: 'paragraph', children }, OPTIONS).replace(/\n+$/, '');
  // A trailing `#` run would be read as an ATX heading's closing sequence where the text ends a heading.
  if (out.endsWith('#')) out = out.slice(0, -1) + '\\#';
  return out;
}
