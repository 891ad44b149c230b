/**
 * The unsafe-pattern prefilter of `render/markdown.ts` must change nothing but speed: every tree
 * serialises to the same bytes with and without it. Values are hostile strings and random text
 * over the characters Markdown gives a meaning, placed in every context the documents use.
 */
import fc from 'fast-check';
import type { PhrasingContent, Root } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { defaultHandlers, toMarkdown, type Handle, type Options } from 'mdast-util-to-markdown';
import { describe, expect, it } from 'vitest';
import { prefilterUnsafe } from '../../src/render/markdown.ts';

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
