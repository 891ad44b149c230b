/**
 * The unsafe-pattern prefilter and the chunked serialisation of `render/markdown.ts` must
 * change nothing but speed and memory: every tree serialises to the same bytes with and without
 * them. Values are hostile strings and random text
 * over the characters Markdown gives a meaning, placed in every context the documents use.
 */
import fc from 'fast-check';
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { defaultHandlers, toMarkdown, type Handle, type Options } from 'mdast-util-to-markdown';
import { describe, expect, it } from 'vitest';
import { OPTIONS, prefilterUnsafe, treeToMarkdown } from '../../src/render/markdown.ts';

const base = (root?: Handle): Options => ({
  extensions: [gfmToMarkdown({ tablePipeAlign: false }), ...(root ? [{ handlers: { root } }] : [])],
  bullet: '-', emphasis: '_', strong: '*', fence: '`', fences: true, rule: '-', listItemIndent: 'one',
  incrementListMarker: true, setext: false, closeAtx: false, resourceLink: true, tightDefinitions: true,
});
const plain = base();
const filtered = base((node, parent, state, info) => {
  prefilterUnsafe(state);
  return defaultHandlers.root(node, parent, state, info);
});

/** One value in each place a document puts text. */
function treeOf(v: string, w: string): Root {
  const t = (value: string): PhrasingContent => ({ type: 'text', value });
  return {
    type: 'root',
    children: [
      { type: 'heading', depth: 2, children: [t(v)] },
      { type: 'paragraph', children: [t(v), { type: 'strong', children: [t(w)] }, t(v), { type: 'emphasis', children: [t(v)] }, { type: 'inlineCode', value: w }, t(w)] },
      { type: 'paragraph', children: [{ type: 'link', url: `https://example.invalid/${w}`, title: v, children: [t(v)] }, t(w)] },
      { type: 'list', ordered: false, spread: false, children: [{ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [t(v)] }] }, { type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [t(w), { type: 'delete', children: [t(v)] }] }] }] },
      { type: 'blockquote', children: [{ type: 'paragraph', children: [t(w)] }] },
      { type: 'table', align: [null, 'right'], children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: [t('h')] }, { type: 'tableCell', children: [t(w)] }] }, { type: 'tableRow', children: [{ type: 'tableCell', children: [t(v)] }, { type: 'tableCell', children: [t(w), { type: 'inlineCode', value: v }] }] }] },
      { type: 'paragraph', children: [t(v)] },
    ],
  };
}

const HOSTILE = [
  '', ' ', '  lead and trail  ', '# x', '1. item', '1) item', '- item', '+ item', '* item', '> quote', '| a | b |', 'x\\| A03 \\| waived 1 \\| 0',
  '`code`', '```', '~~~', '~~strike~~', '<!--', '<script>', '&amp;', '&#x61;', 'a_b_c', '__init__', '*a*', '_a_', '[x](javascript:alert(1))',
  '![i](x)', 'https://a.example/b?c=d&e', 'www.example.com', 'mail@example.com', 'a\nb', 'a\r\nb', 'line  \nbreak', '\\', 'trailing\\', '---', '===',
  '    indented', '\tTab', '[^1]', '[x]: y', ':::', '{{ x }}', 'http://x.invalid:80/', 'a.b.c', 'p:/', 's://',
];

describe('unsafe-pattern prefilter', () => {
  it('serialises hostile values to the same bytes with and without it', () => {
    for (const v of HOSTILE) for (const w of HOSTILE) expect(toMarkdown(treeOf(v, w), filtered), JSON.stringify([v, w])).toBe(toMarkdown(treeOf(v, w), plain));
  });

  it('serialises random Markdown-ish text to the same bytes with and without it', () => {
    const chars = fc.constantFrom(...'aZ09 _*~`#>|-+.!:/\\[]()<>&@wWps\n\r\t=^{}"\''.split(''));
    const text = fc.array(chars, { maxLength: 24 }).map((a) => a.join(''));
    fc.assert(fc.property(text, text, (v, w) => toMarkdown(treeOf(v, w), filtered) === toMarkdown(treeOf(v, w), plain)), { numRuns: 3000 });
  });
});

describe('chunked serialisation', () => {
  it('gives the bytes of one plain call on long trees of every kind of block', () => {
    const pool: RootContent[] = [
      { type: 'heading', depth: 2, children: [{ type: 'text', value: 'Head # 1' }] },
      { type: 'heading', depth: 3, children: [{ type: 'text', value: '1. not a list' }] },
      { type: 'paragraph', children: [{ type: 'text', value: 'para * _x_ | y' }] },
      { type: 'list', ordered: false, spread: false, children: [{ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [{ type: 'text', value: 'a' }] }] }] },
      { type: 'list', ordered: true, start: 1, spread: false, children: [{ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [{ type: 'text', value: 'b' }] }] }] },
      { type: 'code', lang: null, value: 'x\n```\ny' },
      { type: 'blockquote', children: [{ type: 'paragraph', children: [{ type: 'text', value: 'q' }] }] },
      { type: 'thematicBreak' },
      { type: 'table', align: [null], children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: [{ type: 'text', value: 'h|' }] }] }] },
    ];
    const node = fc.integer({ min: 0, max: pool.length - 1 }).map((i) => pool[i]!);
    fc.assert(fc.property(fc.oneof(fc.array(node, { maxLength: 20 }), fc.array(node, { minLength: 300, maxLength: 900, size: "max" })), (children) => {
      const tree: Root = { type: 'root', children };
      const one = toMarkdown(tree, OPTIONS);
      expect(treeToMarkdown(tree)).toBe(one.endsWith('\n') ? one : one + '\n');
    }), { numRuns: 60 });
  });
});
