/**
 * Making untrusted text safe to print on a terminal or in a CI log. Pure.
 *
 * Scanner messages, paths and template names come from scanned code or third parties: an ESC
 * sequence could recolour, hide or rewrite what an operator sees (or set the window title or a
 * hyperlink via OSC), a bare CR can overwrite a printed line, a newline can forge a whole line
 * ("x.json: valid scan"), and bidi overrides reorder what is shown ("Trojan Source").
 *
 * Everything here is *escaped*, never dropped: `\x1b[31m` is shown as those seven characters, so
 * the reader sees that the data tried something, and two names that differ only by an invisible
 * character never print the same.
 */

/**
 * What is never printed raw: C0 controls, DEL, C1 controls (U+0080–U+009F, which include the
 * 8-bit CSI and OSC introducers), the line and paragraph separators, every bidi control
 * (ALM, LRM/RLM, the embeddings/overrides U+202A–U+202E and the isolates U+2066–U+2069) and the
 * invisible format characters (soft hyphen, zero-width space/joiners, word joiner, BOM), so two
 * names that differ only by an invisible character never print the same.
 */
const UNSAFE_CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2069\\ufeff]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS);

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The visible escape of one unsafe character: `\n`, `\x1b`, `\u202e`. */
function escapeChar(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escape every unsafe character of `text`, except the ones listed in `keep` (e.g. layout `\n\t`). */
export function escapeForTerminal(text: string, keep = ''): string {
  return text.replace(UNSAFE, (c) => (keep.includes(c) ? c : escapeChar(c)));
}

/**
 * The one terminal-safe quoting of a name (a file path, a template id, a version): printed as it
 * is when it holds nothing unsafe, else in double quotes with every unsafe character escaped
 * (`"in\x1b]0;pwned\x07.json"`, `"a\nb.json"`). A backslash or double quote also asks for quotes
 * (and is escaped), so a quoted name always reads back unambiguously.
 */
export function terminalName(name: string): string {
  if (name === '') return '""';
  if (!HAS_UNSAFE.test(name) && !/["\\]/.test(name)) return name;
  return `"${escapeForTerminal(name.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

/**
 * Free text (a message, a description) for a terminal: CRLF becomes LF, line breaks and tabs are
 * kept as layout, every other unsafe character is escaped.
 */
export function sanitizeForTerminal(text: string): string {
  return escapeForTerminal(text.replace(/\r\n/g, '\n'), '\n\t');
}

/**
 * A JSON document printed on a terminal (`--json`): the same value, with the unsafe characters
 * JSON.stringify leaves raw (DEL, C1, separators, bidi controls) written as `\uXXXX` escapes
 * too. Raw C0 characters can only be layout there (JSON escapes them inside strings), so they stay.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE, (c) => (c < ' ' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
