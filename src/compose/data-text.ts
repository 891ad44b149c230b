import type { PhrasingContent } from 'mdast';

/**
 * What a GFM reader would turn into a link if it stood in a text node: `http(s)://`, `ftp://`,
 * `www.` and `mailto:`/`xmpp:` starts, and e-mail addresses. GFM links them after parsing, from
 * the text itself (cmark-gfm and micromark alike), so no escape can stop it: such tokens from
 * data are shown as inline code instead, never as live links.
 */
const LINKABLE = /(?:(?:https?|ftp):\/\/|mailto:|xmpp:|www\.)[^\s<]*|[-.\w+]+@[-\w]+(?:\.[-\w]+)+/gi;

/** Text from data as text and inline-code nodes, so that nothing in it becomes a link. */
export function dataText(value: string): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let at = 0;
  for (const m of value.matchAll(LINKABLE)) {
    if (m.index > at) out.push({ type: 'text', value: value.slice(at, m.index) });
    out.push({ type: 'inlineCode', value: m[0] });
    at = m.index + m[0].length;
  }
  if (at < value.length) out.push({ type: 'text', value: value.slice(at) });
  return out;
}
