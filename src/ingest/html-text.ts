/**
 * Plain text from the HTML fragments some scanners put in their text fields (OWASP ZAP's `desc`,
 * `solution`, `reference`, `otherinfo`: `<p>…</p>` paragraphs). The fragment is parsed by a real
 * HTML parser (parse5 through hast) and reduced to its `innerText`: tags are dropped, entities
 * decoded, paragraphs become blank lines, and `<script>`/`<style>` content is not text at all.
 * The result is untrusted *text*: it never becomes markup again, renderers escape it.
 */
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';

/** `innerText` of an HTML fragment, with runs of blank lines collapsed and the ends trimmed. */
export function htmlToText(html: string): string {
  // Most ZAP fields are a few short paragraphs; text without `<` or `&` is already plain.
  if (!/[<&]/.test(html)) return html.trim();
  const text = toText(fromHtml(html, { fragment: true }));
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** The http(s) URLs in a text (ZAP's `reference` is one URL per paragraph), in order, unique. */
export function urlsIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/gi) ?? [])];
}
