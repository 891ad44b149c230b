/**
 * Plain text from the HTML fragments some scanners put in their text fields (OWASP ZAP's `desc`,
 * `solution`, `reference`, `otherinfo`: `<p>…</p>` paragraphs). The fragment is parsed by a real
 * HTML parser (parse5 through hast) and reduced to its `innerText`: tags are dropped, entities
 * decoded, paragraphs become blank lines, and `<script>`/`<style>` content is not text at all.
 * The result is untrusted *text*: it never becomes markup again, renderers escape it.
 */
import type { fromHtml as FromHtml } from 'hast-util-from-html';
import type { toText as ToText } from 'hast-util-to-text';
import { loadBuilt } from '../model/built.ts';

/**
 * The parser and `innerText`, from the bundle the build writes (`scripts/html-text-bundle.ts`):
 * these packages are ES modules only and readers are synchronous, so importing them here made
 * every run load their 60-odd modules (0.11 s of a 0.6 s JSON-only build, measured) although only
 * ZAP reports need them. Loaded with `require` on the first field that holds markup.
 */
let stack: { fromHtml: typeof FromHtml; toText: typeof ToText } | undefined;
const html = () => (stack ??= loadBuilt('html-text.cjs') as { fromHtml: typeof FromHtml; toText: typeof ToText });

/** `innerText` of an HTML fragment, with runs of blank lines collapsed and the ends trimmed. */
export function htmlToText(markup: string): string {
  // Most ZAP fields are a few short paragraphs; text without `<` or `&` is already plain.
  if (!/[<&]/.test(markup)) return markup.trim();
  const { fromHtml, toText } = html();
  const text = toText(fromHtml(markup, { fragment: true }));
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** The http(s) URLs in a text (ZAP's `reference` is one URL per paragraph), in order, unique. */
export function urlsIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/gi) ?? [])];
}
